using System.Collections.Concurrent;
using System.Net;
using Bff.Shared.KeyStore;
using Bff.Shared.Tests.Sessions;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bff.Shared.Tests.Hosting;

/// <summary>
/// #21: Redis Cluster (three real masters made with <c>redis-cli --cluster create</c>) behind two gateway replicas:
/// every key of one rate-limit decision in one slot (the client's hash tag), limits exact across the replicas, the
/// response cache and sessions shared, and a node restart survived.
/// </summary>
[Category("Redis")]
internal sealed class RedisClusterTests
{
    private int _backendCalls;
    private TestBackend _backend = null!;
    private TempFolder _data = null!;

    [SetUp]
    public async Task Start()
    {
        _backendCalls = 0;
        _backend = await TestBackend.StartAsync(async context =>
        {
            Interlocked.Increment(ref _backendCalls);
            await context.Response.WriteAsync("answer");
        });
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
            { "UpstreamPathTemplate": "/limited/{id}", "DownstreamPathTemplate": "/limited/{id}",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "RateLimitOptions": { "Limit": 20, "Period": "1m", "Limits": [ { "Name": "burst", "Limit": 1000, "Period": "1s" } ] } },
            { "UpstreamPathTemplate": "/cached", "DownstreamPathTemplate": "/cached",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "FileCacheOptions": { "TtlSeconds": 60 } },
            { "UpstreamPathTemplate": "/me", "DownstreamPathTemplate": "/me",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "AuthenticationOptions": { "AuthenticationProviderKey": "Session" } } ] }
        """;

    // The real clock: the rate limiter's return to Redis after a failure runs on it.
    private Task<GatewayTestHost> ReplicaAsync(RedisClusterSet cluster) =>
        GatewayTestHost.StartAsync(Config(), GatewayTestHost.KeyStoreSettings(_data, cluster.ConnectionString),
            configure: builder => builder.AddKeyStore().AddSessionAuthentication());

    [Test]
    public async Task ThreeMasters_LimitsExactInOneSlot_CacheAndSessionsShared_NodeRestartSurvived()
    {
        await using var cluster = await RedisClusterSet.StartAsync();
        await using var one = await ReplicaAsync(cluster);
        await using var two = await ReplicaAsync(cluster);
        await one.Services.GetRequiredService<UserService>().CreateAsync("alice", "correct horse", [], new AuditActor("test"));
        using var a = one.CreateClient();
        using var b = two.CreateClient();

        // Rate limits: 60 requests alternating between the replicas; exactly the limit is admitted, so both decided in
        // Redis (a replica deciding alone would admit its own 20).
        var statuses = new ConcurrentBag<HttpStatusCode>();
        await Parallel.ForAsync(0, 60, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            statuses.Add((await (i % 2 == 0 ? a : b).GetAsync($"/limited/{i}", ct)).StatusCode));
        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(20), "exactly the limit across both replicas");
        Assert.That(statuses.Count(s => s == HttpStatusCode.TooManyRequests), Is.EqualTo(40));

        // Both rules of the decision, and their window keys, hash to one slot.
        var keys = await cluster.KeysAsync("Ocelot.RateLimiting:*");
        Assert.That(keys, Has.Count.GreaterThanOrEqualTo(2), string.Join(", ", keys));
        var slots = new HashSet<long>();
        foreach (var key in keys) slots.Add(await cluster.SlotOfAsync(key));
        Assert.That(slots, Has.Count.EqualTo(1), string.Join(", ", keys));

        // The response cache is shared: one backend call for answers from both replicas.
        var before = _backendCalls;
        Assert.That(await a.GetStringAsync("/cached"), Is.EqualTo("answer"));
        await Eventually.HoldsAsync(async () => await b.GetStringAsync("/cached") == "answer" && _backendCalls == before + 1, TimeSpan.FromSeconds(5), "replica two served the cached answer");
        Assert.That(_backendCalls, Is.EqualTo(before + 1));

        // A session made on one replica is used on the other.
        using var browser = new Browser(one.CreateClient());
        Assert.That((await browser.LoginAsync("alice", "correct horse")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var other = new Browser(two.CreateClient()) { SessionCookie = browser.SessionCookie };
        Assert.That((await other.SendAsync(HttpMethod.Get, "/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Restart the node that holds the session: while it is away nothing answers 500; after it, the session is
        // still valid (its append-only file) and the limit still holds (the counter came back with it, or lives elsewhere).
        var sessionKeys = await cluster.KeysAsync("bffs:session:*");
        var node = await cluster.NodeOfAsync(sessionKeys.Single());
        using var stop = new CancellationTokenSource();
        var during = new ConcurrentBag<(string Path, HttpStatusCode Status)>();
        async Task Load()
        {
            while (!stop.IsCancellationRequested)
            {
                using var me = await other.SendAsync(HttpMethod.Get, "/me");
                during.Add(("/me", me.StatusCode));
                using var limited = await b.GetAsync("/limited/x");
                during.Add(("/limited", limited.StatusCode));
                await Task.Delay(20);
            }
        }
        var load = Load();
        await cluster.RestartAsync(node, TimeSpan.FromSeconds(1));
        await Task.Delay(1000);
        await stop.CancelAsync();
        await load;

        TestContext.Progress.WriteLine("during the restart: " + string.Join(", ", during.GroupBy(d => d).Select(g => $"{g.Key.Path} {(int)g.Key.Status} ×{g.Count()}")));
        Assert.That(during.Where(d => d.Status == HttpStatusCode.InternalServerError), Is.Empty, "no 500 while a node restarts");
        Assert.That(during.Where(d => d.Path == "/me").Select(d => d.Status), Has.All.AnyOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable),
            "the session is valid, or its node is away (503, Retry-After)");
        Assert.That(during.Where(d => d.Path == "/limited").Select(d => d.Status), Has.All.AnyOf(HttpStatusCode.OK, HttpStatusCode.TooManyRequests));
        Assert.That((await other.SendAsync(HttpMethod.Get, "/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the session survived the restart");
        await Eventually.HoldsAsync(async () => (await b.GetAsync("/limited/y")).StatusCode == HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(5),
            "the limit still holds after the restart");
    }
}
