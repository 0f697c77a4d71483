using System.Net;
using System.Text.Json.Nodes;

namespace Bff.Shared.Tests.Oidc;

/// <summary>
/// #20, OpenID Connect sign-in for the web BFF against a real provider (OpenIddict): code + PKCE as a confidential
/// client, the tokens kept in the server-side session (encrypted), the browser holding only the session cookie; the
/// user's and the BFF's tokens on the routes that ask for them; logout revokes; a refused refresh ends the session.
/// </summary>
internal sealed class OidcSignInTests
{
    private TestIdentityProvider _idp = null!;
    private EchoBackend _backend = null!;
    private TempFolder _data = null!;
    private OidcGateway _gateway = null!;

    [SetUp]
    public async Task SetUp()
    {
        _backend = await EchoBackend.StartAsync(1);
        _data = new TempFolder();
        _idp = new TestIdentityProvider();
        _gateway = await OidcGateway.StartAsync(_idp, _backend, _data);
        await _idp.StartAsync(TimeSpan.FromMinutes(5), _gateway.BaseAddress);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _gateway.DisposeAsync();
        await _idp.DisposeAsync();
        await _backend.DisposeAsync();
        _data.Dispose();
    }

    private Uri At(string path) => new(_gateway.BaseAddress, path);

    [Test]
    [CancelAfter(60_000)]
    public async Task CodeFlowWithPkce_TheBrowserHoldsOnlyTheSessionCookie_AndSeesNoToken()
    {
        using (var first = new OidcBrowser())
        {
            var start = await first.SendAsync(HttpMethod.Get, At("/bff/login?returnUrl=/orders"));
            var authorize = System.Web.HttpUtility.ParseQueryString(start.Headers.Location!.Query);
            Assert.That((authorize["response_type"], authorize["code_challenge_method"], authorize["client_id"]), Is.EqualTo(("code", "S256", TestIdentityProvider.ClientId)));
            Assert.That(authorize["code_challenge"], Is.Not.Empty);
            var external = await first.SendAsync(HttpMethod.Get, At("/bff/login?returnUrl=https://evil.example/"));
            Assert.That(external.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "only a local returnUrl");
        }

        using var browser = new OidcBrowser();

        var landed = await browser.SignInAsync(_gateway.BaseAddress, "ada", TestIdentityProvider.Password, "/orders");
        Assert.That(landed.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(landed.Headers.Location!.OriginalString, Is.EqualTo("/bff/signin-complete?returnUrl=%2Forders"));
        var sessionCookie = landed.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-bffs-session=", StringComparison.Ordinal));
        Assert.That(sessionCookie, Does.Contain("httponly").IgnoreCase.And.Contain("secure").IgnoreCase.And.Contain("samesite=strict").IgnoreCase.And.Contain("path=/"));
        Assert.That(browser.Cookies(_gateway.BaseAddress).Keys, Is.EqualTo(new[] { "__Host-bffs-session" }), "the correlation and nonce cookies are gone");
        var page = await browser.SendAsync(HttpMethod.Get, landed.Headers.Location!.IsAbsoluteUri ? landed.Headers.Location : At(landed.Headers.Location.OriginalString));
        Assert.That(browser.Bodies[^1], Does.Contain("url=/orders"));
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var user = await browser.SendAsync(HttpMethod.Get, At("/bff/user"), csrf: true);
        var claims = JsonNode.Parse(browser.Bodies[^1])!["claims"]!.AsArray().ToDictionary(c => c!["type"]!.GetValue<string>(), c => c!["value"]!.GetValue<string>());
        Assert.That((claims["sub"], claims["name"], claims["customer_id"], claims["bff:logout_url"]), Is.EqualTo(("idp-ada", "Ada Lovelace", "1", "/bff/logout")));
        Assert.That(int.Parse(claims["bff:session_expires_in"], System.Globalization.CultureInfo.InvariantCulture), Is.InRange(1, 20 * 60));

        // The tokens exist — in the session store, encrypted — and nothing the browser received contains one.
        var (session, tokens) = await _gateway.SessionAsync(browser.SessionCookie(_gateway.BaseAddress)!);
        Assert.That(tokens, Is.Not.Null);
        Assert.That(tokens!.RefreshToken, Is.Not.Null, "offline_access brought a refresh token");
        Assert.That(session!.Tokens, Does.Not.Contain(tokens.AccessToken[..20]), "stored encrypted");
        var gatewayBodies = browser.Bodies;
        foreach (var token in new[] { tokens.AccessToken, tokens.RefreshToken, tokens.IdToken! })
            Assert.That(gatewayBodies, Has.None.Contains(token));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task UserRoutes_GetTheUsersAccessToken_ClientRoutes_TheBffsOwn()
    {
        using var browser = new OidcBrowser();
        await browser.SignInAsync(_gateway.BaseAddress, "ada", TestIdentityProvider.Password);

        var me = await browser.SendAsync(HttpMethod.Get, At("/api/me"), csrf: true);
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var user = Jwt.Payload(Jwt.Bearer(browser.Bodies[^1])!);
        Assert.That((user["sub"]?.GetValue<string>(), user["customer_id"]?.GetValue<string>()), Is.EqualTo(("idp-ada", "1")));
        Assert.That(JsonNode.Parse(browser.Bodies[^1])!["headers"]!["X-Customer"]!.GetValue<string>(), Is.EqualTo("1"));

        using var anonymous = new OidcBrowser();
        var catalog = await anonymous.SendAsync(HttpMethod.Get, At("/api/catalog"));
        Assert.That(catalog.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var client = Jwt.Payload(Jwt.Bearer(anonymous.Bodies[^1])!);
        Assert.That((client["sub"]?.GetValue<string>(), client["scope"]?.ToString()), Is.EqualTo((TestIdentityProvider.ClientId, "api")));

        await browser.SendAsync(HttpMethod.Get, At("/api/either"), csrf: true);
        Assert.That(Jwt.Payload(Jwt.Bearer(browser.Bodies[^1])!)["sub"]!.GetValue<string>(), Is.EqualTo("idp-ada"), "UserOrClient: the user's when signed in");
        await anonymous.SendAsync(HttpMethod.Get, At("/api/either"));
        Assert.That(Jwt.Payload(Jwt.Bearer(anonymous.Bodies[^1])!)["sub"]!.GetValue<string>(), Is.EqualTo(TestIdentityProvider.ClientId), "else the BFF's");

        // A route without DownstreamToken sends no token.
        await browser.SendAsync(HttpMethod.Get, At("/api/plain"), csrf: true);
        Assert.That(Jwt.Bearer(browser.Bodies[^1]), Is.Null);
        Assert.That(_idp.Counter.Of("client_credentials"), Is.EqualTo(1), "the BFF's token is reused");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Logout_RevokesTheRefreshToken_EndsTheSession_AndSendsTheBrowserToTheProvider()
    {
        using var browser = new OidcBrowser();
        await browser.SignInAsync(_gateway.BaseAddress, "ada", TestIdentityProvider.Password);
        var cookie = browser.SessionCookie(_gateway.BaseAddress)!;
        var (_, tokens) = await _gateway.SessionAsync(cookie);

        var logout = await browser.SendAsync(HttpMethod.Post, At("/bff/logout"), csrf: true);
        Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var url = new Uri(JsonNode.Parse(browser.Bodies[^1])!["logoutUrl"]!.GetValue<string>());
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.That(url.GetLeftPart(UriPartial.Path), Is.EqualTo($"{_idp.Authority}connect/endsession"));
        Assert.That((query["id_token_hint"], query["post_logout_redirect_uri"]), Is.EqualTo((tokens!.IdToken, At("/").AbsoluteUri)));
        Assert.That(browser.SessionCookie(_gateway.BaseAddress), Is.Null, "the cookie is deleted");

        var after = await browser.SendAsync(HttpMethod.Get, At("/bff/user"), csrf: true);
        Assert.That((await _gateway.SessionAsync(cookie)).Session, Is.Null);
        using var refresh = await RefreshAtTheProviderAsync(tokens.RefreshToken!);
        Assert.That(refresh.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "the refresh token was revoked");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ARefusedRefresh_EndsTheSession_AndTheSpaGets401Problem()
    {
        using var browser = new OidcBrowser();
        await browser.SignInAsync(_gateway.BaseAddress, "ada", TestIdentityProvider.Password);
        var (_, tokens) = await _gateway.SessionAsync(browser.SessionCookie(_gateway.BaseAddress)!);
        using (var revoke = await RevokeAtTheProviderAsync(tokens!.RefreshToken!)) Assert.That(revoke.IsSuccessStatusCode);

        _gateway.Time.Advance(TimeSpan.FromMinutes(5)); // the access token is due for a refresh
        var me = await browser.SendAsync(HttpMethod.Get, At("/api/me"), csrf: true);
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(me.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(_backend.RequestCount, Is.Zero, "nothing was forwarded");
        Assert.That(browser.SessionCookie(_gateway.BaseAddress), Is.Null, "the cookie is deleted");
        var again = await browser.SendAsync(HttpMethod.Get, At("/bff/user"), csrf: true);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the session is over");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task TheProviderDown_ClientTokenRoutesAre503_AndLogoutStillEndsTheSession()
    {
        using var browser = new OidcBrowser();
        await browser.SignInAsync(_gateway.BaseAddress, "ada", TestIdentityProvider.Password);
        var cookie = browser.SessionCookie(_gateway.BaseAddress)!;
        await _idp.DisposeAsync();

        var catalog = await browser.SendAsync(HttpMethod.Get, At("/api/catalog"));
        Assert.That(catalog.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), browser.Bodies[^1]);
        Assert.That(catalog.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(catalog.Headers.RetryAfter, Is.Not.Null);
        Assert.That(_backend.RequestCount, Is.Zero, "nothing is forwarded without the token");

        var logout = await browser.SendAsync(HttpMethod.Post, At("/bff/logout"), csrf: true);
        Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.OK), browser.Bodies[^1]);
        Assert.That((await _gateway.SessionAsync(cookie)).Session, Is.Null, "the session ends even though the provider cannot revoke");
    }

    private Task<HttpResponseMessage> RefreshAtTheProviderAsync(string refreshToken) => ProviderAsync("connect/token", [new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]);

    private Task<HttpResponseMessage> RevokeAtTheProviderAsync(string refreshToken) => ProviderAsync("connect/revoke", [new("token", refreshToken), new("token_type_hint", "refresh_token")]);

    private async Task<HttpResponseMessage> ProviderAsync(string path, List<KeyValuePair<string, string>> form)
    {
        using var http = new HttpClient();
        form.Add(new("client_id", TestIdentityProvider.ClientId));
        form.Add(new("client_secret", TestIdentityProvider.ClientSecret));
        return await http.PostAsync(new Uri(new Uri(_idp.Authority), path), new FormUrlEncodedContent(form));
    }
}
