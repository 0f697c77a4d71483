namespace Bff.Shared.LoadBalancing;

/// <summary>One downstream host of a route (<c>DownstreamHostAndPorts[i]</c>). Port 0 keeps the request's port.</summary>
internal sealed class Destination(string host, int port)
{
    public string Host { get; } = host;
    public int Port { get; } = port;

    /// <summary>Requests in flight to this destination (for LeastConnection).</summary>
    public int ActiveRequests;
}

internal enum LoadBalancerType { NoLoadBalancer, RoundRobin, LeastConnection }

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
}
