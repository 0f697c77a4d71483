using System.Net;
using Bff.Shared.Tests.ServiceDiscovery.Registries;

namespace Bff.Shared.Tests.ServiceDiscovery;

/// <summary>#19, the <c>Dns</c> provider against a real DNS server (dnsmasq on a loopback port): SRV records of a
/// Kubernetes headless service, refreshed as their TTL runs out, and the A/AAAA fallback.</summary>
internal sealed class DnsDiscoveryTests : RegistryDiscoveryTests
{
    protected override async Task<ITestRegistry> StartRegistryAsync() => await DnsmasqServer.StartAsync();

    [Test]
    [CancelAfter(60_000)]
    public async Task WithoutSrvRecords_TheNamesAddressesOnTheFallbackPort()
    {
        await using var backend = await EchoBackend.StartAsync(7);
        await using var dns = await DnsmasqServer.StartAsync();
        await dns.SetRecordsAsync("host-record=orders.example.test,127.0.0.1");
        var routes = $$"""
            { "GlobalConfiguration": { "ServiceDiscoveryProvider": { "Type": "Dns", "Host": "127.0.0.1", "Port": {{dns.Port}}, "FallbackPort": {{backend.Port}} } },
              "Routes": [ { "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders", "DownstreamScheme": "http", "ServiceName": "orders.example.test" } ] }
            """;
        await using var gateway = await GatewayTestHost.StartAsync(routes);
        using var client = gateway.CreateClient();

        await ResolvedAsync(client, "7");
        Assert.That(dns.Queries("SRV"), Is.GreaterThanOrEqualTo(1), "SRV was asked first");
        Assert.That(dns.Queries("A"), Is.GreaterThanOrEqualTo(1), "then the name's A record");
    }

    [TestCase(2, 3, 6)]
    [TestCase(3600, 1, 1)]
    [CancelAfter(60_000)]
    public async Task TheRecordsTtl_DecidesWhenTheServerIsAskedAgain(int ttl, int atLeast, int atMost)
    {
        await using var backend = await EchoBackend.StartAsync(1);
        await using var dns = await DnsmasqServer.StartAsync(ttl);
        await dns.SetAsync(backend);
        await using var gateway = await GatewayTestHost.StartAsync(Routes(dns));
        using var client = gateway.CreateClient();
        await ResolvedAsync(client, "1");
        var before = dns.Queries("SRV");

        await Task.Delay(TimeSpan.FromSeconds(5.5));
        var asked = dns.Queries("SRV") - before + 1; // the first query counts too
        Assert.That(asked, Is.InRange(atLeast, atMost), $"SRV queries within ~5.5 s with a TTL of {ttl} s");
        Assert.That(await GetAsync(client), Is.EqualTo((HttpStatusCode.OK, "1")));
    }
}
