namespace Bff.Shared.Configuration.File;

/// <summary>A static route (<c>Routes[]</c>).</summary>
internal sealed class FileRoute : FileRouteBase
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

    /// <summary>Extension: what goes downstream as <c>Authorization: Bearer</c> from the OpenID Connect provider:
    /// <c>User</c>, <c>Client</c>, <c>UserOrClient</c> or <c>None</c> (default).</summary>
    public string? DownstreamToken { get; set; }
}
