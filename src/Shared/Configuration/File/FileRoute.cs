namespace Bff.Shared.Configuration.File;

/// <summary>Properties shared by static and dynamic routes (Ocelot's <c>FileRouteBase</c>).</summary>
public abstract class FileRouteBase
{
    public FileAuthenticationOptions? AuthenticationOptions { get; set; }
    public FileCacheOptions? CacheOptions { get; set; }
    public string? DownstreamHttpVersion { get; set; }
    public string? DownstreamHttpVersionPolicy { get; set; }
    public string? DownstreamScheme { get; set; }
    public FileHttpHandlerOptions? HttpHandlerOptions { get; set; }
    public string? Key { get; set; }
    public FileLoadBalancerOptions? LoadBalancerOptions { get; set; }
    public Dictionary<string, string>? Metadata { get; set; }
    public FileQoSOptions? QoSOptions { get; set; }
    public FileRateLimitByHeaderRule? RateLimitOptions { get; set; }
    /// <summary>Extension: retries with backoff and a budget (off by default).</summary>
    public FileRetryOptions? RetryOptions { get; set; }
    public string? ServiceName { get; set; }
    public string? ServiceNamespace { get; set; }
    public int? Timeout { get; set; }
}

/// <summary>A static route (<c>Routes[]</c>).</summary>
public sealed class FileRoute : FileRouteBase
{
    public string? UpstreamPathTemplate { get; set; }
    public List<string> UpstreamHttpMethod { get; set; } = [];
    public string? UpstreamHost { get; set; }
    public Dictionary<string, string> UpstreamHeaderTemplates { get; set; } = [];
    public bool RouteIsCaseSensitive { get; set; }
    public int Priority { get; set; } = 1;

    public string? DownstreamPathTemplate { get; set; }
    public List<FileHostAndPort> DownstreamHostAndPorts { get; set; } = [];
    public string? DownstreamHttpMethod { get; set; }
    public bool DangerousAcceptAnyServerCertificateValidator { get; set; }
    public string? RequestIdKey { get; set; }

    public Dictionary<string, string> RouteClaimsRequirement { get; set; } = [];
    public Dictionary<string, string> AddHeadersToRequest { get; set; } = [];
    public Dictionary<string, string> AddClaimsToRequest { get; set; } = [];
    public Dictionary<string, string> AddQueriesToRequest { get; set; } = [];
    public Dictionary<string, string> ChangeDownstreamPathTemplate { get; set; } = [];
    public Dictionary<string, string> UpstreamHeaderTransform { get; set; } = [];
    public Dictionary<string, string> DownstreamHeaderTransform { get; set; } = [];

    /// <summary>Obsolete Ocelot alias of <see cref="FileRouteBase.CacheOptions"/>; wins when both are set.</summary>
    public FileCacheOptions? FileCacheOptions { get; set; }
    public FileSecurityOptions? SecurityOptions { get; set; }
    public List<string> DelegatingHandlers { get; set; } = [];

    /// <summary>Extension: largest accepted request body in bytes (null → global → Kestrel's limit).</summary>
    public long? MaxRequestBodySize { get; set; }

    /// <summary>Extension: send the signed-in user downstream as a short-lived JWT (<c>Authorization: Bearer</c>) with this audience.</summary>
    public string? DownstreamJwtAudience { get; set; }
}

/// <summary>A dynamic (service-discovery) route. Bound so that files load, rejected by validation.</summary>
public sealed class FileDynamicRoute : FileRouteBase
{
    public FileRateLimitByHeaderRule? RateLimitRule { get; set; }
}

/// <summary>An aggregate (<c>Aggregates[]</c>).</summary>
public sealed class FileAggregateRoute
{
    public string? UpstreamPathTemplate { get; set; }
    public List<string>? UpstreamHttpMethod { get; set; }
    public string? UpstreamHost { get; set; }
    public Dictionary<string, string> UpstreamHeaderTemplates { get; set; } = [];
    public bool RouteIsCaseSensitive { get; set; }
    public int Priority { get; set; } = 1;
    public List<string> RouteKeys { get; set; } = [];
    public List<FileAggregateRouteConfig> RouteKeysConfig { get; set; } = [];
    public string? Aggregator { get; set; }

    /// <summary>Extension: <c>Partial</c> (default: failed parts become null) or <c>Strict</c> (any failure → 502).</summary>
    public string? FailureMode { get; set; }
    /// <summary>Extension: keys whose failure fails the aggregate (502) even in Partial mode.</summary>
    public List<string> Required { get; set; } = [];
    /// <summary>Extension: the aggregate's deadline in milliseconds; parts still running then count as 504.</summary>
    public int? TimeoutMs { get; set; }
    /// <summary>Extension: most downstream calls one request may make (default 50); more → 502.</summary>
    public int? MaxFanOut { get; set; }
    /// <summary>Extension: largest total of part bodies in bytes (default 8 MiB); more → 502.</summary>
    public long? MaxResponseBytes { get; set; }
    /// <summary>Extension: part response headers copied to the aggregate response (first successful part wins).</summary>
    public List<string> CopyHeaders { get; set; } = [];
}

public sealed class FileAggregateRouteConfig
{
    public string? RouteKey { get; set; }
    public string? JsonPath { get; set; }
    public string? Parameter { get; set; }
}
