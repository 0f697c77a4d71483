using Bff.Shared.Configuration;
using Bff.Shared.Configuration.File;

namespace Bff.Shared.Security;

/// <summary>Builds SecurityOptions (the route's lists when it has any, else the global ones — Ocelot) and
/// MaxRequestBodySize (route, else global).</summary>
internal static class SecurityModelBuilder
{
    /// <summary>The global section's policy, built once per configuration.</summary>
    public static IpPolicy? GlobalPolicy(FileGlobalConfiguration global, ConfigErrorScope errors) =>
        global.SecurityOptions is { } gs ? IpPolicy.Create(gs.IPAllowedList, gs.IPBlockedList, gs.ExcludeAllowedFromBlocked, errors) : null;

    public static RouteSecurity Build(RouteBuildContext c, IpPolicy? globalPolicy)
    {
        var r = c.Route;
        var policy = r.SecurityOptions is { } so && (so.IPAllowedList.Count > 0 || so.IPBlockedList.Count > 0)
            ? IpPolicy.Create(so.IPAllowedList, so.IPBlockedList, so.ExcludeAllowedFromBlocked, c.Errors)
            : globalPolicy;
        if (r.MaxRequestBodySize < 0) c.Errors.Add("MaxRequestBodySize", "must be zero or positive (bytes)");
        return new RouteSecurity(policy, r.MaxRequestBodySize ?? c.Global.MaxRequestBodySize);
    }

    public static void ValidateGlobal(FileGlobalConfiguration g, ConfigErrorScope errors)
    {
        if (g.MaxRequestBodySize < 0) errors.Add("MaxRequestBodySize", "must be zero or positive (bytes)");
    }
}
