using System.Net;
using Bff.Shared.KeyStore;
using Microsoft.Extensions.Hosting;
using Bff.Shared.Tokens;

namespace Bff.Shared.Tests.Security;

/// <summary>
/// #17 item 7: a value the gateway inserts from a claim (downstream path, header, query) passes the same checks as a
/// client's own: no traversal, no second path segment, no control characters — refused with 403, never forwarded.
/// </summary>
internal sealed class ClaimValueSafetyTests
{
    private EchoBackend _backend = null!;
    private TempFolder _data = null!;
    private GatewayTestHost _gateway = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _backend = await EchoBackend.StartAsync();
        _data = new TempFolder();
        var down = $$"""
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ], "AuthenticationOptions": { "AuthenticationProviderKey": "Bearer" }
            """;
        _gateway = await GatewayTestHost.StartAsync($$"""
            { "Routes": [
                { "UpstreamPathTemplate": "/me", "DownstreamPathTemplate": "/api/users/{customer}", {{down}},
                  "ChangeDownstreamPathTemplate": { "customer": "Claims[customer_id] > value" } },
                { "UpstreamPathTemplate": "/header", "DownstreamPathTemplate": "/header", {{down}},
                  "AddHeadersToRequest": { "X-Customer": "Claims[customer_id] > value" } },
                { "UpstreamPathTemplate": "/query", "DownstreamPathTemplate": "/query", {{down}},
                  "AddQueriesToRequest": { "customer": "Claims[customer_id] > value" } } ] }
            """, GatewayTestHost.KeyStoreSettings(_data), configure: b => b.AddKeyStore().AddTokenAuthentication());
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
        _data.Dispose();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string customer)
    {
        var token = await SecurityTestUsers.TokenAsync(_gateway, "u" + Guid.NewGuid().ToString("N")[..12], new Dictionary<string, string> { ["customer_id"] = customer });
        using var client = _gateway.CreateClient();
        return await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = new("Bearer", token) } });
    }

    [TestCase("1/../2")]
    [TestCase("..")]
    [TestCase("1/2")]
    [TestCase("%2e%2e")]
    [TestCase("1\\..\\2")]
    [TestCase("1\n2")]
    public async Task PathValueFromAClaim_ThatCouldAddressAnotherPath_Is403(string customer)
    {
        var before = _backend.RequestCount;
        using var response = await GetAsync("/me", customer);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(_backend.RequestCount, Is.EqualTo(before));
    }

    [TestCase("/header")]
    [TestCase("/query")]
    public async Task HeaderOrQueryValueFromAClaim_WithAControlCharacter_Is403(string path)
    {
        var before = _backend.RequestCount;
        using var response = await GetAsync(path, "1\r\nX-Injected: yes");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(_backend.RequestCount, Is.EqualTo(before));
    }

    [Test]
    public async Task OrdinaryClaimValue_IsForwarded()
    {
        using var response = await GetAsync("/me", "42");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("/api/users/42"));
    }
}
