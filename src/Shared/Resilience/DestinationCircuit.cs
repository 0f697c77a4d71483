using Bff.Shared.Forwarding;
using Bff.Shared.LoadBalancing;
using Bff.Shared.Observability;
using Bff.Shared.Routing;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Bff.Shared.Resilience;

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
