using Bff.Shared.Tests.ServiceDiscovery.Registries;

namespace Bff.Shared.Tests.ServiceDiscovery;

/// <summary>
/// #19, the Configuration provider (also Aspire's, and the default): Microsoft.Extensions.ServiceDiscovery resolves a
/// <c>ServiceName</c> route from the <c>Services</c> section, whose entries change without a route reload; an emptied
/// section keeps the last known set.
/// </summary>
internal sealed class ConfigurationDiscoveryTests : RegistryDiscoveryTests
{
    protected override Task<ITestRegistry> StartRegistryAsync() => Task.FromResult<ITestRegistry>(new ConfigurationRegistry());

    [Test]
    [CancelAfter(30_000)]
    public async Task WithoutAProviderType_TheServicesSectionIsUsed()
    {
        await using var backend = await EchoBackend.StartAsync(1);
        var registry = new ConfigurationRegistry();
        await registry.SetAsync(backend);
        var routes = """{ "Routes": [ { "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders", "DownstreamScheme": "http", "ServiceName": "orders" } ] }""";
        await using var gateway = await GatewayTestHost.StartAsync(routes, configure: registry.Configure);
        using var client = gateway.CreateClient();

        await ResolvedAsync(client, "1");
    }
}
