using System.Net;
using Bff.Hosts.Tests.Common;
using Bff.Shared.KeyStore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Hosts.Tests.Partner;

/// <summary>Three Bff.Partner replicas on one key store and one redis-server: plan limits are exact and per client.</summary>
[Category("Redis")]
internal sealed class RateLimitReplicaTests
{
    [Test]
    public async Task PlanRate_IsExactAcrossThreeReplicas_AndClientsAreIsolated()
    {
        await using var redis = await RedisServer.StartAsync();
        var demo = await DemoBackendsFixture.Backends;
        using var data = new TempFolder();
        await using var routes = HostFixture<PartnerBffMarker>.Start("partner", demo.Port);
        WebApplicationFactory<PartnerBffMarker> Replica() => new WebApplicationFactory<PartnerBffMarker>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseTestRunLog();
            b.UseSetting("Gateway:ConfigPath", routes.ConfigPath);
            foreach (var (key, value) in HostFixture<PartnerBffMarker>.ServiceSettings(new Dictionary<int, int> { [6002] = demo.Port, [6003] = demo.Port })) b.UseSetting(key, value);
            foreach (var (key, value) in GatewayTestHost.KeyStoreSettings(data, redis.ConnectionString)) b.UseSetting(key, value);
            // Exactness is Redis's: give a loaded test machine time instead of the 50 ms production budget.
            b.UseSetting("RateLimiting:RedisTimeout", "00:00:02");
        });
        await using var one = Replica();
        await using var two = Replica();
        await using var three = Replica();
        var store = one.Services.GetRequiredService<KeyStoreService>();
        var actor = new AuditActor("test");
        PlanLimit.TryParse("12/1m", out var rate);
        await store.SetPlanAsync("metered", rate, null, actor);
        var keys = new Dictionary<string, string>();
        foreach (var name in new[] { "acme", "globex", "initech" })
        {
            await store.CreateClientAsync(name, "metered", actor);
            keys[name] = (await store.CreateKeyAsync(name, ["orders:read"], null, null, actor)).Key;
        }
        var clients = new[] { one.CreateClient(), two.CreateClient(), three.CreateClient() };

        var outcomes = await Task.WhenAll(
            from partner in keys.Keys
            from i in Enumerable.Range(0, 20)
            select Task.Run(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/partner/v1/orders");
                request.Headers.Add("X-Api-Key", keys[partner]);
                var response = await clients[i % 3].SendAsync(request);
                return (partner, response.StatusCode, response.Headers.Contains("Retry-After"));
            }));

        Assert.That(outcomes.Select(o => o.StatusCode), Is.All.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.TooManyRequests));
        foreach (var group in outcomes.GroupBy(o => o.partner))
            Assert.That(group.Count(o => o.StatusCode == HttpStatusCode.OK), Is.EqualTo(12), $"partner {group.Key}");
        Assert.That(outcomes.Where(o => o.StatusCode == HttpStatusCode.TooManyRequests).All(o => o.Item3), Is.True, "every 429 has Retry-After");
        foreach (var client in clients) client.Dispose();
    }
}
