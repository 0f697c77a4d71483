using System.Security.Claims;
using Bff.Shared.Tests.Tokens;
using Microsoft.Extensions.Hosting;

namespace Bff.Shared.Tests.Security;

/// <summary>
/// Issue #17 item 5: the backend's <c>Vary</c> joins the key (<c>Vary: *</c> is never stored), and an authenticated
/// caller without a stable id is never cached — it would share one entry with every other such caller.
/// </summary>
internal sealed class CacheVaryAndIdentityTests
{
    private EchoBackend _backend = null!;

    [SetUp]
    public async Task Start() => _backend = await EchoBackend.StartAsync();

    [TearDown]
    public async Task Stop() => await _backend.DisposeAsync();

    private string Config(string extra = "") => $$"""
        { "Routes": [ { "Key": "r", "UpstreamPathTemplate": "/items", "DownstreamPathTemplate": "/items",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
            "CacheOptions": { "TtlSeconds": 60 } {{extra}} } ] }
        """;

    // X-Echo-Response-Vary makes the echo backend answer with that Vary header (on every request alike).
    private Task<(string? XCache, EchoedRequest Echo)> Get(GatewayTestHost gateway, string vary, params (string, string)[] headers) =>
        CacheKeyTests.GetAsync(gateway, "/items", vary.Length == 0 ? headers : [("X-Echo-Response-Vary", vary), .. headers]);

    [Test]
    public async Task BackendVary_TheEntryVariesByThatRequestHeader()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config());

        var a = await Get(gateway, "X-Foo", ("X-Foo", "a"));
        var b = await Get(gateway, "X-Foo", ("X-Foo", "b"));
        var a2 = await Get(gateway, "X-Foo", ("X-Foo", "a"));
        var b2 = await Get(gateway, "X-Foo", ("X-Foo", "b"));
        var none = await Get(gateway, "X-Foo");

        Assert.That((a.XCache, b.XCache, a2.XCache, b2.XCache, none.XCache), Is.EqualTo(("MISS", "MISS", "HIT", "HIT", "MISS")));
        Assert.That((a2.Echo.Headers["X-Foo"], b2.Echo.Headers["X-Foo"]), Is.EqualTo(("a", "b")), "each variant its own entry");
        Assert.That(none.Echo.Headers.ContainsKey("X-Foo"), Is.False);
        Assert.That(_backend.RequestCount, Is.EqualTo(3));
    }

    [Test]
    public async Task BackendVary_SeveralNamesInAnyCase_AllJoinTheKey()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config());

        var first = await Get(gateway, "x-foo, X-BAR", ("X-Foo", "1"), ("X-Bar", "1"));
        var otherBar = await Get(gateway, "x-foo, X-BAR", ("X-Foo", "1"), ("X-Bar", "2"));
        var again = await Get(gateway, "x-foo, X-BAR", ("X-Bar", "1"), ("X-Foo", "1"));

        Assert.That((first.XCache, otherBar.XCache, again.XCache), Is.EqualTo(("MISS", "MISS", "HIT")));
        Assert.That(otherBar.Echo.Headers["X-Bar"], Is.EqualTo("2"));
    }

    [Test]
    public async Task BackendVaryStar_IsNeverStored()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config());

        var first = await Get(gateway, "*");
        var second = await Get(gateway, "*");

        Assert.That((first.XCache, second.XCache), Is.EqualTo(("BYPASS", "BYPASS")));
        Assert.That(_backend.RequestCount, Is.EqualTo(2));
    }

    [Test]
    public async Task BackendVary_OnAHeaderTheGatewaySets_KeysOnWhatTheBackendGot_NotOnTheClientsCopy()
    {
        // With AllowedHosts restricting Host, the gateway sends the Host it was called on as X-Forwarded-Host and
        // drops the client's own copy: that copy keys nothing.
        await using var gateway = await GatewayTestHost.StartAsync(Config(), new Dictionary<string, string?> { ["AllowedHosts"] = "shop.example;evil.example" });

        var spoofed = await Get(gateway, "X-Forwarded-Host", ("Host", "evil.example"), ("X-Forwarded-Host", "shop.example"));
        var victim = await Get(gateway, "X-Forwarded-Host", ("Host", "shop.example"), ("X-Forwarded-Host", "shop.example"));

        Assert.That(spoofed.Echo.Headers["X-Forwarded-Host"], Is.EqualTo("evil.example"));
        Assert.That((spoofed.XCache, victim.XCache), Is.EqualTo(("MISS", "MISS")));
        Assert.That(victim.Echo.Headers["X-Forwarded-Host"], Is.EqualTo("shop.example"), "never the variant made for another host");
    }

    [Test]
    public async Task BackendVary_OnAHeaderATransformSets_IsNotStored()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config(""", "UpstreamHeaderTransform": { "X-Client": "{RemoteIpAddress}" }"""));

        var first = await Get(gateway, "X-Client", ("X-Client", "1.2.3.4"));
        var second = await Get(gateway, "X-Client", ("X-Client", "1.2.3.4"));

        Assert.That(first.Echo.Headers["X-Client"], Is.EqualTo("127.0.0.1"));
        Assert.That((first.XCache, second.XCache), Is.EqualTo(("BYPASS", "BYPASS")));
    }

    [Test]
    public async Task PrincipalWithoutSub_OnAnAuthenticatedRoute_IsNotCached_ButOneWithSubIs()
    {
        await using var issuer = await ExternalIssuer.StartAsync();
        using var data = new TempFolder();
        await using var gateway = await GatewayTestHost.StartAsync(
            Config(""", "AuthenticationOptions": { "AuthenticationProviderKey": "Bearer" }"""),
            issuer.GatewaySettings(data), configure: builder => builder.AddKeyStore().AddTokenAuthentication());
        // Client-credentials style tokens: no sub, only the client they were issued to.
        var serviceA = issuer.Token(ExternalIssuer.Audience, new Claim("azp", "service-a"));
        var serviceB = issuer.Token(ExternalIssuer.Audience, new Claim("azp", "service-b"));
        var user = issuer.Token(ExternalIssuer.Audience, new Claim("sub", "user-1"));

        var a = await Get(gateway, "", ("Authorization", "Bearer " + serviceA));
        var b = await Get(gateway, "", ("Authorization", "Bearer " + serviceB));
        var a2 = await Get(gateway, "", ("Authorization", "Bearer " + serviceA));
        Assert.That((a.XCache, b.XCache, a2.XCache), Is.EqualTo(("BYPASS", "BYPASS", "BYPASS")));
        Assert.That(_backend.RequestCount, Is.EqualTo(3), "every call without a stable id went to the backend");
        Assert.That(gateway.Logs.Lines.Any(l => l.Message.Contains("no stable id", StringComparison.Ordinal)), Is.True);

        var u1 = await Get(gateway, "", ("Authorization", "Bearer " + user));
        var u2 = await Get(gateway, "", ("Authorization", "Bearer " + user));
        Assert.That((u1.XCache, u2.XCache), Is.EqualTo(("MISS", "HIT")));
    }
}
