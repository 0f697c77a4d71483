using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bff.Shared.ClientCredentials;
using Bff.Shared.KeyStore;
using Bff.Shared.Tests.KeyStore;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.ClientCredentials;

/// <summary>
/// #20 item 6: OAuth 2.0 client credentials on the partner gateway beside API keys — POST /oauth/token with a secret
/// from the key store (HTTP Basic or the form), short ES256 JWTs with the granted scopes (a requested scope narrows,
/// never widens), accepted on routes with AuthenticationProviderKeys ["ApiKey", "ClientCredentials"]; wrong, expired
/// and revoked secrets refused; the plan's rate limit counts key and token calls of the client together.
/// </summary>
[TestFixtureSource(typeof(KeyStoreDatabase), nameof(KeyStoreDatabase.Providers))]
internal sealed class ClientCredentialsTests(KeyStoreProvider provider)
{
    private EchoBackend _backend = null!;
    private KeyStoreGateway _gateway = null!;
    private HttpClient _client = null!;

    private ClientSecretService Secrets => _gateway.Host.Services.GetRequiredService<ClientSecretService>();

    private string Routes() => $$"""
        { "Routes": [ { "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders", "DownstreamScheme": "http",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
            "AuthenticationOptions": { "AuthenticationProviderKeys": [ "ApiKey", "ClientCredentials" ], "AllowedScopes": [ "orders:read" ] } } ] }
        """;

    [SetUp]
    public async Task SetUp()
    {
        _backend = await EchoBackend.StartAsync(1);
        _gateway = await KeyStoreGateway.StartAsync(Routes(), clientCredentials: true, provider: provider);
        _client = _gateway.Host.CreateClient();
        await _gateway.Store.SetPlanAsync("gold", new PlanLimit(3, TimeSpan.FromMinutes(1)), null, KeyStoreGateway.Tester);
        await _gateway.Store.CreateClientAsync("acme", "gold", KeyStoreGateway.Tester);
    }

    [TearDown]
    public async Task TearDown()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private Task<ClientSecretService.Created> SecretAsync(string scopes = "orders:read payments:read", DateTime? expires = null) =>
        Secrets.CreateAsync("acme", KeyStoreService.SplitScopes(scopes), expires, KeyStoreGateway.Tester);

    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> TokenAsync(string? basic, params (string, string)[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ClientCredentialsDefaults.TokenPath)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), .. form.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))]),
        };
        if (basic is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null, response);
    }

    private async Task<HttpStatusCode> OrdersAsync(string? bearer = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }

    [Test]
    public async Task TheRightSecret_GetsAnEs256Jwt_WithItsScopes_AcceptedOnTheRoute_AndNotForwarded()
    {
        var secret = await SecretAsync();
        var (status, body, response) = await TokenAsync($"{secret.ClientId}:{secret.Secret}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        Assert.That((body!["token_type"]!.GetValue<string>(), body["expires_in"]!.GetValue<int>(), body["scope"]!.GetValue<string>()),
            Is.EqualTo(("Bearer", 300, "orders:read payments:read")));
        var token = body["access_token"]!.GetValue<string>();
        Assert.That(Oidc.Jwt.Header(token)["alg"]!.GetValue<string>(), Is.EqualTo("ES256"));
        var claims = Oidc.Jwt.Payload(token);
        Assert.That((claims["client_id"]!.GetValue<string>(), claims["plan"]!.GetValue<string>(), claims["aud"]!.GetValue<string>()),
            Is.EqualTo((secret.ClientId, "gold", ClientCredentialsDefaults.Audience)));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var forwarded = await _client.SendAsync(request);
        Assert.That(forwarded.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Oidc.Jwt.Bearer(await forwarded.Content.ReadAsStringAsync()), Is.Null, "the partner's token is for the gateway");
        Assert.That((await Secrets.ListAsync("acme")).Single().LastUsedAt, Is.Not.Null, "last_used");
    }

    [Test]
    public async Task TheSecretInTheForm_Works_BothWaysAtOnce_IsInvalidRequest()
    {
        var secret = await SecretAsync();
        Assert.That((await TokenAsync(null, ("client_id", "acme"), ("client_secret", secret.Secret))).Status, Is.EqualTo(HttpStatusCode.OK), "by client name");
        var both = await TokenAsync($"{secret.ClientId}:{secret.Secret}", ("client_id", secret.ClientId), ("client_secret", secret.Secret));
        Assert.That((both.Status, both.Body!["error"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_request")));
        var grant = await TokenAsync(null, ("client_id", "acme"), ("client_secret", secret.Secret), ("grant_type", "password"));
        Assert.That(grant.Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task WrongExpiredRevokedOrForeignSecrets_AreInvalidClient()
    {
        var secret = await SecretAsync();
        var expiring = await SecretAsync(expires: _gateway.Time.GetUtcNow().UtcDateTime.AddHours(1));
        var revoked = await SecretAsync();
        await Secrets.RevokeAsync(revoked.Id, KeyStoreGateway.Tester);
        await _gateway.Store.CreateClientAsync("other", null, KeyStoreGateway.Tester);
        var foreign = await Secrets.CreateAsync("other", ["orders:read"], null, KeyStoreGateway.Tester);
        _gateway.Time.Advance(TimeSpan.FromHours(2));

        var wrong = secret.Secret[..^8] + "AAAAAAAA";
        foreach (var (id, value) in new[] { (secret.ClientId, wrong), (expiring.ClientId, expiring.Secret), (revoked.ClientId, revoked.Secret), (secret.ClientId, foreign.Secret), ("acme", "not-a-secret") })
        {
            var (status, body, response) = await TokenAsync($"{id}:{value}");
            Assert.That((status, body!["error"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.Unauthorized, "invalid_client")));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Basic"));
        }
        Assert.That((await TokenAsync($"{secret.ClientId}:{secret.Secret}")).Status, Is.EqualTo(HttpStatusCode.OK), "the good one still works");
        await using var db = _gateway.Host.Services.GetRequiredService<KeyStoreContextFactory>().Create();
        var audited = db.Audit.Where(a => a.Action == "client.token").Select(a => a.Outcome).ToList();
        Assert.That((audited.Count(o => o == "refused"), audited.Count(o => o == "success")), Is.EqualTo((5, 1)), "every attempt is audited");
    }

    [Test]
    public async Task ARequestedScope_NarrowsTheToken_NeverWidensIt()
    {
        var secret = await SecretAsync();
        var narrow = await TokenAsync($"{secret.ClientId}:{secret.Secret}", ("scope", "payments:read"));
        Assert.That(narrow.Body!["scope"]!.GetValue<string>(), Is.EqualTo("payments:read"));
        Assert.That(await OrdersAsync(narrow.Body["access_token"]!.GetValue<string>()), Is.EqualTo(HttpStatusCode.Forbidden), "orders:read was left out");

        var wide = await TokenAsync($"{secret.ClientId}:{secret.Secret}", ("scope", "orders:read admin"));
        Assert.That((wide.Status, wide.Body!["error"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_scope")));
    }

    [Test]
    public async Task ApiKeysStillWork_AndThePlansRateLimitCountsKeyAndTokenCallsTogether()
    {
        var secret = await SecretAsync();
        var key = await _gateway.Store.CreateKeyAsync("acme", ["orders:read"], null, null, KeyStoreGateway.Tester);
        var token = (await TokenAsync($"{secret.ClientId}:{secret.Secret}")).Body!["access_token"]!.GetValue<string>();

        Assert.That(await OrdersAsync(apiKey: key.Key), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await OrdersAsync(bearer: token), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await OrdersAsync(apiKey: key.Key), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await OrdersAsync(bearer: token), Is.EqualTo((HttpStatusCode)429), "gold allows 3 a minute for the client, however it signs in");
        Assert.That(await OrdersAsync(bearer: "eyJhbGciOiJub25lIn0.eyJjbGllbnRfaWQiOiJhY21lIn0."), Is.EqualTo(HttpStatusCode.Unauthorized), "an unsigned token");
    }
}
