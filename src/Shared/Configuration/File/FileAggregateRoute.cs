namespace Bff.Shared.Configuration.File;

/// <summary>An aggregate (<c>Aggregates[]</c>).</summary>
internal sealed class FileAggregateRoute
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
