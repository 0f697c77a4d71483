namespace Bff.Shared.ServiceDiscovery;

/// <summary>
/// A route's <c>ServiceName</c> and how to find it: <see cref="Query"/> is Microsoft.Extensions.ServiceDiscovery's
/// <c>{scheme}://{name}</c> (the Configuration provider), <see cref="PortName"/> the route's DownstreamScheme (a
/// Kubernetes port or DNS SRV service name), <see cref="Namespace"/> its ServiceNamespace. Routes of equal services
/// share one watch.
/// </summary>
internal sealed record DiscoveredService(string Name, string Query, string? PortName, string? Namespace, ServiceRegistryOptions Registry)
{
    public override string ToString() => Name;
}
