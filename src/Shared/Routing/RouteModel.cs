using Bff.Shared.Auth;
using Bff.Shared.Headers;
using Bff.Shared.LoadBalancing;
using Bff.Shared.Security;
using Yarp.ReverseProxy.Forwarder;

namespace Bff.Shared.Routing;

/// <summary>A route, validated and compiled: immutable for the lifetime of one configuration load.</summary>
internal sealed class RouteModel : MatchTarget
{
    public string? Key { get; init; }

    /// <summary>The route id as it may appear inside a counter key (no braces: they are Redis hash tags).</summary>
    public string KeyPart => field ??= Id.Replace("{", "(", StringComparison.Ordinal).Replace("}", ")", StringComparison.Ordinal);

    public required DownstreamTemplate Downstream { get; init; }
    /// <summary>http, https, ws or wss; null keeps the upstream request's scheme.</summary>
    public string? DownstreamScheme { get; init; }
    public required LoadBalancer LoadBalancer { get; init; }
    public string? DownstreamMethod { get; init; }
    public required ForwarderRequestConfig RequestConfig { get; init; }
    public required HttpMessageInvoker Invoker { get; init; }

    public string? RequestIdKey { get; init; }
    public HeaderTransform[] RequestHeaderTransforms { get; init; } = [];
    public HeaderTransform[] ResponseHeaderTransforms { get; init; } = [];
    public IpPolicy? IpPolicy { get; init; }
    /// <summary>Authentication and claims settings, or null for an anonymous route.</summary>
    public RouteAuthModel? Auth { get; init; }
    /// <summary>Rate limits, or null when the route has none.</summary>
    public RateLimiting.RouteRateLimitModel? RateLimit { get; init; }
    /// <summary>Response cache, or null when the route caches nothing.</summary>
    public Caching.RouteCacheModel? Cache { get; init; }
    /// <summary>QoSOptions (circuit breaker, QoS timeout), or null when the route has none.</summary>
    public Resilience.RouteQosModel? Qos { get; init; }
    /// <summary>RetryOptions, or null when the route never retries.</summary>
    public Resilience.RouteRetryModel? Retry { get; init; }
    public long? MaxRequestBodySize { get; init; }
    /// <summary>Audience of the JWT minted for the downstream, or null.</summary>
    public string? DownstreamJwtAudience { get; init; }
    /// <summary>The provider's token the backend gets (DownstreamToken).</summary>
    public Oidc.DownstreamTokenKind DownstreamToken { get; init; }
    /// <summary>GlobalConfiguration.BaseUrl (or the BaseUrl setting), or null to use the request's own origin.</summary>
    public string? BaseUrl { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
