using System.Diagnostics;
using System.Net;
using Bff.Shared.KeyStore;
using Bff.Shared.Tests.KeyStore;

namespace Bff.Shared.Tests.ApiKeys;

/// <summary>Two gateways on one key store (SQLite file or PostgreSQL database) and one real redis-server: a revocation reaches both within a second.</summary>
[Category("Redis")]
[TestFixtureSource(typeof(KeyStoreDatabase), nameof(KeyStoreDatabase.Providers))]
internal sealed class RevocationAcrossReplicasTests(KeyStoreProvider provider)
{
    [Test]
    public async Task Revocation_ReachesEveryReplicaWithinOneSecond()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var backend = await EchoBackend.StartAsync();
        await using var database = await KeyStoreDatabase.CreateAsync(provider);
        var config = $$"""
            { "Routes": [ { "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders",
                "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ],
                "AuthenticationOptions": { "AuthenticationProviderKey": "ApiKey" } } ] }
            """;
        await using var one = await KeyStoreGateway.StartAsync(config, redis: redis.ConnectionString, database: database);
        await using var two = await KeyStoreGateway.StartAsync(config, redis: redis.ConnectionString, database: database);
        var key = await one.NewKeyAsync("orders:read");

        async Task<HttpStatusCode> Call(KeyStoreGateway gateway)
        {
            using var client = gateway.Host.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
            request.Headers.Add("X-Api-Key", key.Key);
            return (await client.SendAsync(request)).StatusCode;
        }

        // Both replicas have the key cached now.
        Assert.That(await Call(one), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Call(two), Is.EqualTo(HttpStatusCode.OK));

        await one.Store.RevokeKeyAsync(key.Id, KeyStoreGateway.Tester);
        var watch = Stopwatch.StartNew();
        while (await Call(two) != HttpStatusCode.Unauthorized)
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "the other replica still accepts the revoked key");
            await Task.Delay(20);
        }
        Assert.That(await Call(one), Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
