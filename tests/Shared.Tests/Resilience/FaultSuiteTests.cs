using System.Collections.Concurrent;
using System.Net;
using Bff.Testing;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Tests.Resilience;

/// <summary>
/// Fault injection with real processes and sockets: each case drives load through the gateway while something
/// breaks, then asserts no 500 from the gateway, the documented statuses, recovery, and that nothing accepted was
/// lost or duplicated. (Key store down: ApiKeyGatewayTests; SIGTERM under load: Hosts.Tests MobileShutdownTests.)
/// </summary>
internal sealed class FaultSuiteTests
{
    private static readonly HttpStatusCode[] GatewayAnswers = [HttpStatusCode.OK, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];

    private static string Route(string extra, params int[] ports) => $$"""
        { "Routes": [ { "UpstreamPathTemplate": "/{all}", "DownstreamPathTemplate": "/{all}", "UpstreamHttpMethod": [ "Get", "Post" ],
          "LoadBalancerOptions": { "Type": "RoundRobin" } {{extra}},
          "DownstreamHostAndPorts": [ {{string.Join(", ", ports.Select(p => $$"""{ "Host": "127.0.0.1", "Port": {{p}} }"""))}} ] } ] }
        """;

    /// <summary>Runs <paramref name="workers"/> loops of requests until <paramref name="duration"/> has passed.</summary>
    private static async Task<List<HttpStatusCode>> LoadAsync(HttpClient client, TimeSpan duration, Func<int, HttpRequestMessage> request, int workers = 6,
        Action<HttpRequestMessage, HttpResponseMessage>? seen = null)
    {
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var until = DateTime.UtcNow + duration;
        var n = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (DateTime.UtcNow < until)
            {
                using var message = request(Interlocked.Increment(ref n));
                using var response = await client.SendAsync(message);
                statuses.Add(response.StatusCode);
                seen?.Invoke(message, response);
            }
        }));
        return [.. statuses];
    }

    [Test, CancelAfter(30_000)]
    public async Task FlappingBackend_UnderLoad_NoGateway500_PostsReachItAtMostOnce_AndRecovers()
    {
        var failing = false;
        var posts = new ConcurrentDictionary<string, int>();
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            if (Volatile.Read(ref failing)) { context.Abort(); return; }
            if (context.Request.Method == "POST") posts.AddOrUpdate(context.Request.Headers["X-Id"].ToString(), 1, (_, c) => c + 1);
            await context.Response.WriteAsync("ok");
        });
        await using var gateway = await GatewayTestHost.StartAsync(Route("""
            , "QoSOptions": { "MinimumThroughput": 4, "FailureRatio": 0.5, "SamplingDuration": 1000, "BreakDuration": 600 },
              "RetryOptions": { "Count": 2, "DelayMs": 5 }
            """, backend.Port));
        using var client = gateway.CreateClient();
        using var flapping = new CancellationTokenSource();
        var flapper = Task.Run(async () =>
        {
            while (!flapping.IsCancellationRequested)
            {
                Volatile.Write(ref failing, !Volatile.Read(ref failing));
                await Task.Delay(250);
            }
            Volatile.Write(ref failing, false);
        });

        var accepted = new ConcurrentBag<string>();
        var statuses = await LoadAsync(client, TimeSpan.FromSeconds(3), i =>
        {
            var id = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var message = new HttpRequestMessage(i % 2 == 0 ? HttpMethod.Post : HttpMethod.Get, "/orders") { Content = i % 2 == 0 ? new StringContent("{}") : null };
            message.Headers.Add("X-Id", id);
            return message;
        }, seen: (request, response) =>
        {
            if (request.Method == HttpMethod.Post && response.IsSuccessStatusCode) accepted.Add(request.Headers.GetValues("X-Id").Single());
        });
        await flapping.CancelAsync();
        await flapper;

        Assert.That(statuses, Is.All.AnyOf(GatewayAnswers.Cast<object>().ToArray()));
        Assert.That(statuses, Has.Some.EqualTo(HttpStatusCode.OK));
        Assert.That(posts.Values, Is.All.EqualTo(1), "no POST was sent twice");
        Assert.That(accepted, Is.Not.Empty);
        Assert.That(accepted.Select(id => posts.GetValueOrDefault(id)), Is.All.EqualTo(1), "every accepted POST reached the backend exactly once");

        // Recovery: once the backend is healthy, every request succeeds within one break duration (+ margin).
        await Task.Delay(800);
        var after = await LoadAsync(client, TimeSpan.FromMilliseconds(500), _ => new HttpRequestMessage(HttpMethod.Get, "/orders"), workers: 2);
        Assert.That(after, Is.Not.Empty.And.All.EqualTo(HttpStatusCode.OK));
    }

    [Test, CancelAfter(30_000)]
    public async Task OneOfTwoDestinationsDead_UnderLoad_AtMostTheProbesFail()
    {
        await using var good = await EchoBackend.StartAsync(2);
        await using var gateway = await GatewayTestHost.StartAsync(Route("""
            , "QoSOptions": { "MinimumThroughput": 2, "BreakDuration": 10000 }
            """, FreePort.Dead(), good.Port));
        using var client = gateway.CreateClient();

        var statuses = await LoadAsync(client, TimeSpan.FromSeconds(2), _ => new HttpRequestMessage(HttpMethod.Get, "/x"));

        // Only calls that were already on their way to the dead host before its circuit opened can fail.
        Assert.That(statuses.Count(s => s != HttpStatusCode.OK), Is.LessThanOrEqualTo(6));
        Assert.That(statuses.Where(s => s != HttpStatusCode.OK), Is.All.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.GreaterThan(20));
    }

    [Test, CancelAfter(30_000)]
    public async Task BackendResetsMidResponse_ClientSeesATruncatedStream_NeverA500_AndTheCircuitCountsIt()
    {
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            await context.Response.WriteAsync(new string('x', 4096));
            await context.Response.Body.FlushAsync();
            await Task.Delay(50);
            context.Abort();
        });
        await using var gateway = await GatewayTestHost.StartAsync(Route("""
            , "QoSOptions": { "MinimumThroughput": 2, "BreakDuration": 5000 }
            """, backend.Port));
        using var client = gateway.CreateClient();

        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync("/big", HttpCompletionOption.ResponseHeadersRead);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the downstream's status was already sent");
            Assert.That(async () => await response.Content.ReadAsStringAsync(), Throws.InstanceOf<HttpRequestException>().Or.InstanceOf<IOException>());
        }
        // The gateway records the failure when its own copy ends, which can be just after the client saw the reset.
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(l => l.Message.StartsWith("Circuit opened", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(2.5), "the circuit opened");
        Assert.That((await client.GetAsync("/big")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    [Test, CancelAfter(30_000)]
    public async Task ConfigCorruptedUnderLoad_KeepsServing_ThenAppliesTheNextGoodEdit()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Route("", backend.Port));
        using var client = gateway.CreateClient();
        var rejected = 0;
        gateway.Provider.ReloadRejected += _ => Interlocked.Increment(ref rejected);

        var load = LoadAsync(client, TimeSpan.FromSeconds(2), _ => new HttpRequestMessage(HttpMethod.Get, "/x"));
        for (var i = 0; i < 4; i++)
        {
            gateway.Folder.Write("ocelot.json", i % 2 == 0 ? "{ \"Routes\": [ { \"UpstreamPa" : "{ \"Routes\": [ { \"UpstreamPathTemplate\": \"nope\" } ] }");
            await Task.Delay(400);
        }
        var statuses = await load;

        Assert.That(statuses, Is.Not.Empty.And.All.EqualTo(HttpStatusCode.OK));
        Assert.That(Volatile.Read(ref rejected), Is.GreaterThanOrEqualTo(1));

        gateway.Folder.Write("ocelot.json", Route("", backend.Port).Replace("\"/{all}\", \"DownstreamPathTemplate\"", "\"/v2/{all}\", \"DownstreamPathTemplate\"", StringComparison.Ordinal));
        await Eventually.HoldsAsync(async () => (await client.GetAsync("/v2/x")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(3), "the next good edit applies");
    }

    [Test, CancelAfter(60_000)]
    public async Task RedisKilledAndRestartedUnderLoad_RateLimitedCachedRoute_NoGateway500_AndReadinessRecovers()
    {
        if (!RedisServer.IsInstalled) Assert.Ignore("redis-server is not installed (.ci/run installs it)");
        await using var redis = await RedisServer.StartAsync();
        await using var backend = await EchoBackend.StartAsync();
        var config = $$"""
            { "Routes": [
                { "UpstreamPathTemplate": "/limited/{all}", "DownstreamPathTemplate": "/{all}", "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ],
                  "RateLimitOptions": { "EnableRateLimiting": true, "Period": "1s", "PeriodTimespan": 1, "Limit": 100000 } },
                { "UpstreamPathTemplate": "/cached/{all}", "DownstreamPathTemplate": "/{all}", "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ],
                  "CacheOptions": { "TtlSeconds": 1 } } ] }
            """;
        await using var gateway = await GatewayTestHost.StartAsync(config, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["RateLimiting:RedisTimeout"] = "00:00:00.100",
        });
        using var client = gateway.CreateClient();

        var load = LoadAsync(client, TimeSpan.FromSeconds(4), i => new HttpRequestMessage(HttpMethod.Get, i % 2 == 0 ? "/limited/a" : $"/cached/{i % 5}"), workers: 4);
        await Task.Delay(800);
        await redis.KillAsync();
        await Task.Delay(1500);
        var down = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/health/ready"))!;
        Assert.That(down["checks"]!["redis"]!["status"]!.GetValue<string>(), Is.EqualTo("Degraded"), "readiness names the outage");
        Assert.That(down["status"]!.GetValue<string>(), Is.EqualTo("Degraded"), "but the replica stays in rotation (200)");
        await redis.RestartAsync();
        var statuses = await load;

        Assert.That(statuses, Is.Not.Empty.And.All.EqualTo(HttpStatusCode.OK));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string redisStatus;
        while ((redisStatus = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/health/ready"))!["checks"]!["redis"]!["status"]!.GetValue<string>()) != "Healthy"
               && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.That(redisStatus, Is.EqualTo("Healthy"), "Redis is used again after the restart");
    }
}
