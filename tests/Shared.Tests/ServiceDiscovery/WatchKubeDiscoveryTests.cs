using System.Net;
using Bff.Shared.Tests.ServiceDiscovery.Registries;

namespace Bff.Shared.Tests.ServiceDiscovery;

/// <summary>#19, the <c>WatchKube</c> provider (list, then watch) against a local server that speaks the Kubernetes
/// API's EndpointSlice list and watch protocol.</summary>
internal sealed class WatchKubeDiscoveryTests : RegistryDiscoveryTests
{
    protected override async Task<ITestRegistry> StartRegistryAsync() => await FakeKubeApiServer.StartAsync("WatchKube");

    [Test]
    [CancelAfter(60_000)]
    public async Task ReadyEndpointsOnly_OnThePortNamedLikeTheScheme_FollowedByAWatch()
    {
        await using var one = await EchoBackend.StartAsync(1);
        await using var two = await EchoBackend.StartAsync(2);
        await using var kube = await FakeKubeApiServer.StartAsync("Kube");
        await kube.SetAsync(one);
        await using var gateway = await GatewayTestHost.StartAsync(Routes(kube, """, "LoadBalancerOptions": { "Type": "RoundRobin" }"""));
        using var client = gateway.CreateClient();
        await ResolvedAsync(client, "1");

        // The not-ready endpoint (127.0.0.2) and the metrics port lead nowhere: every request must reach backend 1.
        for (var i = 0; i < 6; i++) Assert.That(await GetAsync(client), Is.EqualTo((HttpStatusCode.OK, "1")));
        await kube.SetAsync(one, two);
        await ResolvedAsync(client, "2");
        Assert.That((kube.Lists, kube.Watches), Is.EqualTo((1, 1)), "one list, then the change came by the watch");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task TheServiceNamespace_OfTheRouteWins()
    {
        await using var backend = await EchoBackend.StartAsync(1);
        await using var kube = await FakeKubeApiServer.StartAsync("WatchKube", ns: "billing");
        await kube.SetAsync(backend);
        var provider = kube.Provider.Replace("\"Namespace\": \"billing\"", "\"Namespace\": \"shop\"", StringComparison.Ordinal);
        var routes = $$"""
            { "GlobalConfiguration": { "ServiceDiscoveryProvider": {{provider}} },
              "Routes": [ { "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders", "DownstreamScheme": "http", "ServiceName": "orders", "ServiceNamespace": "billing" } ] }
            """;
        await using var gateway = await GatewayTestHost.StartAsync(routes);
        using var client = gateway.CreateClient();
        await ResolvedAsync(client, "1");
    }
}
