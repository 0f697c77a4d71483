using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bff.Shared.KeyStore;
using Bff.Shared.Tokens;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Shared.Tests.Tokens;

/// <summary>Mobile tokens: issue, use, refresh rotation and reuse detection, validation attacks, key rollover.</summary>
internal sealed class TokenTests
{
    private EchoBackend _backend = null!;
    private TempFolder _data = null!;
    private GatewayTestHost _gateway = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public async Task Start()
    {
        _backend = await EchoBackend.StartAsync();
        _data = new TempFolder();
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _gateway = await GatewayTestHost.StartAsync($$"""
            { "Routes": [ { "UpstreamPathTemplate": "/m/{everything}", "DownstreamPathTemplate": "/{everything}",
                "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
                "AuthenticationOptions": { "AuthenticationProviderKey": "Bearer" },
                "AddHeadersToRequest": { "X-User-Id": "Claims[sub] > value" } } ] }
            """, GatewayTestHost.KeyStoreSettings(_data),
            services => services.AddSingleton<TimeProvider>(_time),
            builder => builder.AddKeyStore().AddTokenAuthentication());
        await _gateway.Services.GetRequiredService<UserService>().CreateAsync("dana", "correct horse", ["member"], new AuditActor("test"));
    }

    [TearDown]
    public async Task Stop()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
        _data.Dispose();
    }

    [Test]
    public async Task Logs_NeverContainPasswordsOrTokens_EvenAtDebugWithEveryRequestLogged()
    {
        var tokens = await TokenAsync();
        var access = tokens["access_token"]!.GetValue<string>();
        var refresh = tokens["refresh_token"]!.GetValue<string>();
        Assert.That((await CallAsync(access)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await CallAsync(access + "x")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var rotated = await RefreshAsync(refresh);
        Assert.That(rotated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await RefreshAsync(refresh); // reused within the grace period
        using (var client = _gateway.CreateClient())
            await client.PostAsJsonAsync("/auth/token", new { username = "dana", password = "wrong horse battery" });

        var lines = _gateway.Logs.Lines.Select(l => l.Message + " " + l.Exception).ToList();
        Assert.That(lines, Has.Some.Contains("Gateway request GET /m/{everything} client -"), "request lines were written");
        Assert.That(lines, Has.Some.Contains("→ 200 from downstream"));
        foreach (var secret in new[] { "correct horse", "wrong horse battery", access, access.Split('.')[2], refresh, GatewayTestHost.TestPepper })
            Assert.That(lines, Has.None.Contains(secret), "a secret reached the logs");
    }

    private async Task<JsonNode> TokenAsync(string username = "dana", string password = "correct horse")
    {
        using var client = _gateway.CreateClient();
        var response = await client.PostAsJsonAsync("/auth/token", new { username, password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<HttpResponseMessage> RefreshAsync(string refreshToken)
    {
        using var client = _gateway.CreateClient();
        return await client.PostAsJsonAsync("/auth/refresh", new { refresh_token = refreshToken });
    }

    /// <summary>The token handlers a bearer scheme of the host validates with.</summary>
    private static IList<TokenHandler> TokenHandlers(GatewayTestHost host, string scheme) =>
        host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions>>()
            .Get(scheme).TokenHandlers;

    private async Task<HttpResponseMessage> CallAsync(string? accessToken)
    {
        using var client = _gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/m/orders");
        if (accessToken is not null) request.Headers.Add("Authorization", "Bearer " + accessToken);
        return await client.SendAsync(request);
    }

    [Test]
    public async Task Token_IsAShortLivedES256Jwt_ThatOpensBearerRoutes()
    {
        var token = await TokenAsync();

        Assert.That(token["token_type"]!.GetValue<string>(), Is.EqualTo("Bearer"));
        Assert.That(token["expires_in"]!.GetValue<int>(), Is.EqualTo(900));
        var jwt = new JsonWebToken(token["access_token"]!.GetValue<string>());
        Assert.That(jwt.Alg, Is.EqualTo("ES256"));
        Assert.That((jwt.Issuer, jwt.Audiences.Single()), Is.EqualTo(("bffs", "bffs-mobile")));
        Assert.That(token["refresh_token"]!.GetValue<string>(), Does.StartWith("rt_"));

        var response = await CallAsync(token["access_token"]!.GetValue<string>());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var echoed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(echoed["headers"]!["X-User-Id"]!.GetValue<string>(), Is.EqualTo(jwt.Subject));
        Assert.That(echoed["headers"]!.AsObject().ContainsKey("Authorization"), Is.False, "the user's token is for the gateway only");

        // The same token again: answered by the remembered validation (CachingTokenHandler), same identity downstream.
        Assert.That(TokenHandlers(_gateway, TokenDefaults.LocalScheme).Single(), Is.TypeOf<CachingTokenHandler>());
        var again = JsonNode.Parse(await (await CallAsync(token["access_token"]!.GetValue<string>())).Content.ReadAsStringAsync())!;
        Assert.That(again["headers"]!["X-User-Id"]!.GetValue<string>(), Is.EqualTo(jwt.Subject));
    }

    [Test]
    public async Task NoToken_Is401ProblemWithBearerChallenge()
    {
        var response = await CallAsync(null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task BadPassword_Is401_WithoutHint()
    {
        using var client = _gateway.CreateClient();
        var wrong = await client.PostAsJsonAsync("/auth/token", new { username = "dana", password = "nope" });
        var unknown = await client.PostAsJsonAsync("/auth/token", new { username = "nobody", password = "nope" });
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain("incorrect"));
        Assert.That(JsonNode.Parse(await wrong.Content.ReadAsStringAsync())!["detail"]!.ToString(),
            Is.EqualTo(JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["detail"]!.ToString()));
    }

    [Test]
    public async Task Refresh_RotatesTheToken_AndReuseRevokesTheFamily()
    {
        var first = await TokenAsync();
        var r1 = first["refresh_token"]!.GetValue<string>();

        var second = JsonNode.Parse(await (await RefreshAsync(r1)).Content.ReadAsStringAsync())!;
        var r2 = second["refresh_token"]!.GetValue<string>();
        Assert.That(r2, Is.Not.EqualTo(r1));

        _time.Advance(TimeSpan.FromSeconds(11)); // past the reuse grace
        Assert.That((await RefreshAsync(r1)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "r1 was used already: theft signal");
        Assert.That((await RefreshAsync(r2)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the whole family is revoked");
    }

    [Test]
    public async Task ConcurrentRefreshes_WithOneToken_BothSucceed_WithTheSameSuccessor()
    {
        var r1 = (await TokenAsync())["refresh_token"]!.GetValue<string>();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RefreshAsync(r1)));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        var successors = await Task.WhenAll(responses.Select(async r => JsonNode.Parse(await r.Content.ReadAsStringAsync())!["refresh_token"]!.GetValue<string>()));
        Assert.That(successors.Distinct().Count(), Is.EqualTo(1), "one successor, one family");
        Assert.That((await RefreshAsync(successors[0])).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Revoke_EndsTheFamily()
    {
        var r1 = (await TokenAsync())["refresh_token"]!.GetValue<string>();
        using var client = _gateway.CreateClient();
        Assert.That((await client.PostAsJsonAsync("/auth/revoke", new { refresh_token = r1 })).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await RefreshAsync(r1)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task DisabledUser_CannotRefresh()
    {
        var r1 = (await TokenAsync())["refresh_token"]!.GetValue<string>();
        await _gateway.Services.GetRequiredService<UserService>().DisableAsync("dana", new AuditActor("test"));
        Assert.That((await RefreshAsync(r1)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ExpiredToken_IsRefused_WithinThirtySecondsSkew()
    {
        var access = (await TokenAsync())["access_token"]!.GetValue<string>();
        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(20));
        Assert.That((await CallAsync(access)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "within the 30 s skew");
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.That((await CallAsync(access)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task TamperedToken_IsRefused()
    {
        var access = (await TokenAsync())["access_token"]!.GetValue<string>();
        var parts = access.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["sub"] = "usr_someone_else";
        var forged = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";

        Assert.That((await CallAsync(forged)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AlgNone_IsRefused()
    {
        var access = (await TokenAsync())["access_token"]!.GetValue<string>();
        var payload = access.Split('.')[1];
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");

        Assert.That((await CallAsync($"{header}.{payload}.")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task HmacSignedWithThePublicKey_IsRefused()
    {
        // The classic RS/HS confusion: sign with HS256 using the published key material as the secret.
        await TokenAsync();
        using var client = _gateway.CreateClient();
        var jwks = JsonNode.Parse(await client.GetStringAsync("/.well-known/jwks.json"))!;
        var x = jwks["keys"]![0]!["x"]!.GetValue<string>();
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "bffs", Audience = "bffs-mobile", Subject = new ClaimsIdentity([new Claim("sub", "usr_x")]),
            Expires = _time.GetUtcNow().UtcDateTime.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SHA256.HashData(Encoding.UTF8.GetBytes(x))), SecurityAlgorithms.HmacSha256),
        });

        Assert.That((await CallAsync(forged)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task WrongAudience_IsRefused()
    {
        await TokenAsync();
        var keys = _gateway.Services.GetRequiredService<SigningKeys>();
        var handler = new JsonWebTokenHandler();
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "bffs", Audience = "someone-else", Subject = new ClaimsIdentity([new Claim("sub", "usr_x")]),
            Expires = _time.GetUtcNow().UtcDateTime.AddMinutes(5),
            SigningCredentials = await keys.SigningCredentialsAsync(CancellationToken.None),
        });

        Assert.That((await CallAsync(token)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Rollover_NewKeySigns_OldTokensStayValid_UntilTheOldKeyRetires()
    {
        var before = (await TokenAsync())["access_token"]!.GetValue<string>();
        var keys = _gateway.Services.GetRequiredService<SigningKeys>();
        using var client = _gateway.CreateClient();
        var oldKid = new JsonWebToken(before).Kid;

        var (newKid, _) = await keys.RotateAsync(CancellationToken.None);
        var published = JsonNode.Parse(await client.GetStringAsync("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).ToList();
        Assert.That(published, Is.EquivalentTo(new[] { oldKid, newKid }), "the new key is published first");
        Assert.That(new JsonWebToken((await TokenAsync())["access_token"]!.GetValue<string>()).Kid, Is.EqualTo(oldKid), "…and does not sign yet");

        _time.Advance(TimeSpan.FromMinutes(10)); // the activation delay
        var after = (await TokenAsync())["access_token"]!.GetValue<string>();
        Assert.That(new JsonWebToken(after).Kid, Is.EqualTo(newKid));
        Assert.That((await CallAsync(after)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        _time.Advance(TimeSpan.FromMinutes(17)); // past the old key's last token
        await client.GetStringAsync("/.well-known/jwks.json"); // reload
        published = JsonNode.Parse(await client.GetStringAsync("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).ToList();
        Assert.That(published, Is.EqualTo(new[] { newKid }));
    }

    [Test]
    public async Task SigningKey_IsStoredEncrypted()
    {
        await TokenAsync();
        await using var db = _gateway.Services.GetRequiredService<KeyStoreContextFactory>().Create();
        var stored = db.SigningKeys.Single();
        using var ecdsa = ECDsa.Create();
        Assert.That(() => ecdsa.ImportPkcs8PrivateKey(stored.ProtectedPrivateKey, out _), Throws.InstanceOf<CryptographicException>(), "not a readable PKCS#8 key");
        Assert.That(db.RefreshTokens.Select(t => t.Id).ToList(), Has.All.Length.EqualTo(64), "refresh tokens only as SHA-256");
    }

    [Test]
    public async Task ExternalIssuer_TokensAreAcceptedToo_WhenJwtAuthorityIsSet()
    {
        await using var identityProvider = await ExternalIssuer.StartAsync();
        using var data = new TempFolder();
        var settings = identityProvider.GatewaySettings(data);
        await using var gateway = await GatewayTestHost.StartAsync($$"""
            { "Routes": [ { "UpstreamPathTemplate": "/m/{everything}", "DownstreamPathTemplate": "/{everything}",
                "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
                "AuthenticationOptions": { "AuthenticationProviderKey": "Bearer" } } ] }
            """, settings, configure: builder => builder.AddKeyStore().AddTokenAuthentication());

        string External(string audience) => identityProvider.Token(audience, new Claim("sub", "external-user"));
        async Task<HttpStatusCode> Call(string token)
        {
            using var client = gateway.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/m/orders");
            request.Headers.Add("Authorization", "Bearer " + token);
            return (await client.SendAsync(request)).StatusCode;
        }

        var token = External("mobile-app");
        Assert.That(await Call(token), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Call(token), Is.EqualTo(HttpStatusCode.OK), "again: an external token is validated in full every time");
        Assert.That(await Call(External("other-app")), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(TokenHandlers(gateway, TokenDefaults.ExternalScheme), Has.None.TypeOf<CachingTokenHandler>(),
            "the external issuer's keys are resolved inside JwtBearer, out of the cache's sight");
    }

    [Test]
    public async Task ConfiguredSigningKey_IsUsedInsteadOfAGeneratedOne()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var data = new TempFolder();
        var settings = GatewayTestHost.KeyStoreSettings(data);
        settings["Jwt:SigningKey"] = ecdsa.ExportPkcs8PrivateKeyPem();
        await using var gateway = await GatewayTestHost.StartAsync("""{ "Routes": [] }""", settings,
            configure: builder => builder.AddKeyStore().AddTokenAuthentication());
        await gateway.Services.GetRequiredService<UserService>().CreateAsync("erin", "correct horse", [], new AuditActor("test"));
        using var client = gateway.CreateClient();

        var token = JsonNode.Parse(await (await client.PostAsJsonAsync("/auth/token", new { username = "erin", password = "correct horse" })).Content.ReadAsStringAsync())!;
        var jwks = JsonNode.Parse(await client.GetStringAsync("/.well-known/jwks.json"))!["keys"]!.AsArray();

        var expectedX = Base64UrlEncoder.Encode(ecdsa.ExportParameters(false).Q.X);
        Assert.That(jwks.Single()!["x"]!.GetValue<string>(), Is.EqualTo(expectedX));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token["access_token"]!.GetValue<string>(), new TokenValidationParameters
        {
            ValidIssuer = "bffs", ValidAudience = "bffs-mobile", IssuerSigningKey = new ECDsaSecurityKey(ecdsa),
        });
        Assert.That(validation.IsValid, Is.True);
        await using var db = gateway.Services.GetRequiredService<KeyStoreContextFactory>().Create();
        Assert.That(db.SigningKeys.Count(), Is.Zero, "nothing generated or stored");
    }
}
