using Bff.Shared.LoadBalancing;
using Bff.Shared.Observability;
using Bff.Shared.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Yarp.ReverseProxy.Forwarder;

namespace Bff.Shared.Resilience;

/// <summary>What one forward attempt produced: YARP's error and the status the downstream answered with.</summary>
internal readonly record struct ForwardOutcome(ForwarderError Error, int StatusCode, bool ClientAborted)
{
    /// <summary>Failures the circuit counts (Ocelot's rule): the downstream could not be reached, timed out, broke
    /// off, or answered 500–508. A client that went away is not the downstream's fault. A downstream that broke off
    /// mid-body is, even though YARP then aborts the client's connection (which also cancels RequestAborted).</summary>
    public bool IsFailure => Error == ForwarderError.None
        ? !ClientAborted && StatusCode is >= 500 and <= 508
        : !ForwarderErrors.IsClientSide(Error);
}

/// <summary>Telling YARP's errors apart by whose fault they are.</summary>
internal static class ForwarderErrors
{
    /// <summary>The client went away or failed (not the downstream's fault).</summary>
    public static bool IsClientSide(ForwarderError error) => error is ForwarderError.RequestBodyClient or ForwarderError.RequestCanceled
        or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.ResponseBodyCanceled
        or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseClient
        or ForwarderError.UpgradeResponseCanceled;

    /// <summary>The request was cancelled because the client went away — not because the gateway itself aborted the
    /// connection after the downstream failed mid-answer (YARP reports that error first, then aborts).</summary>
    public static bool ClientWentAway(Microsoft.AspNetCore.Http.HttpContext context) =>
        context.RequestAborted.IsCancellationRequested
        && (context.Features.Get<IForwarderErrorFeature>() is not { } failure || IsClientSide(failure.Error));
}

/// <summary>
/// The circuit breaker of one downstream destination of one route (Polly v8). Each destination has its own, so one
/// bad host does not open the circuit of its healthy siblings; the load balancer skips a destination while its
/// circuit is open.
/// </summary>
internal sealed class DestinationCircuit
{
    private readonly TimeProvider _time;
    private long _unavailableUntil; // UTC ticks; 0 = available

    public DestinationCircuit(RouteModel route, Destination destination, RouteQosModel qos, TimeProvider time, GatewayMetrics metrics, GatewayAlerts alerts, ILogger logger)
    {
        _time = time;
        var name = $"{destination.Host}:{destination.Port}";
        var state = new CircuitBreakerStateProvider();
        var options = new CircuitBreakerStrategyOptions<ForwardOutcome>
        {
            FailureRatio = qos.FailureRatio,
            MinimumThroughput = qos.MinimumThroughput,
            SamplingDuration = qos.SamplingDuration,
            BreakDuration = qos.BreakDuration,
            StateProvider = state,
            // A probe whose caller went away proved nothing: while half-open it counts as a failure, so the circuit
            // does not close on it.
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                ? e is not OperationCanceledException || state.CircuitState == CircuitState.HalfOpen
                : args.Outcome.Result.IsFailure || (args.Outcome.Result.ClientAborted && state.CircuitState == CircuitState.HalfOpen)),
            OnOpened = args =>
            {
                Volatile.Write(ref _unavailableUntil, (_time.GetUtcNow() + args.BreakDuration).UtcTicks);
                CircuitLog.Opened(logger, route.Id, name, args.BreakDuration.TotalMilliseconds);
                metrics.CircuitTransition(route.Id, name, "open");
                alerts.Raise("circuit-open", $"{route.Id} {name}", LogLevel.Error,
                    $"the circuit of route {route.Id} to {name} opened for {args.BreakDuration.TotalSeconds:0.#} s", new { route = route.Id, destination = name });
                return ValueTask.CompletedTask;
            },
            OnHalfOpened = _ =>
            {
                // One probe goes through; the load balancer sends everything else elsewhere until the probe's outcome
                // closes or re-opens the circuit, however long the probe takes.
                Volatile.Write(ref _unavailableUntil, long.MaxValue);
                CircuitLog.HalfOpened(logger, route.Id, name);
                metrics.CircuitTransition(route.Id, name, "half_open");
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                Volatile.Write(ref _unavailableUntil, 0);
                CircuitLog.Closed(logger, route.Id, name);
                metrics.CircuitTransition(route.Id, name, "closed");
                return ValueTask.CompletedTask;
            },
        };
        Pipeline = new ResiliencePipelineBuilder<ForwardOutcome> { TimeProvider = time }.AddCircuitBreaker(options).Build();
    }

    public ResiliencePipeline<ForwardOutcome> Pipeline { get; }

    /// <summary>False while the circuit is open (or half-open with its probe in flight).</summary>
    public bool IsAvailable => Volatile.Read(ref _unavailableUntil) <= _time.GetUtcNow().UtcTicks;
}

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

internal static partial class CircuitLog
{
    [LoggerMessage(700, LogLevel.Warning, "Circuit opened for route {RouteId} destination {Destination} for {BreakMs} ms")]
    public static partial void Opened(ILogger logger, string routeId, string destination, double breakMs);

    [LoggerMessage(701, LogLevel.Information, "Circuit half-open for route {RouteId} destination {Destination}: probing")]
    public static partial void HalfOpened(ILogger logger, string routeId, string destination);

    [LoggerMessage(702, LogLevel.Information, "Circuit closed for route {RouteId} destination {Destination}")]
    public static partial void Closed(ILogger logger, string routeId, string destination);

    [LoggerMessage(703, LogLevel.Warning, "Circuit open on every destination of route {RouteId}: answered 503")]
    public static partial void Rejected(ILogger logger, string routeId);
}
