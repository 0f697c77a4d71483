using Bff.Shared.Observability;
using Bff.Shared.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bff.Shared.Tests.Security;

/// <summary>Memory keyed by what a client can choose stays bounded: in-memory sessions, the alert maps, API-key lookups.</summary>
internal sealed class BoundedMemoryTests
{
    private static SessionRecord Session(string user, int n, DateTimeOffset at) =>
        new($"key-{user}-{n:D4}-0123456789abcdef", $"h{n}", user, user, [], at, at, at.AddHours(8), null, null);

    [Test]
    public async Task MemorySessions_KeepAtMostMaxPerUser_DroppingTheOldest()
    {
        var time = TestClock.StartingNow();
        using var store = new MemorySessionStore(time, Microsoft.Extensions.Options.Options.Create(new SessionOptions { MaxPerUser = 3 }));
        for (var i = 0; i < 10; i++)
        {
            await store.SaveAsync(Session("ada", i, time.GetUtcNow()), TimeSpan.FromMinutes(20), CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(1));
        }
        await store.SaveAsync(Session("grace", 0, time.GetUtcNow()), TimeSpan.FromMinutes(20), CancellationToken.None);

        var ada = await store.ListAsync("ada", CancellationToken.None);
        Assert.That(ada.Select(s => s.Handle), Is.EquivalentTo(new[] { "h7", "h8", "h9" }), "the three newest");
        Assert.That(await store.GetAsync(Session("ada", 0, time.GetUtcNow()).Key, CancellationToken.None), Is.Null, "the oldest ended");
        Assert.That(await store.ListAsync("grace", CancellationToken.None), Has.Count.EqualTo(1), "another user is not affected");
        Assert.That(store.Count, Is.EqualTo(4));
    }

    [Test]
    public async Task MemorySessions_ExpiredOnes_ArePrunedOnATimer()
    {
        var time = TestClock.StartingNow();
        using var store = new MemorySessionStore(time, Microsoft.Extensions.Options.Options.Create(new SessionOptions()));
        for (var i = 0; i < 500; i++)
            await store.SaveAsync(Session("u" + i, 0, time.GetUtcNow()), TimeSpan.FromMinutes(2), CancellationToken.None);
        Assert.That(store.Count, Is.EqualTo(500));

        time.Advance(TimeSpan.FromMinutes(3)); // past their expiry and past a prune tick; nobody reads them

        Assert.That(store.Count, Is.Zero);
    }

    [Test]
    public void Alerts_SubjectsFromRequests_AreBounded_AndIdleOnesMakeRoom()
    {
        var time = TestClock.StartingNow();
        using var alerts = new GatewayAlerts(new ConfigurationBuilder().Build(), time, NullLogger<GatewayAlerts>.Instance);
        for (var i = 0; i < GatewayAlerts.MaxSubjects * 3; i++)
        {
            alerts.Raise("bad-header", "h:" + i, LogLevel.Warning, "spoofed header");
            alerts.Count("bad-key", "h:" + i, 10);
        }
        Assert.That(alerts.TrackedSubjects, Is.LessThanOrEqualTo(GatewayAlerts.MaxSubjects * 2));
        Assert.That(alerts.Raise("bad-header", "h:new", LogLevel.Warning, "x"), Is.False, "full: a new subject waits");
        Assert.That(alerts.Raise("bad-header", "h:0", LogLevel.Warning, "x"), Is.False, "a known one is still de-duplicated");

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.That(alerts.Raise("bad-header", "h:new", LogLevel.Warning, "x"), Is.True, "idle subjects made room");
        Assert.That(alerts.TrackedSubjects, Is.LessThanOrEqualTo(GatewayAlerts.MaxSubjects * 2));
    }

    [Test]
    public async Task ApiKeyLookups_OfGuessedIds_StayWithinCacheEntries_AndAKnownKeyStillWorks()
    {
        await using var backend = await EchoBackend.StartAsync();
        var config = $$"""
            { "Routes": [ { "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders",
                "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ],
                "AuthenticationOptions": { "AuthenticationProviderKey": "ApiKey" } } ] }
            """;
        await using var gateway = await Bff.Shared.Tests.KeyStore.KeyStoreGateway.StartAsync(config, extra: new Dictionary<string, string?>
        {
            ["ApiKeys:CacheEntries"] = "20",
            ["ApiKeys:MaxFailuresPerMinute"] = "100000", // not blocked: every guess is looked up
        });
        var good = await gateway.NewKeyAsync("orders:read");
        using var client = gateway.Host.CreateClient();
        async Task<System.Net.HttpStatusCode> Call(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/orders") { Headers = { { "X-Api-Key", key } } };
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        for (var i = 0; i < 200; i++)
            Assert.That(await Call(Bff.Shared.ApiKeys.ApiKeyCodec.Generate("test").Key), Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));

        var memory = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Bff.Shared.ApiKeys.ApiKeyCache>(gateway.Host.Services).Memory;
        Assert.That(memory.Count, Is.InRange(1, 20), "at most ApiKeys:CacheEntries records in memory");
        Assert.That(await Call(good.Key), Is.EqualTo(System.Net.HttpStatusCode.OK));
    }
}
