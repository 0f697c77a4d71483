using Bff.Shared.ServiceDiscovery;

namespace Bff.Shared.LoadBalancing;

/// <summary>
/// Ocelot's load balancers (schema §5.4/§6.6). One instance per route and configuration load. The destinations are
/// the route's DownstreamHostAndPorts, or — for a <c>ServiceName</c> route — the service's instances as discovery
/// last saw them (<see cref="Replace"/>), empty until the service is first resolved.
/// </summary>
internal sealed class LoadBalancer(LoadBalancerType type, Destination[] destinations, DiscoveredService? service = null)
{
    private int _next = -1;
    private Destination[] _destinations = destinations;

    public static readonly string[] KnownTypes = ["NoLoadBalancer", "RoundRobin", "LeastConnection"];

    public LoadBalancerType Type { get; } = type;

    /// <summary>The current destinations (a snapshot: discovery replaces the array, never changes it).</summary>
    public Destination[] Destinations => Volatile.Read(ref _destinations);

    /// <summary>The service this balancer's destinations are discovered for (null: DownstreamHostAndPorts).</summary>
    public DiscoveredService? Service { get; } = service;

    /// <summary>Discovery saw these instances: the ones that stay keep their Destination (circuit, active count).</summary>
    public void Replace(IReadOnlyList<(string Host, int Port)> instances)
    {
        var current = Destinations;
        var next = instances.Distinct().Select(i =>
            current.FirstOrDefault(d => d.Port == i.Port && string.Equals(d.Host, i.Host, StringComparison.OrdinalIgnoreCase))
            ?? new Destination(i.Host, i.Port)).ToArray();
        Volatile.Write(ref _destinations, next);
    }

    /// <summary>A destination by the balancer's rule; null only when there is none (a service not resolved yet).</summary>
    public Destination? Pick()
    {
        var all = Destinations;
        if (all.Length <= 1) return all.Length == 1 ? all[0] : null;
        switch (Type)
        {
            case LoadBalancerType.RoundRobin:
                var n = (uint)Interlocked.Increment(ref _next);
                return all[n % (uint)all.Length];
            case LoadBalancerType.LeastConnection:
                var best = all[0];
                for (var i = 1; i < all.Length; i++)
                    if (Volatile.Read(ref all[i].ActiveRequests) < Volatile.Read(ref best.ActiveRequests)) best = all[i];
                return best;
            default:
                return all[0];
        }
    }

    /// <summary>
    /// Passive health: picks among the destinations that are available and not yet <paramref name="tried"/>, in the
    /// balancer's own way (NoLoadBalancer fails over to the next host in file order). Null when none is left.
    /// </summary>
    public Destination? PickAvailable(List<Destination>? tried)
    {
        var all = Destinations;
        bool Usable(Destination d) => d.IsAvailable && (tried is null || !tried.Contains(d));
        switch (Type)
        {
            case LoadBalancerType.RoundRobin:
                // One turn of the wheel, then a scan from there: concurrent callers cannot starve each other.
                var start = (uint)Interlocked.Increment(ref _next);
                for (var i = 0u; i < (uint)all.Length; i++)
                {
                    var d = all[(start + i) % (uint)all.Length];
                    if (Usable(d)) return d;
                }
                return null;
            case LoadBalancerType.LeastConnection:
                Destination? best = null;
                foreach (var d in all)
                    if (Usable(d) && (best is null || Volatile.Read(ref d.ActiveRequests) < Volatile.Read(ref best.ActiveRequests))) best = d;
                return best;
            default:
                foreach (var d in all)
                    if (Usable(d)) return d;
                return null;
        }
    }
}
