using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Bff.Shared.Tests.ServiceDiscovery;

/// <summary>
/// #19 (Configuration provider): a <c>ServiceName</c> route is resolved by Microsoft.Extensions.ServiceDiscovery from
/// the <c>Services</c> section (as Aspire sets it), off the request path; instances change without a route reload;
/// a registry that stops answering keeps the last known set (readiness Degraded); a service never resolved is 503.
/// </summary>
internal sealed class ConfigurationDiscoveryTests
{
    private static string Routes(string service = "orders", string extra = "") => $$"""
        { "Routes": [ { "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders", "DownstreamScheme": "http",
            "ServiceName": "{{service}}" {{extra}} } ] }
        """;

    private static Dictionary<string, string?> Instances(params EchoBackend[] backends)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < backends.Length; i++) settings[$"Services:orders:http:{i}"] = $"http://127.0.0.1:{backends[i].Port}";
        return settings;
    }

    private static async Task<(HttpStatusCode Status, string? Backend)> GetAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/orders");
        return (response.StatusCode, response.Headers.TryGetValues("X-Echo-Backend", out var id) ? id.Single() : null);
    }

    /// <summary>A gateway whose Services section is a registry the test can change (entries really come and go).</summary>
    private static async Task<(GatewayTestHost Gateway, ServicesSource Registry)> StartAsync(string routes, Dictionary<string, string?> instances)
    {
        var registry = new ServicesSource(instances);
        var gateway = await GatewayTestHost.StartAsync(routes, configure: b => b.Configuration.Add(registry));
        return (gateway, registry);
    }

    private sealed class ServicesSource(Dictionary<string, string?> initial) : IConfigurationSource
    {
        private readonly ServicesProvider _provider = new(initial);

        public IConfigurationProvider Build(IConfigurationBuilder builder) => _provider;

        /// <summary>Replaces every entry and raises the configuration's change token, as a reloaded file would.</summary>
        public void Set(Dictionary<string, string?> instances) => _provider.Set(instances);
    }

    private sealed class ServicesProvider(Dictionary<string, string?> initial) : ConfigurationProvider
    {
        public override void Load() => Data = new Dictionary<string, string?>(initial, StringComparer.OrdinalIgnoreCase);

        public void Set(Dictionary<string, string?> instances)
        {
            Data = new Dictionary<string, string?>(instances, StringComparer.OrdinalIgnoreCase);
            OnReload();
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ServiceNameRoute_ReachesTheConfiguredInstance()
    {
        await using var backend = await EchoBackend.StartAsync(1);
        var (gateway, _) = await StartAsync(Routes(), Instances(backend));
        await using var running = gateway;
        using var client = gateway.CreateClient();

        await Eventually.HoldsAsync(async () => (await GetAsync(client)).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "resolved");
        Assert.That(await GetAsync(client), Is.EqualTo((HttpStatusCode.OK, "1")));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task InstancesChange_WithoutAReload_AndNoRequestFailsUnderLoad()
    {
        await using var one = await EchoBackend.StartAsync(1);
        await using var two = await EchoBackend.StartAsync(2);
        var (gateway, registry) = await StartAsync(Routes(extra: """, "LoadBalancerOptions": { "Type": "RoundRobin" }"""), Instances(one));
        await using var running = gateway;
        using var client = gateway.CreateClient();
        await Eventually.HoldsAsync(async () => (await GetAsync(client)).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "resolved");

        var statuses = new ConcurrentBag<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (!stop.IsCancellationRequested) statuses.Add((await GetAsync(client)).Status);
        }));

        registry.Set(Instances(one, two)); // added
        await Eventually.HoldsAsync(async () => (await GetAsync(client)).Backend == "2", TimeSpan.FromSeconds(10), "the added instance gets requests");
        registry.Set(Instances(two)); // one removed
        await Eventually.HoldsAsync(async () =>
        {
            for (var i = 0; i < 6; i++)
                if ((await GetAsync(client)).Backend != "2") return false;
            return true;
        }, TimeSpan.FromSeconds(10), "only the remaining instance gets requests");
        await stop.CancelAsync();
        await load;

        Assert.That(statuses, Is.Not.Empty.And.All.EqualTo(HttpStatusCode.OK), "no request failed while instances came and went");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task RegistryWithoutInstances_KeepsTheLastKnownSet_AndReadinessIsDegraded()
    {
        await using var backend = await EchoBackend.StartAsync(1);
        var (gateway, registry) = await StartAsync(Routes(), Instances(backend));
        await using var running = gateway;
        using var client = gateway.CreateClient();
        await Eventually.HoldsAsync(async () => (await GetAsync(client)).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "resolved");

        registry.Set([]);
        await Eventually.HoldsAsync(async () => await CheckAsync(client) == "Degraded", TimeSpan.FromSeconds(10), "readiness degraded");
        Assert.That(await GetAsync(client), Is.EqualTo((HttpStatusCode.OK, "1")), "the stale set is still served");

        registry.Set(Instances(backend));
        await Eventually.HoldsAsync(async () => await CheckAsync(client) == "Healthy", TimeSpan.FromSeconds(10), "recovered");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ServiceNeverResolved_Is503ProblemWithRetryAfter()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Routes("nothing"));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/orders");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(response.Headers.RetryAfter, Is.Not.Null);
        await Eventually.HoldsAsync(async () => await CheckAsync(client) == "Degraded", TimeSpan.FromSeconds(10), "readiness degraded");
    }

    private static async Task<string?> CheckAsync(HttpClient client)
    {
        var ready = JsonNode.Parse(await client.GetStringAsync("/health/ready"))!;
        return ready["checks"]?["service-discovery"]?["status"]?.GetValue<string>();
    }
}
