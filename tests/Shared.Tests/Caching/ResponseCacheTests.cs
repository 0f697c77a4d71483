using System.Net;
using Bff.Shared.Caching;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.Caching;

/// <summary>The response cache against a real backend that counts its calls.</summary>
internal sealed class ResponseCacheTests
{
    private TestBackend _backend = null!;
    private int _calls;
    private volatile int _status = 200;
    private volatile string? _extraHeader;

    [SetUp]
    public async Task Start()
    {
        _calls = 0;
        _status = 200;
        _extraHeader = null;
        _backend = await TestBackend.StartAsync(async context =>
        {
            var n = Interlocked.Increment(ref _calls);
            if (context.Request.Headers.ContainsKey("X-Slow")) await Task.Delay(300);
            context.Response.StatusCode = _status;
            context.Response.ContentType = "application/json";
            context.Response.Headers.ETag = "\"v1\"";
            if (_extraHeader is { } header) context.Response.Headers[header.Split(':')[0]] = header[(header.IndexOf(':') + 1)..];
            await context.Response.WriteAsync($$"""{"call":{{n}},"user":"{{context.Request.Headers["X-User"]}}"}""");
        });
    }

    [TearDown]
    public async Task Stop() => await _backend.DisposeAsync();

    private string Config(string cache = """{ "TtlSeconds": 60 }""") => $$"""
        { "Routes": [ { "Key": "catalog", "UpstreamPathTemplate": "/catalog/{all}", "DownstreamPathTemplate": "/{all}",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ], "CacheOptions": {{cache}} } ] }
        """;

    private static async Task<(HttpStatusCode Status, string? XCache, string? Age, string Body)> Get(GatewayTestHost gateway, string path, params (string, string)[] headers)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        var response = await client.SendAsync(request);
        return (response.StatusCode, response.Headers.TryGetValues("X-Cache", out var x) ? x.Single() : null,
            response.Headers.TryGetValues("Age", out var a) ? a.Single() : null, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Miss_ThenHit_WithStatusBodyAndHeadersStoredTogether_ThenExpiry()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config("""{ "TtlSeconds": 1 }"""));
        var miss = await Get(gateway, "/catalog/items");
        var hit = await Get(gateway, "/catalog/items");

        Assert.That((miss.XCache, miss.Age, miss.Body), Is.EqualTo(("MISS", "0", """{"call":1,"user":""}""")));
        Assert.That((hit.XCache, hit.Body), Is.EqualTo(("HIT", miss.Body)));
        Assert.That(_calls, Is.EqualTo(1), "a hit never reaches the backend");
        using (var client = gateway.CreateClient())
        {
            var response = await client.GetAsync("/catalog/items");
            Assert.That(response.Headers.ETag!.Tag, Is.EqualTo("\"v1\""));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        }

        await Task.Delay(1300); // past the 1 s TTL (FusionCache keeps its own clock)
        Assert.That((await Get(gateway, "/catalog/items")).Body, Does.Contain("\"call\":2"));
    }

    [Test]
    public async Task Key_IncludesTheHeaderValue()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config("""{ "TtlSeconds": 60, "Header": "X-Tenant" }"""));
        var a = await Get(gateway, "/catalog/x", ("X-Tenant", "a"));
        var b = await Get(gateway, "/catalog/x", ("X-Tenant", "b"));
        var a2 = await Get(gateway, "/catalog/x", ("X-Tenant", "a"));
        Assert.That((a.XCache, b.XCache, a2.XCache), Is.EqualTo(("MISS", "MISS", "HIT")));
    }

    [Test]
    public async Task HundredConcurrentMisses_MakeOneBackendCall()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config());
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Get(gateway, "/catalog/popular", ("X-Slow", "1"))));
        Assert.That(_calls, Is.EqualTo(1));
        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(results.Count(r => r.XCache == "MISS"), Is.EqualTo(1));
    }

    [Test]
    public async Task StaleIfError_ServesTheOldEntry_WhenTheBackendFails()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config("""{ "TtlSeconds": 1, "StaleIfErrorSeconds": 60 }"""));
        var fresh = await Get(gateway, "/catalog/x");
        await Task.Delay(1300);
        _status = 503;

        var stale = await Get(gateway, "/catalog/x");

        Assert.That((stale.Status, stale.XCache, stale.Body), Is.EqualTo((HttpStatusCode.OK, "STALE", fresh.Body)));
    }

    [Test]
    public async Task WithoutAStaleEntry_TheFailureGoesThrough_AndIsNotStored()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config());
        _status = 503;
        Assert.That((await Get(gateway, "/catalog/x")).Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        _status = 200;
        Assert.That((await Get(gateway, "/catalog/x")).XCache, Is.EqualTo("MISS"));
    }

    [TestCase("Set-Cookie:session=abc")]
    [TestCase("Cache-Control:no-store")]
    [TestCase("Cache-Control:private, max-age=60")]
    public async Task UnsafeResponses_AreNeverStored(string header)
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config());
        _extraHeader = header;
        var first = await Get(gateway, "/catalog/x");
        var second = await Get(gateway, "/catalog/x");
        Assert.That((first.XCache, second.XCache), Is.EqualTo(("BYPASS", "BYPASS")));
        Assert.That(_calls, Is.EqualTo(2));
    }

    [Test]
    public async Task UncacheableStatus_AndOtherMethods_AreNotStored()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config());
        _status = 400;
        await Get(gateway, "/catalog/x");
        await Get(gateway, "/catalog/x");
        Assert.That(_calls, Is.EqualTo(2));
        using var client = gateway.CreateClient();
        _status = 200;
        await client.PostAsync("/catalog/x", null);
        await client.PostAsync("/catalog/x", null);
        Assert.That(_calls, Is.EqualTo(4));
    }

    [Test]
    public async Task Purge_Region_And_Route()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config("""{ "TtlSeconds": 60, "Region": "catalog-region" }"""));
        var cache = gateway.Services.GetRequiredService<ResponseCache>();
        await Get(gateway, "/catalog/x");
        Assert.That((await Get(gateway, "/catalog/x")).XCache, Is.EqualTo("HIT"));

        await cache.PurgeRegionAsync("catalog-region", CancellationToken.None);
        Assert.That((await Get(gateway, "/catalog/x")).XCache, Is.EqualTo("MISS"));

        await cache.PurgeRouteAsync("catalog", CancellationToken.None);
        Assert.That((await Get(gateway, "/catalog/x")).XCache, Is.EqualTo("MISS"));
    }

    [Test]
    public async Task Headers_XCacheAndAge_OnEveryCachedRouteAnswer()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config());
        await Get(gateway, "/catalog/x");
        await Task.Delay(1100);
        var hit = await Get(gateway, "/catalog/x");
        Assert.That(hit.XCache, Is.EqualTo("HIT"));
        Assert.That(int.Parse(hit.Age!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(1));
        Assert.That((await Get(gateway, "/catalog/x", ("Cache-Control", "no-store"))).XCache, Is.EqualTo("BYPASS"));
    }
}
