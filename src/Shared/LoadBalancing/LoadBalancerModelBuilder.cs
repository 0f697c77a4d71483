using Bff.Shared.Configuration;
using Bff.Shared.Configuration.File;
using Bff.Shared.ServiceDiscovery;

namespace Bff.Shared.LoadBalancing;

/// <summary>Builds and validates a route's destinations (DownstreamHostAndPorts, or a ServiceName resolved by discovery)
/// and its load balancer (LoadBalancerOptions merged with the global section).</summary>
internal static class LoadBalancerModelBuilder
{
    public static LoadBalancer Build(RouteBuildContext c)
    {
        var (r, errors) = (c.Route, c.Errors);
        var service = ServiceDiscoveryModelBuilder.Build(c);
        if (service is null && !string.IsNullOrWhiteSpace(r.ServiceNamespace))
            errors.Add("ServiceNamespace", "ServiceNamespace needs a ServiceName");
        else if (service is null && r.DownstreamHostAndPorts.Count == 0)
            errors.Add("DownstreamHostAndPorts", "When not using service discovery DownstreamHostAndPorts must be set and not empty or Ocelot cannot find your service!");
        for (var h = 0; h < r.DownstreamHostAndPorts.Count; h++)
        {
            var hp = r.DownstreamHostAndPorts[h];
            if (string.IsNullOrWhiteSpace(hp.Host))
                errors.Add($"DownstreamHostAndPorts[{h}].Host", "When not using service discovery Host must be set on DownstreamHostAndPorts if you are not using Route.Host or Ocelot cannot find your service!");
            else if (Uri.CheckHostName(hp.Host) == UriHostNameType.Unknown)
                errors.Add($"DownstreamHostAndPorts[{h}].Host", $"'{hp.Host}' is not a host name or IP address");
            if (hp.Port is < 0 or > 65535)
                errors.Add($"DownstreamHostAndPorts[{h}].Port", $"{hp.Port} is not a port number (0-65535)");
        }

        var options = OcelotMerge.Merge(r.LoadBalancerOptions, c.Global.LoadBalancerOptions, c.Global.LoadBalancerOptions?.RouteKeys, r.Key);
        var type = LoadBalancerType.NoLoadBalancer;
        if (!string.IsNullOrWhiteSpace(options?.Type))
        {
            if (options.Type.Equals("CookieStickySessions", StringComparison.OrdinalIgnoreCase))
                errors.Add("LoadBalancerOptions.Type", "CookieStickySessions is not implemented yet by this gateway (unsupported feature: LoadBalancerOptions.Type CookieStickySessions)");
            else if (!Enum.TryParse(options.Type, ignoreCase: true, out type) || !LoadBalancer.KnownTypes.Contains(options.Type, StringComparer.OrdinalIgnoreCase))
                errors.Add("LoadBalancerOptions.Type", $"unknown load balancer '{options.Type}' (known: {string.Join(", ", LoadBalancer.KnownTypes)})");
        }
        var destinations = r.DownstreamHostAndPorts.Where(hp => !string.IsNullOrWhiteSpace(hp.Host)).Select(hp => new Destination(hp.Host!.Trim(), hp.Port)).ToArray();
        return new LoadBalancer(type, destinations, service);
    }

    public static void ValidateGlobal(FileGlobalConfiguration g, ConfigErrorScope errors)
    {
        ServiceDiscoveryModelBuilder.ValidateGlobal(g, errors);
        if (!string.IsNullOrWhiteSpace(g.LoadBalancerOptions?.Type)
            && !LoadBalancer.KnownTypes.Contains(g.LoadBalancerOptions.Type, StringComparer.OrdinalIgnoreCase)
            && !g.LoadBalancerOptions.Type.Equals("CookieStickySessions", StringComparison.OrdinalIgnoreCase))
            errors.Add("LoadBalancerOptions.Type", $"unknown load balancer '{g.LoadBalancerOptions.Type}' (known: {string.Join(", ", LoadBalancer.KnownTypes)})");
    }
}
