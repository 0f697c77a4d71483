using Bff.Shared.Configuration;
using Bff.Shared.Configuration.File;

namespace Bff.Shared.Headers;

/// <summary>Builds and validates header transforms and RequestIdKey, for routes and the global section.</summary>
internal static class HeaderModelBuilder
{
    /// <summary>Whether a BaseUrl is configured (GlobalConfiguration.BaseUrl or the BaseUrl setting).</summary>
    public static bool BaseUrlConfigured(FileGlobalConfiguration global, ModelBuildContext host) =>
        !string.IsNullOrWhiteSpace(global.BaseUrl) || !string.IsNullOrWhiteSpace(host.ConfigurationValue("BaseUrl"));

    public static RouteHeaders Build(RouteBuildContext c)
    {
        var (r, global, errors) = (c.Route, c.Global, c.Errors);
        BaseUrlUse(r.UpstreamHeaderTransform, r.DownstreamHeaderTransform, c.BaseUrlConfigured, errors);
        ConfigRules.HeaderNames(r.UpstreamHeaderTransform, "UpstreamHeaderTransform", errors);
        ConfigRules.HeaderNames(r.DownstreamHeaderTransform, "DownstreamHeaderTransform", errors);
        if (r.RequestIdKey is { Length: > 0 } rid && !ConfigRules.IsToken(rid)) errors.Add("RequestIdKey", $"'{rid}' is not a valid header name");
        return new RouteHeaders(
            string.IsNullOrWhiteSpace(r.RequestIdKey) ? (string.IsNullOrWhiteSpace(global.RequestIdKey) ? null : global.RequestIdKey) : r.RequestIdKey,
            HeaderTransform.Merge(r.UpstreamHeaderTransform, global.UpstreamHeaderTransform),
            HeaderTransform.Merge(r.DownstreamHeaderTransform, global.DownstreamHeaderTransform),
            string.IsNullOrWhiteSpace(global.BaseUrl) ? c.Host.ConfigurationValue("BaseUrl") is { Length: > 0 } b ? b : null : global.BaseUrl);
    }

    public static void ValidateGlobal(FileGlobalConfiguration g, bool baseUrlConfigured, ConfigErrorScope errors)
    {
        if (!string.IsNullOrWhiteSpace(g.BaseUrl) && !Uri.TryCreate(g.BaseUrl, UriKind.Absolute, out _))
            errors.Add("BaseUrl", $"'{g.BaseUrl}' is not an absolute URL");
        if (g.RequestIdKey is { Length: > 0 } rid && !ConfigRules.IsToken(rid)) errors.Add("RequestIdKey", $"'{rid}' is not a valid header name");
        ConfigRules.HeaderNames(g.UpstreamHeaderTransform, "UpstreamHeaderTransform", errors);
        ConfigRules.HeaderNames(g.DownstreamHeaderTransform, "DownstreamHeaderTransform", errors);
        BaseUrlUse(g.UpstreamHeaderTransform, g.DownstreamHeaderTransform, baseUrlConfigured, errors);
    }

    /// <summary>{BaseUrl} needs a configured BaseUrl: falling back to the request's Host would let a client choose
    /// what a rewritten Location header points at.</summary>
    private static void BaseUrlUse(Dictionary<string, string> upstream, Dictionary<string, string> downstream, bool configured, ConfigErrorScope errors)
    {
        if (configured) return;
        foreach (var (property, transforms) in new[] { ("UpstreamHeaderTransform", upstream), ("DownstreamHeaderTransform", downstream) })
            foreach (var (header, value) in transforms)
                if (value?.Contains("{BaseUrl}", StringComparison.Ordinal) == true)
                    errors.Add($"{property}.{header}", "uses {BaseUrl}, but GlobalConfiguration.BaseUrl is not set");
    }
}
