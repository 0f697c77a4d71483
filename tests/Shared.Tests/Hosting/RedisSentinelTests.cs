using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Bff.Shared.KeyStore;
using Bff.Shared.Tests.Sessions;
using Bff.Shared.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bff.Shared.Tests.Hosting;

/// <summary>
/// #21: Redis high availability with Sentinel (real redis-server master + two replicas, three real redis-sentinels).
/// Under load on a rate-limited, a cached and a session route, the master fails over — gracefully
/// (<c>SENTINEL FAILOVER</c>) and by <c>kill -9</c>: no answer is a 5xx, the session made before is still valid after,
/// readiness reports Redis Degraded while there is no master and Healthy after; the recovery time is printed.
/// </summary>
[Category("Redis")]
internal sealed class RedisSentinelTests
{
    private EchoBackend _backend = null!;
    private TempFolder _data = null!;

    [SetUp]
    public async Task Start()
    {
        _backend = await EchoBackend.StartAsync();
        _data = new TempFolder();
    }

    [TearDown]
    public async Task Stop()
    {
        await _backend.DisposeAsync();
        _data.Dispose();
    }

    private string Config() => $$"""
        { "Routes": [
            { "UpstreamPathTemplate": "/limited", "DownstreamPathTemplate": "/limited",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "RateLimitOptions": { "Limit": 100000, "Period": "1s" } },
            { "UpstreamPathTemplate": "/cached", "DownstreamPathTemplate": "/cached",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "FileCacheOptions": { "TtlSeconds": 1 } },
            { "UpstreamPathTemplate": "/me", "DownstreamPathTemplate": "/me",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "AuthenticationOptions": { "AuthenticationProviderKey": "Session" } } ] }
        """;

    [TestCase(false, TestName = "SentinelFailover_NoServerErrors_SessionsSurvive_ReadinessFollows")]
    [TestCase(true, TestName = "MasterKilled_NoServerErrors_SessionsSurvive_ReadinessDegradedThenHealthy")]
    public async Task Failover(bool kill)
    {
        await using var redis = await RedisSentinelSet.StartAsync();
        // The real clock: the rate limiter's return to Redis (a probe a second after a failure) and Redis time-outs run on it.
        await using var gateway = await GatewayTestHost.StartAsync(Config(), GatewayTestHost.KeyStoreSettings(_data, redis.ConnectionString),
            configure: builder => builder.AddKeyStore().AddSessionAuthentication());
        await gateway.Services.GetRequiredService<UserService>().CreateAsync("alice", "correct horse", [], new AuditActor("test"));
        using var browser = new Browser(gateway.CreateClient());
        Assert.That((await browser.LoginAsync("alice", "correct horse")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await browser.SendAsync(HttpMethod.Get, "/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Eventually.HoldsAsync(async () => await ReadinessAsync(gateway) == "Healthy", TimeSpan.FromSeconds(10), "readiness Healthy before the failover");

        var answers = new ConcurrentBag<(string Path, HttpStatusCode Status, TimeSpan At)>();
        var readiness = new ConcurrentQueue<(string Status, TimeSpan At)>();
        var failures = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        async Task Load(string path)
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await browser.SendAsync(HttpMethod.Get, path);
                answers.Add((path, response.StatusCode, clock.Elapsed));
                if ((int)response.StatusCode >= 500) failures.Add($"{path} {(int)response.StatusCode} at {clock.Elapsed.TotalMilliseconds:F0} ms: {await response.Content.ReadAsStringAsync()}");
                // A steady load, not a flood: the sentinels and Redis share these two cores with the gateway.
                await Task.Delay(2);
            }
        }
        async Task WatchReadiness()
        {
            while (!stop.IsCancellationRequested)
            {
                readiness.Enqueue((await ReadinessAsync(gateway), clock.Elapsed));
                await Task.Delay(100);
            }
        }
        var loops = new[] { Load("/limited"), Load("/cached"), Load("/me"), Load("/limited"), WatchReadiness() };

        await Task.Delay(1000);
        var triggered = clock.Elapsed;
        var old = kill ? await redis.KillMasterAsync() : await redis.FailoverAsync();
        var promoted = await redis.WaitForNewMasterAsync(old, TimeSpan.FromSeconds(20));
        var newMaster = clock.Elapsed;
        // Keep the load on until readiness has been Healthy for a second after the switch.
        var wait = Stopwatch.StartNew();
        while (!readiness.Any(r => r.At > newMaster && r.Status == "Healthy") && wait.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(100);
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        var recovered = readiness.FirstOrDefault(r => r.At > newMaster && r.Status == "Healthy").At;
        TestContext.Progress.WriteLine($"{(kill ? "kill -9" : "SENTINEL FAILOVER")}: master {old} -> {promoted}; sentinels promoted it after " +
            $"{(newMaster - triggered).TotalMilliseconds:F0} ms, readiness Healthy again after {(recovered - triggered).TotalMilliseconds:F0} ms; " +
            $"{answers.Count} answers: {string.Join(", ", answers.GroupBy(a => (a.Path, a.Status)).Select(g => $"{g.Key.Path} {(int)g.Key.Status} ×{g.Count()}"))}; " +
            $"readiness: {string.Join(" ", Collapse(readiness))}; 5xx: {string.Join(" | ", failures)}; " +
            $"Redis in the log: {string.Join(" | ", gateway.Logs.Lines.Where(l => l.Message.StartsWith("Redis unavailable", StringComparison.Ordinal) || l.Message.StartsWith("Sessions:", StringComparison.Ordinal)).Select(l => l.Message).Distinct().Take(20))}");

        Assert.That(recovered, Is.GreaterThan(TimeSpan.Zero), "readiness Healthy again within 20 s of the switch");
        Assert.That(failures, Is.Empty, "no 5xx during the failover");
        Assert.That(answers.Where(a => a.Status != HttpStatusCode.OK).Select(a => $"{a.Path} {(int)a.Status}"), Is.Empty, "every request answered as before");
        foreach (var path in new[] { "/limited", "/cached", "/me" })
            Assert.That(answers.Count(a => a.Path == path && a.At > recovered), Is.GreaterThan(0), $"{path} was still asked after the switch");
        if (kill)
            Assert.That(readiness.Any(r => r.At > triggered && r.At < recovered && r.Status.StartsWith("Degraded", StringComparison.Ordinal)), Is.True, "Degraded while there was no master");

        // The session made before the failover is still valid, on the new master: it can be written (touched) and a
        // new sign-in works.
        Assert.That((await browser.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var second = new Browser(gateway.CreateClient());
        Assert.That((await second.LoginAsync("alice", "correct horse")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await second.SendAsync(HttpMethod.Get, "/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ReadinessAsync(gateway), Is.EqualTo("Healthy"));
    }

    private static async Task<string> ReadinessAsync(GatewayTestHost gateway)
    {
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync("/health/ready");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var status = body["status"]!.GetValue<string>();
        var notHealthy = body["checks"]?.AsObject().Where(c => c.Value!["status"]!.GetValue<string>() != "Healthy").Select(c => c.Key) ?? [];
        return status == "Healthy" ? status : $"{status}({string.Join('+', notHealthy)})";
    }

    private static IEnumerable<string> Collapse(IEnumerable<(string Status, TimeSpan At)> readings)
    {
        string? last = null;
        foreach (var (status, at) in readings)
        {
            if (status == last) continue;
            last = status;
            yield return $"{status}@{at.TotalMilliseconds:F0}ms";
        }
    }
}
