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

    private Task<GatewayTestHost> Replica(string options, string timeout = "00:00:02", string mode = "LocalFallback") => GatewayTestHost.StartAsync($$"""
        { "Routes": [ { "Key": "orders", "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ], "RateLimitOptions": {{options}} } ] }
        """, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = _redis.ConnectionString,
            ["RateLimiting:RedisTimeout"] = timeout,
            ["RateLimiting:RedisFailureMode"] = mode,
        });

    private static async Task<HttpResponseMessage> Call(GatewayTestHost gateway, string who)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.Add("Oc-Client", who);
        return await client.SendAsync(request);
    }

    [Test]
    public async Task StalledRedis_DecisionStillComesWithinTheBudget()
    {
        await using var gateway = await Replica("""{ "Limit": 5, "Period": "1m" }""", timeout: "00:00:00.050");
        Assert.That((await Call(gateway, "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK)); // connected, script loaded
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "3000", "ALL");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await Call(gateway, "a");
        watch.Stop();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "decided in process");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "not waiting for the paused Redis (3 s)");
    }

    [Test]
    public async Task RedisForgetsTheScript_NextDecisionSendsItAgain_AndStillCountsInRedis()
    {
        // The gateway calls the script by its hash (EVALSHA); a Redis that restarted or flushed its scripts answers
        // NOSCRIPT, and the gateway must then send the script itself — not fall back to counting in process.
        await using var gateway = await Replica("""{ "Limit": 3, "Period": "1m" }""");
        Assert.That((await Call(gateway, "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var db = admin.GetDatabase();
        await db.ExecuteAsync("SCRIPT", "FLUSH");

        Assert.That((await Call(gateway, "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "decided after NOSCRIPT");
        Assert.That((await Call(gateway, "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Call(gateway, "a")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the 4th of 3 in the window");

        // Besides the counter, Redis holds only the host's Data Protection key ring (written at start-up, when it is).
        var counters = admin.GetServer(admin.GetEndPoints()[0]).Keys(pattern: "*")
            .Where(k => k != Microsoft.Extensions.DependencyInjection.DataProtectionHostApplicationBuilderExtensions.RedisKey).ToList();
        Assert.That(counters, Has.Count.EqualTo(1));
        Assert.That((long)await db.StringGetAsync(counters[0]), Is.EqualTo(3),
            "all three accepted requests were counted in Redis (an in-process fallback would have left 1 there)");
    }

    [Test]
    public async Task FailOpen_LetsEverythingThroughWhileRedisIsDown()
    {
        await using var gateway = await Replica("""{ "Limit": 2, "Period": "1m" }""", mode: "FailOpen");
        await Call(gateway, "a");
        await _redis.KillAsync();
        for (var i = 0; i < 5; i++) Assert.That((await Call(gateway, "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Wait_OnRedis_BansThenStartsAFreshWindow()
    {
        await using var gateway = await Replica("""{ "Limit": 1, "Period": "1m", "Wait": "1500ms" }""");
        Assert.That((await Call(gateway, "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var refused = await Call(gateway, "a");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(refused.Headers.RetryAfter!.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)), "1.5 s rounded up");
        await Task.Delay(1700);
        Assert.That((await Call(gateway, "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a fresh window after the ban");
    }

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
        // Requests keep coming; one a second probes Redis until it answers again.
        while (DateTime.UtcNow < deadline)
        {
            Assert.That(await Call("c"), Is.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.TooManyRequests));
            if (store.Healthy) break;
            await Task.Delay(200);
        }
        Assert.That(store.Healthy, Is.True, "back on Redis by itself: " + string.Join(" | ", gateway.Logs.Lines.Where(l => l.Message.Contains("Redis", StringComparison.Ordinal)).Select(l => l.Message).TakeLast(5)));
        var healthy = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/health/ready"))!;
        Assert.That(healthy["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
    }
}
