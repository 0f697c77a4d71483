using System.Net;
using Bff.Shared.Tests.ServiceDiscovery.Registries;

namespace Bff.Shared.Tests.ServiceDiscovery;

/// <summary>#19, the <c>Consul</c> provider (blocking queries) against a local server that speaks Consul's health API.</summary>
internal sealed class ConsulDiscoveryTests : RegistryDiscoveryTests
{
    protected override async Task<ITestRegistry> StartRegistryAsync() => await FakeConsulServer.StartAsync();

    [Test]
    [CancelAfter(60_000)]
    public async Task OnlyPassingInstances_AtTheServiceAddress_OrTheNodesAddress_NeverTheNodeName()
    {
        await using var one = await EchoBackend.StartAsync(1);
        await using var two = await EchoBackend.StartAsync(2);
        await using var consul = await FakeConsulServer.StartAsync();
        await consul.SetAsync(one);
        consul.AddWithNodeAddressOnly(two);
        await using var gateway = await GatewayTestHost.StartAsync(Routes(consul, """, "LoadBalancerOptions": { "Type": "RoundRobin" }"""));
        using var client = gateway.CreateClient();
        await ResolvedAsync(client, "2");

        var seen = new List<(HttpStatusCode, string?)>();
        for (var i = 0; i < 8; i++) seen.Add(await GetAsync(client));
        // The failing instance would answer 502 (nothing listens there); node addresses 10.255.255.1 would time out.
        Assert.That(seen.Select(s => s.Item1), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(seen.Select(s => s.Item2).Distinct().Order(), Is.EqualTo(new[] { "1", "2" }));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ChangesArriveByBlockingQueries_NotByPolling()
    {
        await using var backend = await EchoBackend.StartAsync(1);
        await using var other = await EchoBackend.StartAsync(2);
        await using var consul = await FakeConsulServer.StartAsync();
        await consul.SetAsync(backend);
        await using var gateway = await GatewayTestHost.StartAsync(Routes(consul));
        using var client = gateway.CreateClient();
        await ResolvedAsync(client, "1");

        var before = consul.Requests;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(consul.Requests - before, Is.LessThanOrEqualTo(1), "an idle service costs one open blocking query, not a poll per second");
        await consul.SetAsync(other);
        await ResolvedAsync(client, "2");
        Assert.That(consul.BlockingRequests, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task AWrongAclToken_IsAFailure_NotAnEmptyRegistry()
    {
        await using var consul = await FakeConsulServer.StartAsync();
        await using var backend = await EchoBackend.StartAsync(1);
        await consul.SetAsync(backend);
        var routes = Routes(consul).Replace("consul-acl-token-1", "wrong-token", StringComparison.Ordinal);
        await using var gateway = await GatewayTestHost.StartAsync(routes);
        var logs = gateway.Logs;
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/orders");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        await Eventually.HoldsAsync(() => logs.Lines.Any(l => l.Message.Contains("403", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the 403 is logged");
        Assert.That(logs.Lines.Select(l => l.Message), Has.None.Contains("wrong-token"), "the token is never logged");
    }
}
