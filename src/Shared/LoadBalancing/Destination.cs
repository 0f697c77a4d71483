namespace Bff.Shared.LoadBalancing;

/// <summary>One downstream host of a route (<c>DownstreamHostAndPorts[i]</c>). Port 0 keeps the request's port.</summary>
internal sealed class Destination(string host, int port)
{
    public string Host { get; } = host;
    public int Port { get; } = port;

    /// <summary>Requests in flight to this destination (for LeastConnection).</summary>
    public int ActiveRequests;

    /// <summary>The circuit breaker of this destination when the route has QoS (created on first use).</summary>
    public Resilience.DestinationCircuit? Circuit;

    /// <summary>Passive health: false while this destination's circuit is open.</summary>
    public bool IsAvailable => Volatile.Read(ref Circuit)?.IsAvailable ?? true;
}
