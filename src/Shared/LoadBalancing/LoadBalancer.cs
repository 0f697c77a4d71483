namespace Bff.Shared.LoadBalancing;

/// <summary>Ocelot's load balancers (schema §5.4/§6.6). One instance per route and configuration load.</summary>
internal sealed class LoadBalancer(LoadBalancerType type, Destination[] destinations)
{
    private int _next = -1;

    public static readonly string[] KnownTypes = ["NoLoadBalancer", "RoundRobin", "LeastConnection"];

    public LoadBalancerType Type { get; } = type;
    public Destination[] Destinations { get; } = destinations;

    public Destination Pick()
    {
        if (Destinations.Length == 1) return Destinations[0];
        switch (Type)
        {
            case LoadBalancerType.RoundRobin:
                var n = (uint)Interlocked.Increment(ref _next);
                return Destinations[n % (uint)Destinations.Length];
            case LoadBalancerType.LeastConnection:
                var best = Destinations[0];
                for (var i = 1; i < Destinations.Length; i++)
                    if (Volatile.Read(ref Destinations[i].ActiveRequests) < Volatile.Read(ref best.ActiveRequests)) best = Destinations[i];
                return best;
            default:
                return Destinations[0];
        }
    }

    /// <summary>
    /// Passive health: picks among the destinations that are available and not yet <paramref name="tried"/>, in the
    /// balancer's own way (NoLoadBalancer fails over to the next host in file order). Null when none is left.
    /// </summary>
    public Destination? PickAvailable(List<Destination>? tried)
    {
        bool Usable(Destination d) => d.IsAvailable && (tried is null || !tried.Contains(d));
        switch (Type)
        {
            case LoadBalancerType.RoundRobin:
                // One turn of the wheel, then a scan from there: concurrent callers cannot starve each other.
                var start = (uint)Interlocked.Increment(ref _next);
                for (var i = 0u; i < (uint)Destinations.Length; i++)
                {
                    var d = Destinations[(start + i) % (uint)Destinations.Length];
                    if (Usable(d)) return d;
                }
                return null;
            case LoadBalancerType.LeastConnection:
                Destination? best = null;
                foreach (var d in Destinations)
                    if (Usable(d) && (best is null || Volatile.Read(ref d.ActiveRequests) < Volatile.Read(ref best.ActiveRequests))) best = d;
                return best;
            default:
                foreach (var d in Destinations)
                    if (Usable(d)) return d;
                return null;
        }
    }
}
