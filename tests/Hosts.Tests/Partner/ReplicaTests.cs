using System.Diagnostics;
using System.Net;
using Bff.Hosts.Tests.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Bff.Hosts.Tests.Partner;

/// <summary>Two Bff.Partner instances on one key store (SQLite file) and one real redis-server.</summary>
[Category("Redis")]
internal sealed class ReplicaTests
{
    [Test]
    public async Task KeyRevokedThroughOneReplica_IsRefusedByTheOtherWithinOneSecond()
    {
        await using var redis = await RedisServer.StartAsync();
        var demo = await DemoBackendsFixture.Backends;
        using var data = new TempFolder();
        WebApplicationFactory<PartnerBffMarker> Replica() => new WebApplicationFactory<PartnerBffMarker>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseTestRunLog();
            b.UseSetting("Admin:Enabled", "true");
            foreach (var (key, value) in HostFixture<PartnerBffMarker>.ServiceSettings(new Dictionary<int, int> { [6002] = demo.Port, [6003] = demo.Port })) b.UseSetting(key, value);
            foreach (var (key, value) in GatewayTestHost.KeyStoreSettings(data, redis.ConnectionString)) b.UseSetting(key, value);
        });
        // Route files point at the demo backends through a copied folder, as in the other host tests.
        await using var routes = HostFixture<PartnerBffMarker>.Start("partner", demo.Port);
        await using var one = Replica().WithWebHostBuilder(b => b.UseSetting("Gateway:ConfigPath", routes.ConfigPath));
        await using var two = Replica().WithWebHostBuilder(b => b.UseSetting("Gateway:ConfigPath", routes.ConfigPath));
        var key = await TestKeys.CreateAsync(one.Services, "orders:read");
        var admin = await TestKeys.CreateAsync(one.Services, "admin", client: "ops");
        using var clientOne = one.CreateClient();
        using var clientTwo = two.CreateClient();

        async Task<HttpStatusCode> Orders(HttpClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/partner/v1/orders");
            request.Headers.Add("X-Api-Key", key.Key);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.That(await Orders(clientOne), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Orders(clientTwo), Is.EqualTo(HttpStatusCode.OK));

        using var revoke = new HttpRequestMessage(HttpMethod.Post, $"/admin/keys/{key.Id}/revoke");
        revoke.Headers.Add("X-Api-Key", admin.Key);
        Assert.That((await clientOne.SendAsync(revoke)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var watch = Stopwatch.StartNew();
        while (await Orders(clientTwo) != HttpStatusCode.Unauthorized)
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "replica two still accepts the revoked key");
            await Task.Delay(20);
        }
    }
}
