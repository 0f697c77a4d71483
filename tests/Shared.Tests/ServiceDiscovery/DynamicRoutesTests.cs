using System.Net;
using System.Text.Json;
using Bff.Shared.Configuration;
using Bff.Shared.Forwarding;

namespace Bff.Shared.Tests.ServiceDiscovery;

/// <summary>
/// #19 item 4, Ocelot's dynamic routing: with a ServiceDiscoveryProvider and no static Routes, /{service}/{everything}
/// reaches that service's /{everything}, with the service's DynamicRoutes options (RateLimitRule); a service the
/// configuration does not know is 404, not a route made up for the client.
/// </summary>
internal sealed class DynamicRoutesTests
{
    private const string Provider = """ "GlobalConfiguration": { "ServiceDiscoveryProvider": { "Type": "Configuration" }, "DownstreamScheme": "http" } """;

    private static Dictionary<string, string?> Instances(EchoBackend backend) => new()
    {
        ["Services:orders:http:0"] = $"http://127.0.0.1:{backend.Port}",
        ["Services:payments:http:0"] = $"http://127.0.0.1:{backend.Port}",
    };

    [Test]
    [CancelAfter(30_000)]
    public async Task ServicePath_ReachesThatService_UnknownServiceIs404()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync($$"""{ {{Provider}} }""", Instances(backend));
        using var client = gateway.CreateClient();

        await Eventually.HoldsAsync(async () => (await client.GetAsync("/orders/items")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "resolved");
        using var response = await client.GetAsync("/payments/p/5001?expand=1");
        var echo = JsonSerializer.Deserialize<EchoedRequest>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
        Assert.That(echo.PathAndQuery, Is.EqualTo("/p/5001?expand=1"));

        var before = backend.RequestCount;
        using var unknown = await client.GetAsync("/made-up-service/x");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(backend.RequestCount, Is.EqualTo(before));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task DynamicRouteOptions_ApplyToTheirService_RateLimitRule()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync($$"""
            { {{Provider}}, "DynamicRoutes": [ { "ServiceName": "orders", "RateLimitRule": { "Limit": 1, "Period": "1m" } } ] }
            """, Instances(backend));
        using var client = gateway.CreateClient();

        await Eventually.HoldsAsync(async () => (await client.GetAsync("/payments/x")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "resolved");
        Assert.That((await client.GetAsync("/orders/a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/orders/a")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the orders service's own limit");
        Assert.That((await client.GetAsync("/payments/x")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "another service is not limited");
    }

    private static List<ConfigError> Errors(string json) => Bff.Shared.Tests.Configuration.ModelBuilds.Errors(json);

    [TestCase("""{ "DynamicRoutes": [ { "ServiceName": "orders" } ] }""", "DynamicRoutes[0]", "need GlobalConfiguration.ServiceDiscoveryProvider")]
    [TestCase("""{ "GlobalConfiguration": { "ServiceDiscoveryProvider": { "Type": "Configuration" } }, "DynamicRoutes": [ { } ] }""", "DynamicRoutes[0].ServiceName", "needs the ServiceName")]
    [TestCase("""{ "GlobalConfiguration": { "ServiceDiscoveryProvider": { "Type": "Configuration" } }, "DynamicRoutes": [ { "ServiceName": "orders" } ], "Routes": [ { "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/a", "ServiceName": "orders" } ] }""", "DynamicRoutes[0]", "only when there are no Routes")]
    public void BadDynamicRoutes_AreErrorsAtTheirPath(string json, string path, string message) =>
        Assert.That(Errors(json).Select(e => (e.Path, e.Message)), Has.Some.Matches<(string Path, string Message)>(e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal)));
}
