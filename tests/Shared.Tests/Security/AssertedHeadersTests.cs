using System.Net;
using System.Net.Http.Json;
using Bff.Shared.KeyStore;
using Microsoft.Extensions.Hosting;
using Bff.Shared.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.Security;

/// <summary>
/// #17 item 2: headers the gateway asserts cannot be sent by the client. Every header any route of the host sets
/// (AddHeadersToRequest, UpstreamHeaderTransform) is removed from every request on every route, with
/// Gateway:StripRequestHeaders (method overrides, scheme variants); X-Forwarded-Host is the configured public host.
/// Header transforms resolve only keys under HeaderValues: (item 7). Real gateway, real echo backend.
/// </summary>
internal sealed class AssertedHeadersTests
{
    private static readonly string[] Defaults =
    [
        "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
        "X-Forwarded-Scheme", "X-Forwarded-Ssl", "X-Original-Proto", "Front-End-Https", "X-Url-Scheme",
    ];

    private EchoBackend _backend = null!;
    private TempFolder _data = null!;
    private GatewayTestHost _gateway = null!;
    private string _token = null!;

    private string Routes(string global = "") => $$"""
        { "Routes": [
            { "UpstreamPathTemplate": "/who", "UpstreamHttpMethod": [ "GET", "POST" ], "DownstreamPathTemplate": "/who",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "AuthenticationOptions": { "AuthenticationProviderKey": "Bearer" },
              "AddHeadersToRequest": { "X-User-Id": "Claims[sub] > value", "X-User-Name": "Claims[name] > value" },
              "UpstreamHeaderTransform": { "X-Tenant": "{HeaderValues:Tenant}", "X-Leak": "{ApiKeys:Pepper}", "X-Replace": "a, b" } },
            { "UpstreamPathTemplate": "/open", "UpstreamHttpMethod": [ "GET", "POST" ], "DownstreamPathTemplate": "/open",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ] } ]
          {{global}} }
        """;

    [OneTimeSetUp]
    public async Task Start()
    {
        _backend = await EchoBackend.StartAsync();
        _data = new TempFolder();
        var settings = GatewayTestHost.KeyStoreSettings(_data);
        settings["HeaderValues:Tenant"] = "acme";
        _gateway = await GatewayTestHost.StartAsync(Routes(), settings, configure: b => b.AddKeyStore().AddTokenAuthentication());
        _token = await SecurityTestUsers.TokenAsync(_gateway, "ada");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
        _data.Dispose();
    }

    private static async Task<EchoedRequest> EchoAsync(GatewayTestHost gateway, string path, string? token = null, string? host = null, params (string, string)[] headers)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { }) };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (host is not null) request.Headers.Host = host;
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<EchoedRequest>())!;
    }

    private static (string, string)[] Spoofed() =>
        [("X-User-Id", "usr_victim"), ("X-User-Name", "victim"), ("X-Tenant", "evil"), ("X-Leak", "x"), ("X-Custom", "kept"),
         .. Defaults.Select(name => (name, name.Contains("Method") ? "DELETE" : "https"))];

    [Test]
    public async Task RouteWithoutHeaderRules_NeverForwardsHeadersAnotherRouteAsserts_OrTheDefaultList()
    {
        var echoed = await EchoAsync(_gateway, "/open", headers: Spoofed());
        Assert.Multiple(() =>
        {
            foreach (var name in new[] { "X-User-Id", "X-User-Name", "X-Tenant", "X-Leak" }.Concat(Defaults))
                Assert.That(echoed.Headers.ContainsKey(name), Is.False, name);
            Assert.That(echoed.Headers["X-Custom"], Is.EqualTo("kept"), "other headers travel on");
            Assert.That(echoed.Method, Is.EqualTo("POST"));
        });
    }

    [Test]
    public async Task SignedInRoute_IdentityHeadersComeFromTheToken_NotTheClient()
    {
        var echoed = await EchoAsync(_gateway, "/who", _token, headers: Spoofed());
        Assert.Multiple(() =>
        {
            Assert.That(echoed.Headers["X-User-Id"], Does.StartWith("usr_").And.Not.EqualTo("usr_victim"));
            Assert.That(echoed.Headers["X-User-Name"], Is.EqualTo("ada"));
            Assert.That(echoed.Headers["X-Tenant"], Is.EqualTo("acme"), "{HeaderValues:Tenant} resolves");
            Assert.That(echoed.Headers.ContainsKey("X-Leak"), Is.False, "{ApiKeys:Pepper} is not a header value");
            Assert.That(echoed.Headers.Values, Has.None.Contains(GatewayTestHost.TestPepper));
            foreach (var name in Defaults) Assert.That(echoed.Headers.ContainsKey(name), Is.False, name);
        });
    }

    [Test]
    public async Task FindReplaceTarget_IsTheClientsHeader_AndStaysUsable()
    {
        var echoed = await EchoAsync(_gateway, "/who", _token, headers: ("X-Replace", "a-1"));
        Assert.That(echoed.Headers["X-Replace"], Is.EqualTo("b-1"));
    }

    [Test]
    public async Task XForwardedHost_WithoutAPublicHost_IsNotTheClientsHost()
    {
        var echoed = await EchoAsync(_gateway, "/open", host: "evil.example", headers: ("X-Forwarded-Host", "evil.example"));
        Assert.That(echoed.Headers.ContainsKey("X-Forwarded-Host"), Is.False);
    }

    [Test]
    public async Task XForwardedHost_IsTheConfiguredBaseUrl()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Routes(""", "GlobalConfiguration": { "BaseUrl": "https://api.example.com" }"""),
            GatewayTestHost.KeyStoreSettings(_data), configure: b => b.AddKeyStore().AddTokenAuthentication());
        var echoed = await EchoAsync(gateway, "/open", host: "evil.example");
        Assert.That(echoed.Headers["X-Forwarded-Host"], Is.EqualTo("api.example.com"));
    }

    [Test]
    public async Task XForwardedHost_IsTheRequestHost_OnlyWhenAllowedHostsRestrictsIt()
    {
        var settings = GatewayTestHost.KeyStoreSettings(_data);
        settings["AllowedHosts"] = "good.example";
        await using var gateway = await GatewayTestHost.StartAsync(Routes(), settings, configure: b => b.AddKeyStore().AddTokenAuthentication());
        var echoed = await EchoAsync(gateway, "/open", host: "good.example");
        Assert.That(echoed.Headers["X-Forwarded-Host"], Is.EqualTo("good.example"));

        using var client = gateway.CreateClient();
        using var evil = new HttpRequestMessage(HttpMethod.Get, "/open") { Headers = { Host = "evil.example" } };
        var before = _backend.RequestCount;
        using var refused = await client.SendAsync(evil);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "host filtering refuses other hosts");
        Assert.That(_backend.RequestCount, Is.EqualTo(before));
    }

    [Test]
    public async Task ConfiguredStripList_ReplacesTheDefault()
    {
        var settings = GatewayTestHost.KeyStoreSettings(_data);
        settings["Gateway:StripRequestHeaders:0"] = "X-Debug";
        await using var gateway = await GatewayTestHost.StartAsync(Routes(), settings, configure: b => b.AddKeyStore().AddTokenAuthentication());
        var echoed = await EchoAsync(gateway, "/open", headers: [("X-Debug", "1"), ("X-HTTP-Method-Override", "DELETE"), ("X-User-Id", "usr_victim")]);
        Assert.Multiple(() =>
        {
            Assert.That(echoed.Headers.ContainsKey("X-Debug"), Is.False);
            Assert.That(echoed.Headers["X-HTTP-Method-Override"], Is.EqualTo("DELETE"), "the configured list replaces the default");
            Assert.That(echoed.Headers.ContainsKey("X-User-Id"), Is.False, "route-asserted headers are always stripped");
        });
    }
}
