namespace Bff.Shared.Configuration.File;

/// <summary>Properties shared by static and dynamic routes (Ocelot's <c>FileRouteBase</c>).</summary>
internal abstract class FileRouteBase
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
