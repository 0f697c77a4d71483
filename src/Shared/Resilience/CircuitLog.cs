using Microsoft.Extensions.Logging;

namespace Bff.Shared.Resilience;

internal static partial class CircuitLog
{
    [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.Opened, LogLevel.Warning, "Circuit opened for route {RouteId} destination {Destination} for {BreakMs} ms")]
    public static partial void Opened(ILogger logger, string routeId, string destination, double breakMs);

    [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.HalfOpened, LogLevel.Information, "Circuit half-open for route {RouteId} destination {Destination}: probing")]
    public static partial void HalfOpened(ILogger logger, string routeId, string destination);

    [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.Closed, LogLevel.Information, "Circuit closed for route {RouteId} destination {Destination}")]
    public static partial void Closed(ILogger logger, string routeId, string destination);

    [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.Rejected, LogLevel.Warning, "Circuit open on every destination of route {RouteId}: answered 503")]
    public static partial void Rejected(ILogger logger, string routeId);
}
