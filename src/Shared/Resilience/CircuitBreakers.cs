using Bff.Shared.LoadBalancing;
using Bff.Shared.Observability;
using Bff.Shared.Routing;
using Microsoft.Extensions.Logging;

namespace Bff.Shared.Resilience;

/// <summary>Creates circuits on first use (a configuration reload starts with closed circuits).</summary>
internal sealed class CircuitBreakers(TimeProvider time, GatewayMetrics metrics, GatewayAlerts alerts, ILogger<CircuitBreakers> logger)
{
    public DestinationCircuit For(RouteModel route, Destination destination)
    {
        if (Volatile.Read(ref destination.Circuit) is { } existing) return existing;
        var created = new DestinationCircuit(route, destination, route.Qos!, time, metrics, alerts, logger);
        return Interlocked.CompareExchange(ref destination.Circuit, created, null) ?? created;
    }
}
