using System.Net;
using Bff.Shared.Caching;
using Bff.Shared.Tests.KeyStore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.Caching;

/// <summary>Cache keys on authenticated routes, and the two-level cache on a real redis-server.</summary>
internal sealed class ResponseCacheIdentityAndRedisTests
{
    private TestBackend _backend = null!;
    private int _calls;

    [SetUp]
    public async Task Start()
    {
        _calls = 0;
        _backend = await TestBackend.StartAsync(async context =>
        {
            var n = Interlocked.Increment(ref _calls);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"call":{{n}},"client":"{{context.Request.Headers["X-Client-Id"]}}"}""");
        });
    }

    [TearDown]
    public async Task Stop() => await _backend.DisposeAsync();

    private string Config(string shared) => $$"""
        { "Routes": [ { "Key": "profile", "UpstreamPathTemplate": "/profile", "DownstreamPathTemplate": "/profile",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
            "AuthenticationOptions": { "AuthenticationProviderKey": "ApiKey" },
            "AddHeadersToRequest": { "X-Client-Id": "Claims[client_id] > value" },
            "CacheOptions": { "TtlSeconds": 60 {{shared}} } } ] }
        """;

    private static async Task<(string? XCache, string Body)> Get(GatewayTestHost host, string key)
    {
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/profile");
        request.Headers.Add("X-Api-Key", key);
        var response = await client.SendAsync(request);
        return (response.Headers.TryGetValues("X-Cache", out var x) ? x.Single() : null, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task AuthenticatedRoute_OneEntryPerIdentity_UserANeverGetsUserBsEntry()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(""));
        var a = await gateway.NewKeyAsync("x", client: "alpha");
        var b = await gateway.NewKeyAsync("x", client: "beta");

        var a1 = await Get(gateway.Host, a.Key);
        var b1 = await Get(gateway.Host, b.Key);
        var a2 = await Get(gateway.Host, a.Key);

        Assert.That((a1.XCache, b1.XCache, a2.XCache), Is.EqualTo(("MISS", "MISS", "HIT")));
        Assert.That(b1.Body, Is.Not.EqualTo(a1.Body));
        Assert.That(a2.Body, Is.EqualTo(a1.Body));
    }

    [Test]
    public async Task SharedRoute_OneEntryForEveryone()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(", \"Shared\": true"));
        var a = await gateway.NewKeyAsync("x", client: "alpha");
        var b = await gateway.NewKeyAsync("x", client: "beta");
        await Get(gateway.Host, a.Key);
        Assert.That((await Get(gateway.Host, b.Key)).XCache, Is.EqualTo("HIT"));
    }

    private string PublicConfig() => $$"""
        { "Routes": [ { "Key": "news", "UpstreamPathTemplate": "/news", "DownstreamPathTemplate": "/news",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
            "CacheOptions": { "TtlSeconds": 60, "Region": "news" } } ] }
        """;

    private static async Task<string?> XCache(GatewayTestHost host)
    {
        using var client = host.CreateClient();
        var response = await client.GetAsync("/news");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return response.Headers.TryGetValues("X-Cache", out var x) ? x.Single() : null;
    }

    [Test]
    [Category("Redis")]
    public async Task ApiKeyAndResponseCaches_ShareOneRedis_UnderTheirOwnPrefixes_WithoutFusionCacheWarnings()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var gateway = await KeyStoreGateway.StartAsync(Config(""), redis: redis.ConnectionString);
        var key = await gateway.NewKeyAsync("x", client: "alpha");

        Assert.That((await Get(gateway.Host, key.Key)).XCache, Is.EqualTo("MISS"));
        Assert.That((await Get(gateway.Host, key.Key)).XCache, Is.EqualTo("HIT"));

        // Both named caches write to Redis (L2), each under its own prefix, so their keys and tags cannot collide.
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        // The response entry is written to Redis in the background (AllowBackgroundDistributedCacheOperations).
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        List<string> keys = [];
        await Eventually.HoldsAsync(() =>
        {
            keys = server.Keys(pattern: "*").Select(k => (string)k!).ToList();
            return keys.Any(k => k.Contains("bffs-apikeys:apikey:", StringComparison.Ordinal)) && keys.Any(k => k.Contains("bffs-responses:", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(1), "both caches wrote to Redis under their own prefix");
        // The only other key is the host's Data Protection key ring (not a FusionCache key; written at start-up).
        Assert.That(keys.Where(k => !k.Contains("bffs-apikeys:", StringComparison.Ordinal) && !k.Contains("bffs-responses:", StringComparison.Ordinal)
                && k != Microsoft.Extensions.DependencyInjection.DataProtectionHostApplicationBuilderExtensions.RedisKey),
            Is.Empty, "every FusionCache key carries its cache's prefix");

        // FusionCache checks its setup when a cache is first used and warns about a missing key prefix or a
        // serializer that drops value tuples; a production host must start without those warnings.
        var warnings = gateway.Host.Logs.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning
            && l.Category.StartsWith("ZiggyCreatures", StringComparison.Ordinal)).Select(l => l.Message).ToList();
        Assert.That(warnings, Is.Empty);
    }

    [Test]
    [Category("Redis")]
    public async Task TwoReplicas_ShareEntries_AndARegionPurgeReachesBoth()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString };
        await using var one = await GatewayTestHost.StartAsync(PublicConfig(), settings);
        await using var two = await GatewayTestHost.StartAsync(PublicConfig(), settings);

        Assert.That(await XCache(one), Is.EqualTo("MISS"));
        Assert.That(await XCache(two), Is.EqualTo("HIT"), "L2 (Redis) shared");
        Assert.That(_calls, Is.EqualTo(1));

        await one.Services.GetRequiredService<ResponseCache>().PurgeRegionAsync("news", CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(1);
        string? onTwo;
        do { onTwo = await XCache(two); } while (onTwo == "HIT" && DateTime.UtcNow < deadline);
        Assert.That(onTwo, Is.EqualTo("MISS"), "the purge reached the other replica within a second");
    }

    [Test]
    [Category("Redis")]
    public async Task RedisStopped_MemoryKeepsServing_MissesGoDownstream_NoErrors()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(PublicConfig(), new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        Assert.That(await XCache(gateway), Is.EqualTo("MISS"));

        await redis.KillAsync();
        Assert.That(await XCache(gateway), Is.EqualTo("HIT"), "L1 keeps serving");
        await gateway.Services.GetRequiredService<ResponseCache>().PurgeRegionAsync("news", CancellationToken.None);
        Assert.That(await XCache(gateway), Is.EqualTo("MISS"), "a miss goes downstream");
        Assert.That(gateway.Logs.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Critical), Is.Empty);

        await redis.RestartAsync();
        Assert.That(await XCache(gateway), Is.EqualTo("HIT"));
    }
}
