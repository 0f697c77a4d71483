using System.Text.RegularExpressions;
using Bff.Shared.Aggregation;
using Bff.Shared.Auth;
using Bff.Shared.Configuration;
using Bff.Shared.Headers;
using Bff.Shared.LoadBalancing;
using Bff.Shared.Security;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Bff.Shared.Routing;

/// <summary>An <c>UpstreamHeaderTemplates</c> entry: the header must be present and match; <c>{header:x}</c> captures.</summary>
internal sealed record HeaderTemplate(string Header, Regex Pattern, string[] CaptureNames);

/// <summary>What route matching needs of a route or an aggregate (Ocelot matches both the same way).</summary>
internal abstract class MatchTarget
{
    /// <summary>The route's Key, or its upstream template when it has none (metrics tag, endpoint name).</summary>
    public required string Id { get; init; }
    public required ItemSource Source { get; init; }
    public required UpstreamTemplate Upstream { get; init; }
    public required int Priority { get; init; }
    /// <summary>Upper-case methods, or null for every method.</summary>
    public string[]? Methods { get; init; }
    public string? UpstreamHost { get; init; }
    public HeaderTemplate[] HeaderTemplates { get; init; } = [];

    /// <summary>The ASP.NET Core endpoint this target runs as (metadata + request delegate).</summary>
    public Endpoint Endpoint { get; set; } = null!;

    public bool AllowsMethod(string method)
    {
        if (Methods is null) return true;
        foreach (var m in Methods)
            if (string.Equals(m, method, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}

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
    /// <summary>GlobalConfiguration.BaseUrl (or the BaseUrl setting), or null to use the request's own origin.</summary>
    public string? BaseUrl { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>One loaded configuration: routes and aggregates in matching order (priority, then routes before
/// aggregates in file order — Ocelot's stable OrderByDescending over Routes ∪ Aggregates).</summary>
internal sealed class GatewayModel
{
    public required MatchTarget[] Targets { get; init; }
    public required RouteModel[] Routes { get; init; }
    public required AggregateModel[] Aggregates { get; init; }
    public required IReadOnlyList<string> Files { get; init; }
    public bool AnyUpstreamHost { get; init; }
    public bool AnyQueryTemplate { get; init; }
    /// <summary>Headers removed from every inbound request before routing: those the gateway asserts (set by any
    /// route from claims or transforms) and <c>Gateway:StripRequestHeaders</c>.</summary>
    public string[] StrippedRequestHeaders { get; init; } = [];
    public DateTimeOffset LoadedAt { get; init; }
    public int Version { get; init; }
}
