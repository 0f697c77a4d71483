using System.Net;
using System.Text.Json;
using Bff.Shared.Tests.KeyStore;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Tests.Security;

/// <summary>
/// #17 item 6: the API-key failure block is keyed by the real client address — the connection's, or behind
/// <c>Gateway:KnownProxies</c>/<c>KnownNetworks</c> the one their X-Forwarded-For names — and a valid key is never
/// refused by it. Without trusted proxies a client cannot pick its address with X-Forwarded-For.
/// </summary>
internal sealed class TrustedProxiesTests
{
    private EchoBackend _backend = null!;

    [SetUp]
    public async Task Start() => _backend = await EchoBackend.StartAsync();

    [TearDown]
    public async Task Stop() => await _backend.DisposeAsync();

    private string Config => $$"""
        { "Routes": [ { "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
            "AuthenticationOptions": { "AuthenticationProviderKey": "ApiKey" } } ] }
        """;

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["ApiKeys:MaxFailuresPerMinute"] = "3" };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    private static async Task<(HttpStatusCode Status, string? ForwardedFor)> CallAsync(KeyStoreGateway gateway, string key, string? forwardedFor = null)
    {
        using var client = gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.Add("X-Api-Key", key);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK) return (response.StatusCode, null);
        var echo = JsonSerializer.Deserialize<EchoedRequest>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
        return (response.StatusCode, echo.Headers.GetValueOrDefault("X-Forwarded-For"));
    }

    private static string BadKey() => Bff.Shared.ApiKeys.ApiKeyCodec.Generate("test").Key;

    [Test]
    public async Task WithoutTrustedProxies_XForwardedFor_CannotChooseTheAddress()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config, extra: Settings());
        var good = await gateway.NewKeyAsync("orders:read");

        // Every guess claims another address: all are counted against the connection's, which gets blocked.
        for (var i = 0; i < 4; i++) await CallAsync(gateway, BadKey(), $"198.51.100.{i}");
        Assert.That((await CallAsync(gateway, BadKey(), "198.51.100.99")).Status, Is.EqualTo(HttpStatusCode.TooManyRequests));

        var (status, forwardedFor) = await CallAsync(gateway, good.Key, "198.51.100.7");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "a valid key is never refused by the block");
        Assert.That(forwardedFor, Is.EqualTo("127.0.0.1"), "the backend gets the connection's address, not the claimed one");
    }

    [Test]
    public async Task BehindAKnownProxy_EachClientIsBlockedOnItsOwn_AndItsValidKeyStillWorks()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config, extra: Settings(("Gateway:KnownProxies:0", "127.0.0.1")));
        var good = await gateway.NewKeyAsync("orders:read");

        for (var i = 0; i < 4; i++) await CallAsync(gateway, BadKey(), "203.0.113.1");
        Assert.That((await CallAsync(gateway, BadKey(), "203.0.113.1")).Status, Is.EqualTo(HttpStatusCode.TooManyRequests), "the guesser is blocked");
        Assert.That((await CallAsync(gateway, BadKey(), "203.0.113.2")).Status, Is.EqualTo(HttpStatusCode.Unauthorized), "another client behind the same proxy is not");

        var (status, forwardedFor) = await CallAsync(gateway, good.Key, "203.0.113.1");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "a valid key from the blocked address");
        Assert.That(forwardedFor, Is.EqualTo("203.0.113.1"), "the backend gets the real client");
        Assert.That(gateway.Host.Logs.Lines.Select(l => l.Message), Has.Some.Contains("Address 203.0.113.1 blocked"));
    }

    [Test]
    public async Task AChainThroughTrustedNetworks_EndsAtTheFirstUntrustedHop()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config,
            extra: Settings(("Gateway:KnownProxies:0", "127.0.0.1"), ("Gateway:KnownNetworks:0", "10.0.0.0/8")));
        var good = await gateway.NewKeyAsync("orders:read");

        // spoofed, client, inner proxy (trusted network) → the client; the spoofed entry left of it is not believed.
        var (_, forwardedFor) = await CallAsync(gateway, good.Key, "192.0.2.66, 203.0.113.9, 10.1.2.3");
        Assert.That(forwardedFor, Is.EqualTo("203.0.113.9"));
    }

    [Test]
    public async Task ANetworkThatIsNotTheConnections_IsNotTrusted()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config, extra: Settings(("Gateway:KnownNetworks:0", "10.0.0.0/8")));
        var good = await gateway.NewKeyAsync("orders:read");

        var (_, forwardedFor) = await CallAsync(gateway, good.Key, "203.0.113.9");
        Assert.That(forwardedFor, Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public void BadEntries_FailTheStart_NamingEachSetting()
    {
        var error = Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await KeyStoreGateway.StartAsync(Config, extra: Settings(
                ("Gateway:KnownProxies:0", "10.0.0.300"), ("Gateway:KnownNetworks:0", "10.0.0.0"), ("Gateway:KnownNetworks:1", "10.0.0.0/8"))))!;
        Assert.That(error.Failures, Is.EquivalentTo(new[]
        {
            "Gateway:KnownProxies:0 '10.0.0.300' is not an IP address",
            "Gateway:KnownNetworks:0 '10.0.0.0' is not a network in CIDR notation (such as 10.0.0.0/8)",
        }));
    }
}
