using System.Collections.Concurrent;
using System.Net;
using Bff.Shared.LoadBalancing;
using Bff.Shared.Observability;
using Bff.Shared.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;

namespace Bff.Shared.ServiceDiscovery;

/// <summary>
/// Keeps every <c>ServiceName</c> route's destinations current, off the request path: one loop per service asks
/// Microsoft.Extensions.ServiceDiscovery's resolver, applies the instances to every load balancer of that service and
/// waits for the resolver's change token (a configuration reload, for the Configuration provider) or the next poll.
/// An empty answer or a failing registry keeps the last known instances (stale, a Warning, <c>/health/ready</c>
/// Degraded); a service never resolved has no destination, so its routes answer 503 with Retry-After.
/// </summary>
internal sealed partial class ServiceDiscoveryRefresher(ServiceEndpointResolver resolver, GatewayMetrics metrics, TimeProvider time, ILogger<ServiceDiscoveryRefresher> logger)
    : IHostedService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UnresolvedPoll = TimeSpan.FromSeconds(1); // also while failing
    private readonly ConcurrentDictionary<string, ServiceState> _services = new(StringComparer.Ordinal);
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
            var state = _services.GetOrAdd(balancer.Service!.Query, _ => Start(new ServiceState(balancer.Service!)));
            if (state.Instances is { } known) balancer.Replace(known);
        }
    }

    private ServiceState Start(ServiceState state)
    {
        // The first answer is awaited (briefly) where the configuration goes into service, so a route does not
        // answer 503 for a service its registry knows; then a loop keeps it current.
        var first = Task.Run(() => ResolveAsync(state, _stopping.Token));
        if (!first.Wait(FirstResolution)) Log.Unresolved(logger, state.Service.Name, $"no answer within {FirstResolution.TotalSeconds:0} s");
        _ = Task.Run(async () => await RunAsync(state, await first, _stopping.Token));
        return state;
    }

    private static readonly TimeSpan FirstResolution = TimeSpan.FromSeconds(2);

    private async Task RunAsync(ServiceState state, IChangeToken? change, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // Failing (or never resolved): ask again every second; else on the change token, at the latest after a poll.
            await WaitAsync(change, state.Problem is null && state.Instances is not null ? Poll : UnresolvedPoll, cancellationToken);
            change = await ResolveAsync(state, cancellationToken);
        }
    }

    /// <summary>One resolution; returns the resolver's change token (null when it failed).</summary>
    private async Task<IChangeToken?> ResolveAsync(ServiceState state, CancellationToken cancellationToken)
    {
        try
        {
            var source = await resolver.GetEndpointsAsync(state.Service.Query, cancellationToken);
            Apply(state, [.. source.Endpoints.Select(e => HostAndPort(e.EndPoint)).OfType<(string, int)>()]);
            return source.ChangeToken;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Failed(state, e.GetType().Name + ": " + e.Message);
            return null;
        }
    }

    private void Apply(ServiceState state, List<(string Host, int Port)> instances)
    {
        if (instances.Count == 0)
        {
            Failed(state, "no instances");
            return;
        }
        var changed = state.Instances is null || !state.Instances.SequenceEqual(instances);
        state.Instances = instances;
        state.Problem = null;
        if (!changed) return;
        foreach (var balancer in _balancers)
            if (balancer.Service!.Query == state.Service.Query) balancer.Replace(instances);
        Log.Resolved(logger, state.Service.Name, string.Join(", ", instances.Select(i => $"{i.Host}:{i.Port}")));
    }

    private void Failed(ServiceState state, string problem)
    {
        state.Problem = problem;
        metrics.ServiceDiscoveryFailure(state.Service.Name);
        if (state.Instances is null) Log.Unresolved(logger, state.Service.Name, problem);
        else Log.Stale(logger, state.Service.Name, problem, state.Instances.Count);
    }

    private async Task WaitAsync(IChangeToken? change, TimeSpan poll, CancellationToken cancellationToken)
    {
        using var woken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var registration = change is { ActiveChangeCallbacks: true } ? change.RegisterChangeCallback(static s => ((CancellationTokenSource)s!).Cancel(), woken) : null;
        try
        {
            await Task.Delay(poll, time, woken.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static (string, int)? HostAndPort(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => (dns.Host, dns.Port),
        IPEndPoint ip => (ip.Address.ToString(), ip.Port),
        UriEndPoint uri => (uri.Uri.Host, uri.Uri.Port),
        _ => null,
    };

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await _stopping.CancelAsync();

    /// <summary>What discovery last knew of one service.</summary>
    internal sealed class ServiceState(DiscoveredService service)
    {
        public DiscoveredService Service { get; } = service;

        /// <summary>The last instances seen (null: never resolved).</summary>
        public volatile List<(string Host, int Port)>? Instances;

        /// <summary>Why the last resolution did not give instances (null: it did).</summary>
        public volatile string? Problem;
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
