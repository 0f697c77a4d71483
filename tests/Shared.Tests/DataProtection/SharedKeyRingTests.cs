using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.DataProtection;

/// <summary>#21 item 3: every replica of a BFF shares one Data Protection key ring — in Redis, or in
/// DataProtection:KeysFolder — so what one replica protects (cookies, provider tokens, OIDC state) another reads.</summary>
internal sealed class SharedKeyRingTests
{
    private const string NoRoutes = """{ "Routes": [] }""";

    private static void AssertShared(GatewayTestHost one, GatewayTestHost two)
    {
        var payload = one.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("made by replica one");
        Assert.That(two.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(payload), Is.EqualTo("made by replica one"));
    }

    [Test, Category("Redis")]
    public async Task WithRedis_ReplicasShareTheKeyRing()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString };
        await using var one = await GatewayTestHost.StartAsync(NoRoutes, settings);
        await using var two = await GatewayTestHost.StartAsync(NoRoutes, settings);

        AssertShared(one, two);
        using var mux = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        Assert.That(await mux.GetDatabase().ListLengthAsync(DataProtectionHostApplicationBuilderExtensions.RedisKey), Is.GreaterThan(0), "the key is in Redis");
    }

    [Test]
    public async Task WithAKeysFolder_ReplicasShareTheKeyRing()
    {
        using var keys = new TempFolder();
        var settings = new Dictionary<string, string?> { ["DataProtection:KeysFolder"] = keys.Path };
        await using var one = await GatewayTestHost.StartAsync(NoRoutes, settings);
        await using var two = await GatewayTestHost.StartAsync(NoRoutes, settings);

        AssertShared(one, two);
        Assert.That(Directory.GetFiles(keys.Path, "key-*.xml"), Is.Not.Empty);
    }

    [Test]
    public async Task WithoutEither_AnotherReplicaCannotRead()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        await using var one = await GatewayTestHost.StartAsync(NoRoutes, new Dictionary<string, string?> { ["DataProtection:KeysFolder"] = a.Path });
        await using var two = await GatewayTestHost.StartAsync(NoRoutes, new Dictionary<string, string?> { ["DataProtection:KeysFolder"] = b.Path });

        Assert.That(() => AssertShared(one, two), Throws.InstanceOf<System.Security.Cryptography.CryptographicException>(), "the check can fail: two key rings");
    }
}
