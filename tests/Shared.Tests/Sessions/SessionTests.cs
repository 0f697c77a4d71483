using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;

namespace Bff.Shared.Tests.Sessions;

/// <summary>Web sign-in with server-side sessions, anti-forgery, expiry and revocation, against real backends.</summary>
internal sealed class SessionTests
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
            { "UpstreamPathTemplate": "/api/{everything}", "DownstreamPathTemplate": "/{everything}", "DownstreamScheme": "http",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "AuthenticationOptions": { "AuthenticationProviderKey": "Session" },
              "AddHeadersToRequest": { "X-User-Id": "Claims[sub] > value", "X-User-Name": "Claims[name] > value" } },
            { "UpstreamPathTemplate": "/admin-only", "DownstreamPathTemplate": "/admin",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "AuthenticationOptions": { "AuthenticationProviderKey": "Session" },
              "RouteClaimsRequirement": { "role": "admin" } },
            { "UpstreamPathTemplate": "/open", "DownstreamPathTemplate": "/open",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ] } ] }
        """;

    private static async Task<JsonNode> Json(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Test]
    public async Task Login_SetsAHostOnlySecureStrictHttpOnlyCookie_AndUserShowsTheClaims()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        await gateway.CreateUserAsync("alice", "correct horse", "admin");
        using var browser = gateway.Browser();

        var login = await browser.LoginAsync("alice", "correct horse");

        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), await login.Content.ReadAsStringAsync());
        var cookie = browser.LastSetCookie!.ToLowerInvariant();
        Assert.That(cookie, Does.StartWith("__host-bffs-session="));
        Assert.That(cookie, Does.Contain("; httponly").And.Contain("; secure").And.Contain("; samesite=strict").And.Contain("; path=/"));
        Assert.That(cookie, Does.Not.Contain("domain="));
        Assert.That(browser.SessionCookie, Has.Length.GreaterThanOrEqualTo(43), "an opaque 256-bit id");

        var user = await Json(await browser.SendAsync(HttpMethod.Get, "/bff/user"));
        var claims = user["claims"]!.AsArray().Select(c => $"{c!["type"]}={c["value"]}").ToList();
        Assert.That(claims, Does.Contain("name=alice").And.Contain("role=admin"));
        Assert.That(user["sessionExpiresAt"], Is.Not.Null);
    }

    [Test]
    public async Task RealCookieContainer_OverHttps_KeepsTheSessionLikeABrowser()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data, extra: new Dictionary<string, string?> { [GatewayTestHost.HttpsSetting] = "true" });
        await gateway.CreateUserAsync("alice", "correct horse");
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{gateway.Host.BaseAddress.Port}") };
        client.DefaultRequestHeaders.Add("X-CSRF", "1");

        var login = await client.PostAsJsonAsync("/bff/login", new { username = "alice", password = "correct horse" });
        var stored = cookies.GetCookies(client.BaseAddress).Single();

        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((stored.Name, stored.HttpOnly, stored.Secure, stored.Path), Is.EqualTo(("__Host-bffs-session", true, true, "/")));
        Assert.That((await client.GetAsync("/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/api/orders")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.PostAsync("/bff/logout", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await client.GetAsync("/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task WrongPassword_UnknownUser_Locked_AllGetTheSame401()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data, extra: new Dictionary<string, string?> { ["Users:MaxFailedLogins"] = "3" });
        await gateway.CreateUserAsync("bob", "right password");
        using var browser = gateway.Browser();

        var wrong = await browser.LoginAsync("bob", "wrong password");
        var unknown = await browser.LoginAsync("nobody", "whatever!");
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Json(wrong), Is.Not.Null);
        Assert.That((await Json(wrong))["detail"]!.GetValue<string>(), Is.EqualTo((await Json(unknown))["detail"]!.GetValue<string>()));

        await browser.LoginAsync("bob", "wrong password");
        await browser.LoginAsync("bob", "wrong password"); // third failure: locked
        Assert.That((await browser.LoginAsync("bob", "right password")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "locked out");
        gateway.Time.Advance(TimeSpan.FromMinutes(16));
        Assert.That((await browser.LoginAsync("bob", "right password")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "lockout over");
    }

    [Test]
    public async Task WithoutCsrfHeader_LoginAndRoutesAre401()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        await gateway.CreateUserAsync("alice", "correct horse");
        using var browser = gateway.Browser();

        Assert.That((await browser.LoginAsync("alice", "correct horse", csrf: false)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await browser.LoginAsync("alice", "correct horse");
        var before = _backend.RequestCount;
        var response = await browser.SendAsync(HttpMethod.Post, "/api/orders", new { x = 1 }, csrf: false);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Json(response))["detail"]!.GetValue<string>(), Does.Contain("X-CSRF"));
        Assert.That(_backend.RequestCount, Is.EqualTo(before), "nothing forwarded");
    }

    [Test]
    public async Task SessionRoute_ForwardsTheIdentity_NeverTheCookieOrCsrfHeader()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        await gateway.CreateUserAsync("alice", "correct horse");
        using var browser = gateway.Browser();
        await browser.LoginAsync("alice", "correct horse");

        var echoed = await Json(await browser.SendAsync(HttpMethod.Get, "/api/orders/7"));
        var headers = echoed["headers"]!.AsObject();

        Assert.That(headers["X-User-Name"]!.GetValue<string>(), Is.EqualTo("alice"));
        Assert.That(headers["X-User-Id"]!.GetValue<string>(), Does.StartWith("usr_"));
        Assert.That(headers.ContainsKey("Cookie"), Is.False);
        Assert.That(headers.ContainsKey("X-CSRF"), Is.False);
    }

    [Test]
    public async Task AnonymousRoute_GetsOtherCookiesButNotTheSessionCookie()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        await gateway.CreateUserAsync("alice", "correct horse");
        using var browser = gateway.Browser();
        await browser.LoginAsync("alice", "correct horse");

        var headers = (await Json(await browser.SendAsync(HttpMethod.Get, "/open")))["headers"]!.AsObject();

        Assert.That(headers["Cookie"]!.GetValue<string>(), Is.EqualTo("theme=dark"));
    }

    [Test]
    public async Task Anonymous_UserIs401_NeverARedirect()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        using var browser = gateway.Browser();

        var response = await browser.SendAsync(HttpMethod.Get, "/bff/user");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await browser.SendAsync(HttpMethod.Get, "/api/orders")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task RoleRequirement_Is403ForOthers()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        await gateway.CreateUserAsync("alice", "correct horse", "admin");
        await gateway.CreateUserAsync("carol", "correct horse");
        using var admin = gateway.Browser();
        using var user = gateway.Browser();
        await admin.LoginAsync("alice", "correct horse");
        await user.LoginAsync("carol", "correct horse");

        Assert.That((await admin.SendAsync(HttpMethod.Get, "/admin-only")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await user.SendAsync(HttpMethod.Get, "/admin-only")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task IdleTimeout_EndsAnUnusedSession_UseKeepsItAlive()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        await gateway.CreateUserAsync("alice", "correct horse");
        using var active = gateway.Browser();
        using var idle = gateway.Browser();
        await active.LoginAsync("alice", "correct horse");
        await idle.LoginAsync("alice", "correct horse");

        for (var i = 0; i < 3; i++)
        {
            gateway.Time.Advance(TimeSpan.FromMinutes(10));
            Assert.That((await active.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.OK), $"used every 10 minutes ({i})");
        }
        Assert.That((await idle.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "idle for 30 minutes");
    }

    [Test]
    public async Task AbsoluteLifetime_EndsEvenAnActiveSession()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data, extra: new Dictionary<string, string?> { ["Sessions:AbsoluteLifetime"] = "01:00:00" });
        await gateway.CreateUserAsync("alice", "correct horse");
        using var browser = gateway.Browser();
        await browser.LoginAsync("alice", "correct horse");

        for (var i = 0; i < 5; i++)
        {
            gateway.Time.Advance(TimeSpan.FromMinutes(11));
            Assert.That((await browser.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        gateway.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.That((await browser.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task DisablingAUser_EndsTheirSessions()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        await gateway.CreateUserAsync("mallory", "correct horse");
        using var browser = gateway.Browser();
        await browser.LoginAsync("mallory", "correct horse");
        Assert.That((await browser.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await gateway.Host.Services.GetRequiredService<Bff.Shared.Users.UserService>().DisableAsync("mallory", new Bff.Shared.KeyStore.AuditActor("test"));

        Assert.That((await browser.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await browser.LoginAsync("mallory", "correct horse")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task RevokedSession_IsNotBroughtBackBySliding()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        var store = gateway.Host.Services.GetRequiredService<Bff.Shared.Sessions.ISessionStore>();
        var now = gateway.Time.GetUtcNow();
        var session = new Bff.Shared.Sessions.SessionRecord("K", "k", "usr_1", "x", [], now, now, now.AddHours(1), null, null);
        await store.SaveAsync(session, TimeSpan.FromMinutes(5), CancellationToken.None);
        await store.DeleteAsync(session, CancellationToken.None);

        await store.TouchAsync(session with { LastSeenAt = now.AddMinutes(1) }, TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.That(await store.GetAsync("K", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Logout_RevokesTheSessionServerSide()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        await gateway.CreateUserAsync("alice", "correct horse");
        using var browser = gateway.Browser();
        await browser.LoginAsync("alice", "correct horse");
        var stolen = browser.SessionCookie;

        Assert.That((await browser.SendAsync(HttpMethod.Post, "/bff/logout")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        using var thief = gateway.Browser();
        thief.SessionCookie = stolen;
        Assert.That((await thief.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the old cookie is worthless");
    }

    [Test]
    public async Task Sessions_ListsMine_AndRevokesAnother()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        await gateway.CreateUserAsync("alice", "correct horse");
        using var laptop = gateway.Browser();
        using var phone = gateway.Browser();
        await laptop.LoginAsync("alice", "correct horse");
        await phone.LoginAsync("alice", "correct horse");

        var sessions = (await Json(await laptop.SendAsync(HttpMethod.Get, "/bff/sessions"))).AsArray();
        Assert.That(sessions, Has.Count.EqualTo(2));
        var other = sessions.Single(s => !s!["current"]!.GetValue<bool>())!["id"]!.GetValue<string>();
        Assert.That(sessions.ToJsonString(), Does.Not.Contain(laptop.SessionCookie!).And.Not.Contain(phone.SessionCookie!), "handles, not secrets");

        Assert.That((await laptop.SendAsync(HttpMethod.Delete, $"/bff/sessions/{other}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await phone.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await laptop.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("https://evil.example/")]
    [TestCase("//evil.example")]
    [TestCase("/\\evil.example")]
    public async Task ReturnUrl_MustBeLocal(string returnUrl)
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        await gateway.CreateUserAsync("alice", "correct horse");
        using var browser = gateway.Browser();

        var response = await browser.SendAsync(HttpMethod.Post, "/bff/login", new { username = "alice", password = "correct horse", returnUrl });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(browser.SessionCookie, Is.Null);
    }

    [Test]
    public async Task FormLogin_Works_WithLocalReturnUrl()
    {
        await using var gateway = await SessionGateway.StartAsync(Config(), _data);
        await gateway.CreateUserAsync("alice", "correct horse");
        using var browser = gateway.Browser();

        var response = await browser.SendAsync(HttpMethod.Post, "/bff/login", content: new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "alice", ["password"] = "correct horse", ["returnUrl"] = "/dashboard",
        }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Json(response))["returnUrl"]!.GetValue<string>(), Is.EqualTo("/dashboard"));
    }

    [Test]
    public async Task DownstreamJwt_IsMintedForTheBackend_AndVerifiesAgainstTheJwks()
    {
        var config = Config().Replace("\"AddHeadersToRequest\": { \"X-User-Id\"", "\"DownstreamJwtAudience\": \"orders-api\", \"AddHeadersToRequest\": { \"X-User-Id\"", StringComparison.Ordinal);
        await using var gateway = await SessionGateway.StartAsync(config, _data);
        await gateway.CreateUserAsync("alice", "correct horse", "admin");
        using var browser = gateway.Browser();
        await browser.LoginAsync("alice", "correct horse");

        var echoed = await Json(await browser.SendAsync(HttpMethod.Get, "/api/orders"));
        var authorization = echoed["headers"]!["Authorization"]!.GetValue<string>();
        Assert.That(authorization, Does.StartWith("Bearer "));

        using var client = gateway.Host.CreateClient();
        var jwks = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await client.GetStringAsync("/.well-known/jwks.json"));
        var result = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(authorization[7..], new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            ValidIssuer = "bffs", ValidAudience = "orders-api", IssuerSigningKeys = jwks.GetSigningKeys(),
            LifetimeValidator = (_, _, _, _) => true,
        });
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        Assert.That(result.ClaimsIdentity.FindFirst("name")!.Value, Is.EqualTo("alice"));
        Assert.That(result.ClaimsIdentity.FindFirst("role")!.Value, Is.EqualTo("admin"));
    }

    [Test]
    public async Task WebSocketOnASessionRoute_NeedsAnAllowedOrigin()
    {
        await using var sockets = await TestBackend.StartWebSocketEchoAsync();
        var config = $$"""
            { "Routes": [ { "UpstreamPathTemplate": "/live", "DownstreamPathTemplate": "/live", "DownstreamScheme": "ws",
                "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{sockets.Port}} } ],
                "AuthenticationOptions": { "AuthenticationProviderKey": "Session" } } ] }
            """;
        await using var gateway = await SessionGateway.StartAsync(config, _data,
            extra: new Dictionary<string, string?> { ["Sessions:AllowedOrigins:0"] = "https://app.example" });
        await gateway.CreateUserAsync("alice", "correct horse");
        using var browser = gateway.Browser();
        await browser.LoginAsync("alice", "correct horse");

        async Task<string> Connect(string origin)
        {
            using var socket = new System.Net.WebSockets.ClientWebSocket();
            socket.Options.SetRequestHeader("Cookie", $"__Host-bffs-session={browser.SessionCookie}");
            socket.Options.SetRequestHeader("Origin", origin);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.Host.BaseAddress.Port}/live"), cts.Token);
                return await TestBackend.RoundTripAsync(socket, "hi", cts.Token);
            }
            catch (System.Net.WebSockets.WebSocketException e)
            {
                return "refused: " + e.Message;
            }
        }

        Assert.That(await Connect("https://app.example"), Is.EqualTo("echo:hi"));
        Assert.That(await Connect("https://evil.example"), Does.StartWith("refused").And.Contain("401"));
    }

    [Test]
    [Category("Redis")]
    public async Task TwoReplicasOnOneRedis_ShareSessions_AndRevocation()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var one = await SessionGateway.StartAsync(Config(), _data, redis.ConnectionString);
        await using var two = await SessionGateway.StartAsync(Config(), _data, redis.ConnectionString, one.Time);
        await one.CreateUserAsync("alice", "correct horse");
        using var onOne = one.Browser();
        await onOne.LoginAsync("alice", "correct horse");
        using var onTwo = two.Browser();
        onTwo.SessionCookie = onOne.SessionCookie;

        Assert.That((await onTwo.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the session is shared");

        // A second device signs in through replica one; replica two lists it and revokes it.
        using var phone = one.Browser();
        await phone.LoginAsync("alice", "correct horse");
        var sessions = (await Json(await onTwo.SendAsync(HttpMethod.Get, "/bff/sessions"))).AsArray();
        Assert.That(sessions, Has.Count.EqualTo(2));
        var phoneHandle = sessions.Single(x => !x!["current"]!.GetValue<bool>())!["id"]!.GetValue<string>();
        Assert.That((await onTwo.SendAsync(HttpMethod.Delete, $"/bff/sessions/{phoneHandle}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await phone.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "revoked on the other replica");

        await onOne.SendAsync(HttpMethod.Post, "/bff/logout");
        Assert.That((await onTwo.SendAsync(HttpMethod.Get, "/bff/user")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "revoked everywhere");
    }
}
