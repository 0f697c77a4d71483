namespace Bff.Shared.Configuration.File;

/// <summary><c>GlobalConfiguration</c> (only read from <c>ocelot.global.json</c> in the split form).</summary>
internal sealed class FileGlobalConfiguration
{
    public string? BaseUrl { get; set; }
    public string? RequestIdKey { get; set; }
    public int? Timeout { get; set; }

    // Ocelot applies these three to dynamic routes only.
    public string? DownstreamScheme { get; set; }
    public string? DownstreamHttpVersion { get; set; }
    public string? DownstreamHttpVersionPolicy { get; set; }

    public Dictionary<string, string> UpstreamHeaderTransform { get; set; } = [];
    public Dictionary<string, string> DownstreamHeaderTransform { get; set; } = [];

    public FileGlobalAuthenticationOptions? AuthenticationOptions { get; set; }
    public FileGlobalCacheOptions? CacheOptions { get; set; }
    public FileGlobalQoSOptions? QoSOptions { get; set; }
    /// <summary>Extension: retries for every route (or the RouteKeys ones).</summary>
    public FileGlobalRetryOptions? RetryOptions { get; set; }
    public FileGlobalLoadBalancerOptions? LoadBalancerOptions { get; set; }
    public FileGlobalHttpHandlerOptions? HttpHandlerOptions { get; set; }
    public FileGlobalRateLimitByHeaderRule? RateLimitOptions { get; set; }
    public FileSecurityOptions? SecurityOptions { get; set; }
    public FileServiceDiscoveryProvider? ServiceDiscoveryProvider { get; set; }
    public Dictionary<string, string>? Metadata { get; set; }
    public FileMetadataOptions? MetadataOptions { get; set; }

    /// <summary>Extension: largest accepted request body in bytes for every route (null → Kestrel's limit).</summary>
    public long? MaxRequestBodySize { get; set; }
}
