using System.Text.RegularExpressions;
using Bff.Shared.Configuration;
using Bff.Shared.Configuration.File;
using Yarp.ReverseProxy.Forwarder;

namespace Bff.Shared.Forwarding;

/// <summary>Builds and validates a route's forwarding settings (DownstreamScheme, DownstreamHttpMethod,
/// DownstreamHttpVersion(Policy), HttpHandlerOptions merged with the global section).</summary>
internal static partial class ForwardingModelBuilder
{
    private static readonly string[] Schemes = ["http", "https", "ws", "wss"];

    [GeneratedRegex(@"^[0-9]([.,][0-9]{1,1})?$")]
    private static partial Regex HttpVersionPattern();

    public static RouteForwarding Build(RouteBuildContext c)
    {
        var (r, global, errors) = (c.Route, c.Global, c.Errors);
        if (!string.IsNullOrEmpty(r.DownstreamScheme) && !Schemes.Contains(r.DownstreamScheme, StringComparer.OrdinalIgnoreCase))
            errors.Add("DownstreamScheme", $"'{r.DownstreamScheme}' is not supported (use http, https, ws or wss)");
        var version = HttpVersion(r.DownstreamHttpVersion, "DownstreamHttpVersion", errors);
        var policy = VersionPolicy(r.DownstreamHttpVersionPolicy, "DownstreamHttpVersionPolicy", errors);

        var handler = OcelotMerge.Merge(r.HttpHandlerOptions, global.HttpHandlerOptions, global.HttpHandlerOptions?.RouteKeys, r.Key);
        if (handler?.UseCookieContainer == true)
            errors.Add("HttpHandlerOptions.UseCookieContainer", "a cookie container shared by every caller of a route leaks cookies between users; it is deliberately not supported (unsupported feature: UseCookieContainer)");
        var invoker = new InvokerSettings(
            AllowAutoRedirect: handler?.AllowAutoRedirect ?? false,
            MaxConnectionsPerServer: handler?.MaxConnectionsPerServer is > 0 ? handler.MaxConnectionsPerServer.Value : int.MaxValue,
            PooledConnectionLifetimeSeconds: handler?.PooledConnectionLifetimeSeconds is > 0 ? handler.PooledConnectionLifetimeSeconds.Value : 120,
            UseProxy: handler?.UseProxy ?? false,
            DangerousAcceptAnyServerCertificate: r.DangerousAcceptAnyServerCertificateValidator);
        return new RouteForwarding(
            string.IsNullOrEmpty(r.DownstreamScheme) ? null : r.DownstreamScheme.ToLowerInvariant(),
            string.IsNullOrEmpty(r.DownstreamHttpMethod) ? null : r.DownstreamHttpMethod.ToUpperInvariant(),
            version, policy, invoker);
    }

    /// <summary>YARP's per-request settings: the activity timeout (infinite for WebSockets), version and policy.</summary>
    public static ForwarderRequestConfig RequestConfig(RouteForwarding forwarding, TimeSpan activityTimeout) => new()
    {
        // YARP's activity timeout: the wait for the answer and any silence while streaming. WebSocket routes may stay
        // idle for as long as both ends like.
        ActivityTimeout = forwarding.Scheme is "ws" or "wss" ? Timeout.InfiniteTimeSpan : activityTimeout,
        Version = forwarding.Version,
        VersionPolicy = forwarding.VersionPolicy,
        AllowResponseBuffering = false,
    };

    public static void ValidateGlobal(FileGlobalConfiguration g, ConfigErrorScope errors)
    {
        if (g.HttpHandlerOptions?.UseCookieContainer == true)
            errors.Add("HttpHandlerOptions.UseCookieContainer", "a cookie container shared by every caller leaks cookies between users; it is deliberately not supported (unsupported feature: UseCookieContainer)");
        if (!string.IsNullOrWhiteSpace(g.DownstreamHttpVersion)) HttpVersion(g.DownstreamHttpVersion, "DownstreamHttpVersion", errors);
        if (!string.IsNullOrWhiteSpace(g.DownstreamHttpVersionPolicy)) VersionPolicy(g.DownstreamHttpVersionPolicy, "DownstreamHttpVersionPolicy", errors);
    }

    private static Version HttpVersion(string? text, string property, ConfigErrorScope errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return System.Net.HttpVersion.Version11;
        if (!HttpVersionPattern().IsMatch(text))
        {
            errors.Add(property, $"'{text}' is not a valid HTTP version (e.g. 1.1, 2.0)");
            return System.Net.HttpVersion.Version11;
        }
        return Version.TryParse(text.Replace(',', '.'), out var v) ? (v.Minor < 0 ? new Version(v.Major, 0) : v) :
            text.Length == 1 ? new Version(text[0] - '0', 0) : System.Net.HttpVersion.Version11;
    }

    private static HttpVersionPolicy VersionPolicy(string? text, string property, ConfigErrorScope errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return HttpVersionPolicy.RequestVersionOrLower;
        if (Enum.TryParse<HttpVersionPolicy>(text, ignoreCase: false, out var policy) && Enum.IsDefined(policy)) return policy;
        errors.Add(property, $"'{text}' is not one of RequestVersionExact, RequestVersionOrLower, RequestVersionOrHigher");
        return HttpVersionPolicy.RequestVersionOrLower;
    }
}
