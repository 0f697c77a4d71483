using System.Net;
using Bff.Shared.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.RateLimiting;

/// <summary>Rate limits on a real redis-server: exact across replicas, and surviving a Redis outage.</summary>
[Category("Redis")]
internal sealed class RedisRateLimitTests
{
    private EchoBackend _backend = null!;
    private RedisServer _redis = null!;

    [SetUp]
    public async Task Start()
    {
        _backend = await EchoBackend.StartAsync();
        _redis = await RedisServer.StartAsync();
    }

    [TearDown]
    public async Task Stop()
    {
        await _backend.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private Task<GatewayTestHost> Replica(string options) => GatewayTestHost.StartAsync($$"""
        { "Routes": [ { "Key": "orders", "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ], "RateLimitOptions": {{options}} } ] }
        """, new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = _redis.ConnectionString, ["RateLimiting:RedisTimeout"] = "00:00:01" });

    [TestCase("""{ "Limit": 25, "Period": "1m" }""")]
    [TestCase("""{ "Limit": 25, "Period": "1h", "Algorithm": "SlidingWindow" }""")]
    [TestCase("""{ "Limit": 25, "Period": "1h", "Algorithm": "TokenBucket" }""")]
    public async Task ThreeReplicas_UnderConcurrentLoad_AcceptExactlyTheLimitPerClient(string options)
    {
        var replicas = new[] { await Replica(options), await Replica(options), await Replica(options) };
        try
        {
            var clients = replicas.Select(r => r.CreateClient()).ToArray();
            var work = from client in new[] { "alpha", "beta", "gamma", "delta" }
                       from i in Enumerable.Range(0, 40)
                       select (client, i);
            var outcomes = await Task.WhenAll(work.Select(async w =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
                request.Headers.Add("Oc-Client", w.client);
                var response = await clients[w.i % 3].SendAsync(request);
                return (w.client, response.StatusCode);
            }));

            Assert.That(outcomes.Select(o => o.StatusCode), Is.All.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.TooManyRequests), "no errors");
            foreach (var group in outcomes.GroupBy(o => o.client))
                Assert.That(group.Count(o => o.StatusCode == HttpStatusCode.OK), Is.EqualTo(25), $"client {group.Key}");
            Assert.That(_backend.RequestCount, Is.EqualTo(100));
            foreach (var client in clients) client.Dispose();
        }
        finally
        {
            foreach (var replica in replicas) await replica.DisposeAsync();
        }
    }

    [Test]
    public async Task RedisOutage_NoErrors_LocalFallback_ThenBackToRedis()
    {
        await using var gateway = await Replica("""{ "Limit": 5, "Period": "1m" }""");
        var store = gateway.Services.GetRequiredService<ResilientRateLimitStore>();
        using var client = gateway.CreateClient();
        async Task<HttpStatusCode> Call(string who)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
            request.Headers.Add("Oc-Client", who);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.That(await Call("a"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(store.Healthy, Is.True);

        await _redis.KillAsync();
        var during = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++) during.Add(await Call("b"));
        Assert.That(during, Is.All.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.TooManyRequests), "never a 500");
        Assert.That(during.Count(s => s == HttpStatusCode.OK), Is.EqualTo(5), "the in-process fallback enforces the limit");
        Assert.That(store.Healthy, Is.False);
        var ready = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/health/ready"))!;
        Assert.That(ready["checks"]!["rate-limit-store"]!["status"]!.GetValue<string>(), Is.EqualTo("Degraded"), "readiness shows it");
        Assert.That(gateway.Logs.Lines.Select(l => l.Message), Has.Some.Contains("Rate limiting: Redis failed"));

        await _redis.RestartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(store.Healthy && await Call("c") == HttpStatusCode.OK && store.Healthy) && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.That(store.Healthy, Is.True, "back on Redis by itself");
        var healthy = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/health/ready"))!;
        Assert.That(healthy["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
    }
}
