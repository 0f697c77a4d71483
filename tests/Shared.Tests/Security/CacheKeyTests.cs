using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bff.Shared.Tests.KeyStore;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Tests.Security;

/// <summary>
/// Issue #17 item 5: the cache key is exactly what was asked of the backend — per chained call, with header captures,
/// claim substitutions and the representation-selecting headers — so no entry is served for another request.
/// </summary>
internal sealed class CacheKeyTests
{
    private EchoBackend _backend = null!;

    [SetUp]
    public async Task Start() => _backend = await EchoBackend.StartAsync();

    [TearDown]
    public async Task Stop() => await _backend.DisposeAsync();

    private string Route(string upstream, string downstream, string extra = "") => $$"""
        { "Key": "r", "UpstreamPathTemplate": "{{upstream}}", "DownstreamPathTemplate": "{{downstream}}",
          "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
          "CacheOptions": { "TtlSeconds": 60 } {{extra}} }
        """;

    internal static async Task<(string? XCache, EchoedRequest Echo)> GetAsync(GatewayTestHost gateway, string path, params (string Name, string Value)[] headers)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var echo = JsonSerializer.Deserialize<EchoedRequest>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
        return (response.Headers.TryGetValues("X-Cache", out var x) ? x.Single() : null, echo);
    }

    [Test]
    public async Task ChainedAggregate_EveryChainedCallHasItsOwnEntry_EachOrderShowsItsOwnPayments()
    {
        var payments = 0;
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            var path = context.Request.Path.Value!;
            if (path == "/orders") { await context.Response.WriteAsync("""[{"id":1},{"id":2},{"id":3}]"""); return; }
            Interlocked.Increment(ref payments);
            await context.Response.WriteAsync($$"""{"payments":"{{path}}"}""");
        });
        await using var gateway = await GatewayTestHost.StartAsync($$"""
            { "Routes": [
                { "Key": "orders", "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders",
                  "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ] },
                { "Key": "payments", "UpstreamPathTemplate": "/payments/{orderId}", "DownstreamPathTemplate": "/payments/{orderId}",
                  "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ], "CacheOptions": { "TtlSeconds": 60 } } ],
              "Aggregates": [ { "UpstreamPathTemplate": "/order-history/{customer}", "RouteKeys": ["orders", "payments"],
                "RouteKeysConfig": [ { "RouteKey": "payments", "JsonPath": "$[*].id", "Parameter": "orderId" } ] } ] }
            """);

        string[] expected = ["/payments/1", "/payments/2", "/payments/3"];
        foreach (var round in new[] { "first (misses)", "second (hits)" })
        {
            using var client = gateway.CreateClient();
            var body = JsonNode.Parse(await client.GetStringAsync("/order-history/1"))!;
            Assert.That(body["payments"]!.AsArray().Select(p => p!["payments"]!.GetValue<string>()), Is.EqualTo(expected), round);
        }
        Assert.That(payments, Is.EqualTo(3), "one backend call per order, then three hits");
    }

    [Test]
    public async Task HeaderCapture_InTheDownstreamPath_IsInTheKey()
    {
        await using var gateway = await GatewayTestHost.StartAsync($$"""
            { "Routes": [ {{Route("/orgs/{id}", "/api/{tenant}/orgs/{id}", """, "UpstreamHeaderTemplates": { "X-Tenant": "{header:tenant}" }""")}} ] }
            """);

        var acme = await GetAsync(gateway, "/orgs/7", ("X-Tenant", "acme"));
        var globex = await GetAsync(gateway, "/orgs/7", ("X-Tenant", "globex"));
        var again = await GetAsync(gateway, "/orgs/7", ("X-Tenant", "acme"));

        Assert.That((acme.XCache, globex.XCache, again.XCache), Is.EqualTo(("MISS", "MISS", "HIT")));
        Assert.That((globex.Echo.PathAndQuery, again.Echo.PathAndQuery), Is.EqualTo(("/api/globex/orgs/7", "/api/acme/orgs/7")));
    }

    [TestCase("/clients/{client}/orders", """ "ChangeDownstreamPathTemplate": { "client": "Claims[client_id] > value" } """, "/clients/cl_")]
    [TestCase("/orders", """ "AddQueriesToRequest": { "client": "Claims[client_id] > value" } """, "/orders?client=cl_")]
    public async Task ClaimValues_SubstitutedIntoTheDownstreamUrl_AreInTheKey_EvenOnASharedRoute(string downstream, string substitution, string substituted)
    {
        // Shared: the identity is deliberately not in the key — only what the backend is asked tells the entries apart.
        await using var gateway = await KeyStoreGateway.StartAsync($$"""
            { "Routes": [ { "Key": "r", "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "{{downstream}}",
                "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
                "AuthenticationOptions": { "AuthenticationProviderKey": "ApiKey" }, {{substitution}},
                "CacheOptions": { "TtlSeconds": 60, "Shared": true } } ] }
            """);
        var alpha = await gateway.NewKeyAsync("x", client: "alpha");
        var beta = await gateway.NewKeyAsync("x", client: "beta");

        var a1 = await GetAsync(gateway.Host, "/orders", ("X-Api-Key", alpha.Key));
        var b1 = await GetAsync(gateway.Host, "/orders", ("X-Api-Key", beta.Key));
        var a2 = await GetAsync(gateway.Host, "/orders", ("X-Api-Key", alpha.Key));

        Assert.That((a1.XCache, b1.XCache, a2.XCache), Is.EqualTo(("MISS", "MISS", "HIT")));
        Assert.That(a1.Echo.PathAndQuery, Does.StartWith(substituted), "the client id was substituted");
        Assert.That(b1.Echo.PathAndQuery, Does.StartWith(substituted).And.Not.EqualTo(a1.Echo.PathAndQuery), "beta never gets alpha's entry");
        Assert.That(a2.Echo.PathAndQuery, Is.EqualTo(a1.Echo.PathAndQuery));
    }

    [TestCase("Accept", "application/json", "text/csv")]
    [TestCase("Accept-Encoding", "gzip", "identity")]
    [TestCase("Accept-Language", "de-DE", "fr-FR")]
    public async Task RepresentationSelectingHeaders_AreInTheKey_WithoutTheBackendSayingVary(string header, string one, string other)
    {
        await using var gateway = await GatewayTestHost.StartAsync($$"""{ "Routes": [ {{Route("/catalog", "/catalog")}} ] }""");

        var first = await GetAsync(gateway, "/catalog", (header, one));
        var second = await GetAsync(gateway, "/catalog", (header, other));
        var again = await GetAsync(gateway, "/catalog", (header, one));
        var none = await GetAsync(gateway, "/catalog");

        Assert.That((first.XCache, second.XCache, again.XCache, none.XCache), Is.EqualTo(("MISS", "MISS", "HIT", "MISS")));
        Assert.That(second.Echo.Headers[header], Is.EqualTo(other), "the other variant came from the backend");
        Assert.That(again.Echo.Headers[header], Is.EqualTo(one));
        Assert.That(none.Echo.Headers.ContainsKey(header), Is.False);
    }

    [Test]
    public async Task HeaderValues_CannotSpellAnotherRequestsKey()
    {
        // The key's fields are escaped: a value holding the field separator does not shift it into the next field.
        await using var gateway = await GatewayTestHost.StartAsync($$"""{ "Routes": [ {{Route("/catalog", "/catalog")}} ] }""");

        var split = await GetAsync(gateway, "/catalog", ("Accept", "a"), ("Accept-Encoding", "b|c"));
        var moved = await GetAsync(gateway, "/catalog", ("Accept", "a|b"), ("Accept-Encoding", "c"));

        Assert.That((split.XCache, moved.XCache), Is.EqualTo(("MISS", "MISS")));
    }
}
