using System.Collections.Concurrent;
using Bff.Shared.LoadBalancing;
using Bff.Shared.Observability;
using Bff.Shared.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bff.Shared.ServiceDiscovery;

/// <summary>
/// Keeps every <c>ServiceName</c> route's destinations current, off the request path: one loop per service follows
/// its registry's <see cref="IServiceRegistry.WatchAsync"/> and applies each new set to every load balancer of that
/// service. An empty answer or a failing registry keeps the last known instances (stale, a Warning,
/// <c>/health/ready</c> Degraded) and the watch starts again a second later; a service never resolved has no
/// destination, so its routes answer 503 with Retry-After. A service that a reload no longer names stops being watched.
/// </summary>
internal sealed partial class ServiceDiscoveryRefresher(ServiceRegistries registries, GatewayMetrics metrics, TimeProvider time, ILogger<ServiceDiscoveryRefresher> logger)
    : IHostedService
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FirstResolution = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<DiscoveredService, ServiceState> _services = new();
    // Cancelled when the host stops; never disposed, so a loop that is still winding down can read it.
    private readonly CancellationTokenSource _stopping = new();
    private volatile LoadBalancer[] _balancers = [];

    /// <summary>The services of the configuration in service, with their state (readiness reports on them).</summary>
    public IEnumerable<ServiceState> Services => _services.Values;

    /// <summary>A configuration goes into service: its balancers get the known instances now and follow changes.</summary>
    public void Use(GatewayModel model)
    {
        var balancers = model.Routes.Select(r => r.LoadBalancer).Where(b => b.Service is not null).ToArray();
        _balancers = balancers;
        foreach (var balancer in balancers)
        {
            var state = _services.GetOrAdd(balancer.Service!, service => Start(new ServiceState(service)));
            if (state.Instances is { } known) balancer.Replace(known);
        }
        var used = balancers.Select(b => b.Service!).ToHashSet();
        foreach (var (service, state) in _services)
            if (!used.Contains(service) && _services.TryRemove(service, out _)) state.Stop();
    }

    private ServiceState Start(ServiceState state)
    {
        // The first answer is awaited (briefly) where the configuration goes into service, so a route does not
        // answer 503 for a service its registry knows; then the loop keeps it current.
        state.Stopping = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(() => RunAsync(state, first, state.Stopping.Token));
        if (!first.Task.Wait(FirstResolution)) Log.Unresolved(logger, state.Service.Name, $"no answer within {FirstResolution.TotalSeconds:0} s");
        return state;
    }

    private async Task RunAsync(ServiceState state, TaskCompletionSource first, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var instances in registries.For(state.Service.Registry).WatchAsync(state.Service, cancellationToken))
                {
                    Apply(state, instances);
                    first.TrySetResult();
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                Failed(state, e.GetType().Name + ": " + e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            first.TrySetResult();
            try
            {
                await Task.Delay(Retry, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Apply(ServiceState state, IReadOnlyList<(string Host, int Port)> answer)
    {
        if (answer.Count == 0)
        {
            Failed(state, "no instances");
            return;
        }
        List<(string Host, int Port)> instances = [.. answer.Distinct()];
        var changed = state.Instances is null || !state.Instances.SequenceEqual(instances);
        state.Instances = instances;
        state.Problem = null;
        if (!changed) return;
        foreach (var balancer in _balancers)
            if (Equals(balancer.Service, state.Service)) balancer.Replace(instances);
        Log.Resolved(logger, state.Service.Name, string.Join(", ", instances.Select(i => $"{i.Host}:{i.Port}")));
    }

    private void Failed(ServiceState state, string problem)
    {
        state.Problem = problem;
        metrics.ServiceDiscoveryFailure(state.Service.Name);
        if (state.Instances is null) Log.Unresolved(logger, state.Service.Name, problem);
        else Log.Stale(logger, state.Service.Name, problem, state.Instances.Count);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        registries.Dispose();
    }

    /// <summary>What discovery last knew of one service.</summary>
    internal sealed class ServiceState(DiscoveredService service)
    {
        public DiscoveredService Service { get; } = service;

        /// <summary>The last instances seen (null: never resolved).</summary>
        public volatile List<(string Host, int Port)>? Instances;

        /// <summary>Why the last resolution did not give instances (null: it did).</summary>
        public volatile string? Problem;

        /// <summary>Stops this service's loop (a reload dropped it, or the host stops).</summary>
        public CancellationTokenSource? Stopping;

        public void Stop() => Stopping?.Cancel();
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.ServiceResolved, LogLevel.Information, "Service {Service} resolved: {Instances}")]
        public static partial void Resolved(ILogger logger, string service, string instances);

        [LoggerMessage(GatewayEventIds.ServiceUnresolved, LogLevel.Warning, "Service {Service} cannot be resolved yet ({Problem}); its routes answer 503")]
        public static partial void Unresolved(ILogger logger, string service, string problem);

        [LoggerMessage(GatewayEventIds.ServiceStale, LogLevel.Warning, "Service {Service}: discovery failed ({Problem}); the last {Count} known instance(s) stay in use")]
        public static partial void Stale(ILogger logger, string service, string problem, int count);
    }
}
