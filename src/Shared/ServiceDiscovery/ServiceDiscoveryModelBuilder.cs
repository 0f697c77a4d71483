using Bff.Shared.Configuration;
using Bff.Shared.Configuration.File;

namespace Bff.Shared.ServiceDiscovery;

/// <summary>
/// Validates <c>ServiceName</c> routes and <c>GlobalConfiguration.ServiceDiscoveryProvider</c> and builds the route's
/// <see cref="DiscoveredService"/>: which registry (<see cref="ServiceRegistryOptions"/>; <c>Configuration</c> when no
/// Type is given) and what to ask it for.
/// </summary>
internal static class ServiceDiscoveryModelBuilder
{
    /// <summary>Ocelot's providers this gateway does not implement.</summary>
    private static readonly string[] NotYet = ["Eureka", "ServiceFabric"];

    /// <summary>The route's service, or null for a DownstreamHostAndPorts route.</summary>
    public static DiscoveredService? Build(RouteBuildContext c)
    {
        var (r, errors) = (c.Route, c.Errors);
        if (string.IsNullOrWhiteSpace(r.ServiceName)) return null;
        if (r.DownstreamHostAndPorts.Count > 0)
            errors.Add("ServiceName", "ServiceName and DownstreamHostAndPorts are alternatives: set one of them");
        if (!ConfigRules.IsToken(r.ServiceName) || r.ServiceName.Contains('/'))
            errors.Add("ServiceName", $"'{r.ServiceName}' is not a service name");
        if (!string.IsNullOrWhiteSpace(r.ServiceNamespace) && (!ConfigRules.IsToken(r.ServiceNamespace) || r.ServiceNamespace.Contains('/')))
            errors.Add("ServiceNamespace", $"'{r.ServiceNamespace}' is not a namespace name");
        var scheme = r.DownstreamScheme?.ToLowerInvariant() switch
        {
            null or "" => "https+http",
            "ws" => "http",
            "wss" => "https",
            var other => other,
        };
        var portName = string.IsNullOrWhiteSpace(r.DownstreamScheme) ? null : r.DownstreamScheme.ToLowerInvariant();
        var ns = string.IsNullOrWhiteSpace(r.ServiceNamespace) ? null : r.ServiceNamespace;
        return new DiscoveredService(r.ServiceName, $"{scheme}://{r.ServiceName}", portName, ns, ServiceRegistryOptions.From(c.Global.ServiceDiscoveryProvider));
    }

    public static void ValidateGlobal(FileGlobalConfiguration g, ConfigErrorScope errors)
    {
        if (g.ServiceDiscoveryProvider is not { Type: { Length: > 0 } type } provider) return;
        if (NotYet.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add("ServiceDiscoveryProvider.Type", $"the {type} provider is not implemented by this gateway (unsupported feature: ServiceDiscoveryProvider.Type {type}); use Configuration, Dns, Kube/PollKube/WatchKube or Consul/PollConsul");
            return;
        }
        if (!ServiceRegistryOptions.Types.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add("ServiceDiscoveryProvider.Type", $"unknown service discovery provider '{type}' (known: {string.Join(", ", ServiceRegistryOptions.Types)})");
            return;
        }
        var options = ServiceRegistryOptions.From(provider);
        if (options.Polls && provider.PollingInterval <= 0)
            errors.Add("ServiceDiscoveryProvider.PollingInterval", $"{options.Type} needs a PollingInterval in milliseconds greater than 0");
        if (provider.Port is < 0 or > 65535)
            errors.Add("ServiceDiscoveryProvider.Port", $"{provider.Port} is not a port number (0-65535)");
        if (provider.FallbackPort is < 1 or > 65535)
            errors.Add("ServiceDiscoveryProvider.FallbackPort", $"{provider.FallbackPort} is not a port number (1-65535)");
        if (options.Type is not (ServiceRegistryOptions.Configuration or ServiceRegistryOptions.Dns) && options.Scheme is not ("http" or "https"))
            errors.Add("ServiceDiscoveryProvider.Scheme", $"'{provider.Scheme}' is not http or https");
        if (options.Host is { } host && Uri.CheckHostName(host) == UriHostNameType.Unknown)
            errors.Add("ServiceDiscoveryProvider.Host", $"'{host}' is not a host name or IP address");
    }
}
