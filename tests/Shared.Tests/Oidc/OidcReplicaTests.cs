using System.Net;
using Bff.Shared.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.Oidc;

/// <summary>
/// #20 across replicas: two gateways share one redis-server (sessions, Data Protection keys, the refresh lock, used
/// logout tokens). A session made on one is used on the other; an expiring access token is refreshed once for 20
/// concurrent requests on both (counted at the provider); the provider's back-channel logout ends the session on both;
/// tampered, foreign or replayed logout tokens are refused.
/// </summary>
internal sealed class OidcReplicaTests
{
    private RedisServer _redis = null!;
    private TestIdentityProvider _idp = null!;
    private EchoBackend _backend = null!;
    private TempFolder _data = null!;
    private OidcGateway _a = null!;
    private OidcGateway _b = null!;

    [SetUp]
    public async Task SetUp()
    {
        _redis = await RedisServer.StartAsync();
        _backend = await EchoBackend.StartAsync(1);
        _data = new TempFolder();
        _idp = new TestIdentityProvider();
        _a = await OidcGateway.StartAsync(_idp, _backend, _data, _redis.ConnectionString);
        _b = await OidcGateway.StartAsync(_idp, _backend, _data, _redis.ConnectionString);
        await _idp.StartAsync(TimeSpan.FromMinutes(5), _a.BaseAddress, _b.BaseAddress);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _idp.DisposeAsync();
        await _backend.DisposeAsync();
        await _redis.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>Signs ada in on replica A; a browser for B holds the same cookie (a load balancer may send it anywhere).</summary>
    private async Task<(OidcBrowser OnA, OidcBrowser OnB, string Cookie)> SignInAsync()
    {
        var onA = new OidcBrowser();
        await onA.SignInAsync(_a.BaseAddress, "ada", TestIdentityProvider.Password);
        var cookie = onA.SessionCookie(_a.BaseAddress)!;
        var onB = new OidcBrowser();
        onB.SetCookie(_b.BaseAddress, "__Host-bffs-session", cookie);
        return (onA, onB, cookie);
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task AnExpiringToken_IsRefreshedOnce_For20ConcurrentRequestsOnTwoReplicas()
    {
        var (onA, onB, cookie) = await SignInAsync();
        using var a = onA;
        using var b = onB;
        var before = (await _a.SessionAsync(cookie)).Tokens!;
        Assert.That((await b.SendAsync(HttpMethod.Get, new Uri(_b.BaseAddress, "/api/me"), csrf: true)).StatusCode, Is.EqualTo(HttpStatusCode.OK),
            "replica B reads the session and decrypts its tokens (shared Data Protection keys)");

        _a.Time.Advance(TimeSpan.FromMinutes(5));
        _b.Time.Advance(TimeSpan.FromMinutes(5));
        var requests = Enumerable.Range(0, 20).Select(async i =>
        {
            // Each request its own browser: the 20 run at once, 10 per replica.
            using var browser = new OidcBrowser();
            var gateway = i % 2 == 0 ? _a : _b;
            browser.SetCookie(gateway.BaseAddress, "__Host-bffs-session", cookie);
            var response = await browser.SendAsync(HttpMethod.Get, new Uri(gateway.BaseAddress, "/api/me"), csrf: true);
            return (response.StatusCode, Token: Jwt.Bearer(browser.Bodies[^1]));
        });
        var answers = await Task.WhenAll(requests);

        Assert.That(answers.Select(x => x.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(_idp.Counter.Of("refresh_token"), Is.EqualTo(1), "one refresh for the session, whatever replica asked");
        var after = (await _b.SessionAsync(cookie)).Tokens!;
        Assert.That(after.AccessToken, Is.Not.EqualTo(before.AccessToken));
        Assert.That(answers.Select(x => x.Token).Distinct(), Is.EqualTo(new[] { after.AccessToken }), "every backend call got the new token");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task BackChannelLogout_FromTheProvider_EndsTheSessionOnBothReplicas()
    {
        var (onA, onB, cookie) = await SignInAsync();
        using var a = onA;
        using var b = onB;
        Assert.That((await b.SendAsync(HttpMethod.Get, new Uri(_b.BaseAddress, "/bff/user"), csrf: true)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var session = (await _a.SessionAsync(cookie)).Session!;
        Assert.That(session.ProviderSessionId, Is.Not.Null, "the ID token's sid is kept");

        // The provider posts a logout token to replica A (its registered back-channel URI).
        var delivered = await _idp.BackChannel.SendAsync("idp-ada", session.ProviderSessionId, CancellationToken.None);
        Assert.That(delivered, Is.EqualTo(1));

        Assert.That((await a.SendAsync(HttpMethod.Get, new Uri(_a.BaseAddress, "/bff/user"), csrf: true)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await b.SendAsync(HttpMethod.Get, new Uri(_b.BaseAddress, "/api/me"), csrf: true)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_backend.RequestCount, Is.Zero);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task TamperedForeignOrReplayedLogoutTokens_AreRefused_AndEndNothing()
    {
        var (onA, onB, cookie) = await SignInAsync();
        using var a = onA;
        using var b = onB;
        var backChannel = _idp.BackChannel;
        var good = backChannel.CreateToken(TestIdentityProvider.ClientId, "idp-ada", "some-other-sid");
        var parts = good.Split('.');
        var tampered = $"{parts[0]}.{parts[1][..^2]}{(parts[1][^2] == 'A' ? 'B' : 'A')}{parts[1][^1]}.{parts[2]}";
        var refused = new[]
        {
            tampered,
            backChannel.CreateToken("another-client", "idp-ada", null),
            backChannel.CreateToken(TestIdentityProvider.ClientId, "idp-ada", null, new Dictionary<string, object> { ["nonce"] = "n-1" }),
            backChannel.CreateToken(TestIdentityProvider.ClientId, "idp-ada", null, new Dictionary<string, object> { ["events"] = new Dictionary<string, object>() }),
            backChannel.CreateToken(TestIdentityProvider.ClientId, null, null),
            good[..^5] + "xxxxx",
            "",
        };
        foreach (var token in refused)
            Assert.That(await PostLogoutTokenAsync(_a, token), Is.EqualTo(HttpStatusCode.BadRequest), token.Length > 40 ? token[..40] : token);

        // A valid token for another provider session (sid) ends nothing here; the same token again — on the other
        // replica — is a replay.
        Assert.That(await PostLogoutTokenAsync(_a, good), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await PostLogoutTokenAsync(_b, good), Is.EqualTo(HttpStatusCode.BadRequest), "replayed");
        Assert.That((await b.SendAsync(HttpMethod.Get, new Uri(_b.BaseAddress, "/bff/user"), csrf: true)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "still signed in");
        Assert.That(await _a.Host.Services.GetRequiredService<ISessionStore>().GetAsync(SessionKeys.KeyOf(cookie), CancellationToken.None), Is.Not.Null);
    }

    private static async Task<HttpStatusCode> PostLogoutTokenAsync(OidcGateway gateway, string token)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(gateway.BaseAddress, "/bff/backchannel"), new FormUrlEncodedContent([new("logout_token", token)]));
        return response.StatusCode;
    }
}
