using System.Net;
using Bff.Shared.KeyStore;
using Microsoft.Extensions.Hosting;
using Bff.Shared.Tokens;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Tests.Security;

/// <summary>
/// #17 item 3: every method passes the route's checks. OPTIONS is authenticated like any method (Ocelot lets it
/// through anonymously, and with DownstreamHttpMethod it became an anonymous GET/POST); a CORS preflight is answered
/// by the gateway from the Cors:* policy and never forwarded; without a policy it gets 204 with no CORS headers.
/// </summary>
internal sealed class MethodsAndCorsTests
{
    private EchoBackend _backend = null!;
    private TempFolder _data = null!;

    private string Routes => $$"""
        { "Routes": [
            { "UpstreamPathTemplate": "/secure", "DownstreamPathTemplate": "/secure",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "AuthenticationOptions": { "AuthenticationProviderKey": "Bearer" } },
            { "UpstreamPathTemplate": "/as-post", "DownstreamPathTemplate": "/as-post", "DownstreamHttpMethod": "POST",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "AuthenticationOptions": { "AuthenticationProviderKey": "Bearer" } } ] }
        """;

    [OneTimeSetUp]
    public async Task Start()
    {
        _backend = await EchoBackend.StartAsync();
        _data = new TempFolder();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _backend.DisposeAsync();
        _data.Dispose();
    }

    private Task<GatewayTestHost> StartAsync(params (string Key, string Value)[] cors)
    {
        var settings = GatewayTestHost.KeyStoreSettings(_data);
        foreach (var (key, value) in cors) settings[key] = value;
        return GatewayTestHost.StartAsync(Routes, settings, configure: b => b.AddKeyStore().AddTokenAuthentication());
    }

    private static HttpRequestMessage Preflight(string path, string origin) => new(HttpMethod.Options, path)
    {
        Headers = { { "Origin", origin }, { "Access-Control-Request-Method", "GET" }, { "Access-Control-Request-Headers", "authorization" } },
    };

    [TestCase("/secure")]
    [TestCase("/as-post")]
    public async Task Options_WithoutCredentials_Is401_NotForwarded(string path)
    {
        await using var gateway = await StartAsync();
        using var client = gateway.CreateClient();
        var before = _backend.RequestCount;
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, path));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_backend.RequestCount, Is.EqualTo(before));
    }

    [Test]
    public async Task Options_SignedIn_IsForwarded()
    {
        await using var gateway = await StartAsync();
        var token = await SecurityTestUsers.TokenAsync(gateway, "opt");
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/secure") { Headers = { Authorization = new("Bearer", token) } };
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("X-Echo-Backend").Single(), Is.EqualTo("1"));
    }

    [Test]
    public async Task Preflight_WithoutAPolicy_Is204WithoutCorsHeaders_NotForwarded()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.CreateClient();
        var before = _backend.RequestCount;
        using var response = await client.SendAsync(Preflight("/secure", "https://app.example"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.Headers.Any(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)), Is.False);
        Assert.That(_backend.RequestCount, Is.EqualTo(before));
    }

    [Test]
    public async Task Preflight_WithAPolicy_IsAnsweredByTheGateway_ForAllowedOriginsOnly()
    {
        await using var gateway = await StartAsync(("Cors:AllowedOrigins:0", "https://app.example"), ("Cors:AllowCredentials", "true"), ("Cors:MaxAge", "00:10:00"));
        using var client = gateway.CreateClient();
        var before = _backend.RequestCount;

        using var allowed = await client.SendAsync(Preflight("/secure", "https://app.example"));
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("https://app.example"));
        Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Credentials").Single(), Is.EqualTo("true"));
        Assert.That(allowed.Headers.GetValues("Access-Control-Max-Age").Single(), Is.EqualTo("600"));

        using var other = await client.SendAsync(Preflight("/secure", "https://evil.example"));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(other.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        Assert.That(_backend.RequestCount, Is.EqualTo(before), "no preflight reaches the backend");

        var token = await SecurityTestUsers.TokenAsync(gateway, "cors");
        using var call = new HttpRequestMessage(HttpMethod.Get, "/secure") { Headers = { Authorization = new("Bearer", token) } };
        call.Headers.Add("Origin", "https://app.example");
        using var answer = await client.SendAsync(call);
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(answer.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("https://app.example"));
    }

    [Test]
    public void Policy_CredentialsWithAnyOrigin_FailsAtStart()
    {
        var error = Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await (await StartAsync(("Cors:AllowedOrigins:0", "*"), ("Cors:AllowCredentials", "true"))).DisposeAsync());
        Assert.That(error!.Message, Does.Contain("Cors:AllowCredentials"));
    }
}
