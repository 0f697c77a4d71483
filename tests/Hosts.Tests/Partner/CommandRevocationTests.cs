using System.Diagnostics;
using System.Net;
using Bff.Hosts.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Hosts.Tests.Partner;

/// <summary>A key revoked by the command (another process) is refused by a running host within about a second,
/// even without Redis: without it, key lookups are cached for at most one second.</summary>
internal sealed class CommandRevocationTests() : DemoHostTests<PartnerBffMarker>("partner")
{
    [Test]
    public async Task KeysRevokeCommand_ReachesTheRunningHost()
    {
        var key = await TestKeys.CreateAsync(Services, "orders:read");
        async Task<HttpStatusCode> Orders()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/partner/v1/orders");
            request.Headers.Add("X-Api-Key", key.Key);
            return (await Client.SendAsync(request)).StatusCode;
        }
        Assert.That(await Orders(), Is.EqualTo(HttpStatusCode.OK));

        var settings = GatewayTestHost.KeyStoreSettings(new TempFolder());
        var database = Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Bff.Shared.KeyStore.KeyStoreOptions>>().Value.ConnectionString;
        var (exit, _, error) = await HostProcess.RunAsync("Bff.Partner", "keys", "revoke", key.Id,
            $"--ConnectionStrings:KeyStore={database}", $"--ApiKeys:Pepper={settings["ApiKeys:Pepper"]}");
        Assert.That(exit, Is.Zero, error);

        var watch = Stopwatch.StartNew();
        while (await Orders() != HttpStatusCode.Unauthorized)
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "the host still accepts the revoked key");
            await Task.Delay(50);
        }
    }
}
