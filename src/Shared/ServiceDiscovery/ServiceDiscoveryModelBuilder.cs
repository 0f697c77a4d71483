using Bff.Shared.Configuration;
using Bff.Shared.Configuration.File;

namespace Bff.Shared.ServiceDiscovery;

/// <summary>
/// Validates <c>ServiceName</c> routes and <c>GlobalConfiguration.ServiceDiscoveryProvider</c>. The
/// <c>Configuration</c> provider (also <c>Aspire</c>; the default when no Type is given) resolves through
/// Microsoft.Extensions.ServiceDiscovery from the <c>Services</c> configuration section.
/// </summary>
internal static class ServiceDiscoveryModelBuilder
{
    /// <summary>The providers this gateway implements.</summary>
    public static readonly string[] Providers = ["Configuration", "Aspire"];

    /// <summary>Ocelot's providers this gateway does not implement yet.</summary>
    private static readonly string[] NotYet = ["Consul", "PollConsul", "Kube", "PollKube", "WatchKube", "Dns", "Eureka", "ServiceFabric"];

    /// <summary>The route's service, or null for a DownstreamHostAndPorts route.</summary>
    public static DiscoveredService? Build(RouteBuildContext c)
    {
        var (r, errors) = (c.Route, c.Errors);
        if (string.IsNullOrWhiteSpace(r.ServiceName)) return null;
        if (r.DownstreamHostAndPorts.Count > 0)
            errors.Add("ServiceName", "ServiceName and DownstreamHostAndPorts are alternatives: set one of them");
        if (!ConfigRules.IsToken(r.ServiceName) || r.ServiceName.Contains('/'))
            errors.Add("ServiceName", $"'{r.ServiceName}' is not a service name");
        var scheme = r.DownstreamScheme?.ToLowerInvariant() switch
        {
            null or "" => "https+http",
            "ws" => "http",
            "wss" => "https",
            var other => other,
        };
        return new DiscoveredService(r.ServiceName, $"{scheme}://{r.ServiceName}");
    }

    public static void ValidateGlobal(FileGlobalConfiguration g, ConfigErrorScope errors)
    {
        if (g.ServiceDiscoveryProvider?.Type is not { Length: > 0 } type) return;
        if (NotYet.Contains(type, StringComparer.OrdinalIgnoreCase))
            errors.Add("ServiceDiscoveryProvider.Type", $"the {type} provider is not implemented yet by this gateway (unsupported feature: ServiceDiscoveryProvider.Type {type}); use Configuration (the Services section, as Aspire sets it)");
        else if (!Providers.Contains(type, StringComparer.OrdinalIgnoreCase))
            errors.Add("ServiceDiscoveryProvider.Type", $"unknown service discovery provider '{type}' (known: {string.Join(", ", Providers)})");
    }
}
