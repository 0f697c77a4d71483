using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Bff.Shared.Tests.ServiceDiscovery.Registries;

namespace Bff.Shared.Tests.ServiceDiscovery;

/// <summary>
/// #19, the same scenarios for every registry provider (each subclass starts its real registry or a local server that
/// speaks its protocol): resolve; instances added and removed under load with no failed request; registry down —
/// the stale set is served, readiness Degraded, then recovery; a service never resolved is 503 with Retry-After.
/// </summary>
internal abstract class RegistryDiscoveryTests
{
    protected abstract Task<ITestRegistry> StartRegistryAsync();

    protected static string Routes(ITestRegistry registry, string extra = "") => $$"""
        { "GlobalConfiguration": { "ServiceDiscoveryProvider": {{registry.Provider}} },
          "Routes": [ { "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders", "DownstreamScheme": "http",
            "ServiceName": "orders" {{extra}} } ] }
        """;

    protected static Task<GatewayTestHost> StartGatewayAsync(ITestRegistry registry, string extra = "") =>
        GatewayTestHost.StartAsync(Routes(registry, extra), configure: registry.Configure);

    protected static async Task<(HttpStatusCode Status, string? Backend)> GetAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/orders");
        return (response.StatusCode, response.Headers.TryGetValues("X-Echo-Backend", out var id) ? id.Single() : null);
    }

    protected static Task ResolvedAsync(HttpClient client, string backend) =>
        Eventually.HoldsAsync(async () => (await GetAsync(client)).Backend == backend, TimeSpan.FromSeconds(15), $"instance {backend} gets requests");

    protected static async Task<string?> ReadinessAsync(HttpClient client)
    {
        var ready = JsonNode.Parse(await client.GetStringAsync("/health/ready"))!;
        return ready["checks"]?["service-discovery"]?["status"]?.GetValue<string>();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ServiceNameRoute_ReachesTheRegisteredInstance()
    {
        await using var backend = await EchoBackend.StartAsync(1);
        await using var registry = await StartRegistryAsync();
        await registry.SetAsync(backend);
        await using var gateway = await StartGatewayAsync(registry);
        using var client = gateway.CreateClient();

        await ResolvedAsync(client, "1");
        Assert.That(await GetAsync(client), Is.EqualTo((HttpStatusCode.OK, "1")));
        Assert.That(await ReadinessAsync(client), Is.EqualTo("Healthy"));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task InstancesAddedAndRemoved_UnderLoad_NoRequestFails()
    {
        await using var one = await EchoBackend.StartAsync(1);
        await using var two = await EchoBackend.StartAsync(2);
        await using var registry = await StartRegistryAsync();
        await registry.SetAsync(one);
        await using var gateway = await StartGatewayAsync(registry, """, "LoadBalancerOptions": { "Type": "RoundRobin" }""");
        using var client = gateway.CreateClient();
        await ResolvedAsync(client, "1");

        var statuses = new ConcurrentBag<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (!stop.IsCancellationRequested) statuses.Add((await GetAsync(client)).Status);
        }));

        await registry.SetAsync(one, two);
        await ResolvedAsync(client, "2");
        await registry.SetAsync(two);
        await Eventually.HoldsAsync(async () =>
        {
            for (var i = 0; i < 6; i++)
                if ((await GetAsync(client)).Backend != "2") return false;
            return true;
        }, TimeSpan.FromSeconds(15), "only the remaining instance gets requests");
        await stop.CancelAsync();
        await load;

        // The removed instance keeps running, so even requests in flight to it succeed: no status but 200.
        Assert.That(statuses, Is.Not.Empty.And.All.EqualTo(HttpStatusCode.OK), "no request failed while instances came and went");
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task RegistryDown_ServesTheStaleSet_ReadinessDegraded_ThenRecovers()
    {
        await using var backend = await EchoBackend.StartAsync(1);
        await using var other = await EchoBackend.StartAsync(2);
        await using var registry = await StartRegistryAsync();
        await registry.SetAsync(backend);
        await using var gateway = await StartGatewayAsync(registry);
        using var client = gateway.CreateClient();
        await ResolvedAsync(client, "1");

        var failures = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Name == "bff.discovery.failures") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref failures, (int)value));
        listener.Start();

        await registry.GoDownAsync();
        await Eventually.HoldsAsync(async () => await ReadinessAsync(client) == "Degraded", TimeSpan.FromSeconds(30), "readiness degraded while the registry is down");
        Assert.That(await GetAsync(client), Is.EqualTo((HttpStatusCode.OK, "1")), "the last known set is still served");
        Assert.That(Volatile.Read(ref failures), Is.GreaterThan(0), "bff.discovery.failures counts it");
        Assert.That(gateway.Logs.Lines.Any(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.Contains("known instance(s) stay in use", StringComparison.Ordinal)),
            "a Warning says the stale set stays in use");

        await registry.ComeBackAsync();
        await Eventually.HoldsAsync(async () => await ReadinessAsync(client) == "Healthy", TimeSpan.FromSeconds(30), "recovered");
        await registry.SetAsync(other);
        await ResolvedAsync(client, "2"); // and it follows changes again
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ADeadDiscoveredInstance_ItsCircuitOpens_AndStaysOpenWhenTheSetChanges()
    {
        var dead = await EchoBackend.StartAsync(9);
        await dead.DisposeAsync(); // its port now refuses connections
        await using var good = await EchoBackend.StartAsync(1);
        await using var more = await EchoBackend.StartAsync(2);
        await using var registry = await StartRegistryAsync();
        await registry.SetAsync(dead, good);
        await using var gateway = await StartGatewayAsync(registry, """, "LoadBalancerOptions": { "Type": "RoundRobin" }, "QoSOptions": { "MinimumThroughput": 2, "BreakDuration": 30000 }""");
        using var client = gateway.CreateClient();
        await ResolvedAsync(client, "1");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++) statuses.Add((await GetAsync(client)).Status);
        Assert.That(statuses.Count(s => s == HttpStatusCode.BadGateway), Is.LessThanOrEqualTo(2), "the dead instance's circuit opens after its minimum throughput");
        Assert.That(statuses.TakeLast(8), Is.All.EqualTo(HttpStatusCode.OK), "then traffic goes to the healthy instance");

        // A new instance appears: the dead one keeps its open circuit (its destination is kept), so nothing fails.
        await registry.SetAsync(dead, good, more);
        await ResolvedAsync(client, "2");
        var after = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++) after.Add((await GetAsync(client)).Status);
        Assert.That(after, Is.All.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ServiceNeverResolved_Is503ProblemWithRetryAfter()
    {
        await using var registry = await StartRegistryAsync();
        await registry.SetAsync();
        await using var gateway = await StartGatewayAsync(registry);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/orders");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(response.Headers.RetryAfter, Is.Not.Null);
        await Eventually.HoldsAsync(async () => await ReadinessAsync(client) == "Degraded", TimeSpan.FromSeconds(10), "readiness degraded");
    }
}
