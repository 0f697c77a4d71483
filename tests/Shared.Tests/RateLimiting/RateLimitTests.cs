using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bff.Shared.Tests.RateLimiting;

/// <summary>Ocelot's RateLimitOptions and our extensions, decided in process (no Redis configured).</summary>
internal sealed class RateLimitTests
{
    private EchoBackend _backend = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public async Task Start()
    {
        _backend = await EchoBackend.StartAsync();
        _time = TestClock.StartingNow();
    }

    [TearDown]
    public async Task Stop() => await _backend.DisposeAsync();

    private Task<GatewayTestHost> Gateway(string rateLimitOptions, string global = "", IDictionary<string, string?>? settings = null) =>
        GatewayTestHost.StartAsync($$"""
            { "Routes": [
                { "Key": "limited", "UpstreamPathTemplate": "/limited", "DownstreamPathTemplate": "/x",
                  "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ] {{rateLimitOptions}} },
                { "Key": "other", "UpstreamPathTemplate": "/other", "DownstreamPathTemplate": "/y",
                  "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ] } ]
              {{(global.Length == 0 ? "" : ", \"GlobalConfiguration\": { \"RateLimitOptions\": " + global + " }")}} }
            """, settings, services => services.AddSingleton<TimeProvider>(_time));

    private static async Task<HttpResponseMessage> Get(GatewayTestHost gateway, string path = "/limited", string? client = null)
    {
        using var http = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (client is not null) request.Headers.Add("Oc-Client", client);
        return await http.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Test]
    public async Task FixedWindow_LimitThen429WithRetryAfter_ThenANewWindow()
    {
        await using var gateway = await Gateway(""", "RateLimitOptions": { "Limit": 3, "Period": "1m" }""");

        var allowed = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++) allowed.Add(await Get(gateway, client: "acme"));
        var refused = await Get(gateway, client: "acme");

        Assert.That(allowed.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(allowed.Select(r => Header(r, "X-RateLimit-Remaining")), Is.EqualTo(new[] { "2", "1", "0" }));
        Assert.That(Header(allowed[0], "X-RateLimit-Limit"), Is.EqualTo("3"));
        Assert.That(Header(allowed[0], "RateLimit-Policy"), Is.EqualTo("\"default\";q=3;w=60"));
        Assert.That(Header(allowed[0], "RateLimit"), Is.EqualTo("\"default\";r=2;t=60"));
        Assert.That(Header(allowed[0], "X-RateLimit-Reset"), Is.EqualTo(_time.GetUtcNow().AddMinutes(1).UtcDateTime.ToString("O")));

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(Header(refused, "Retry-After"), Is.EqualTo("60"));
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("https://iana.org/assignments/http-problem-types#quota-exceeded"));
        Assert.That(problem["detail"]!.GetValue<string>(), Is.EqualTo("API calls quota exceeded! Maximum admitted 3 per 1m."));
        Assert.That(problem["violated-policies"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "default" }));
        Assert.That(_backend.RequestCount, Is.EqualTo(3), "refused requests are not forwarded");

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.That((await Get(gateway, client: "acme")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Clients_AreCountedApart_ByHeader_ElseByAddress()
    {
        await using var gateway = await Gateway(""", "RateLimitOptions": { "Limit": 1, "Period": "1m" }""");

        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That((await Get(gateway, client: "b")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Get(gateway)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "no header: counted by address (Ocelot 25 answers 503)");
        Assert.That((await Get(gateway)).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public async Task Whitelist_IsNeverLimited()
    {
        await using var gateway = await Gateway(""", "RateLimitOptions": { "Limit": 1, "Period": "1m", "ClientWhitelist": ["ops"] }""");
        for (var i = 0; i < 5; i++) Assert.That((await Get(gateway, client: "ops")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task LegacyNames_StatusMessagePrefixAndHeaderSwitch()
    {
        await using var gateway = await Gateway("""
            , "RateLimitOptions": { "Limit": 1, "Period": "10s", "HttpStatusCode": 503, "QuotaExceededMessage": "Slow down: {0} per {1}", "DisableRateLimitHeaders": true }
            """);

        var first = await Get(gateway, client: "a");
        var second = await Get(gateway, client: "a");

        Assert.That(Header(first, "X-RateLimit-Limit"), Is.Null);
        Assert.That(Header(first, "RateLimit"), Is.Null);
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(JsonNode.Parse(await second.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), Is.EqualTo("Slow down: 1 per 10s"));
    }

    [Test]
    public async Task RouteValues_WinOverGlobalOnes_WhateverTheirNames()
    {
        await using var gateway = await Gateway(""", "RateLimitOptions": { "Limit": 1, "Period": "1m", "StatusCode": 503, "QuotaMessage": "route says {0}" }""",
            """{ "HttpStatusCode": 429, "QuotaExceededMessage": "global says {0}", "RouteKeys": ["limited"] }""");
        await Get(gateway, client: "a");
        var refused = await Get(gateway, client: "a");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), Is.EqualTo("route says 1"));
    }

    [Test]
    public async Task Wait_KeepsRefusingAfterTheWindow()
    {
        await using var gateway = await Gateway(""", "RateLimitOptions": { "Limit": 1, "Period": "1s", "Wait": "10s" }""");

        await Get(gateway, client: "a");
        var refused = await Get(gateway, client: "a");
        Assert.That(Header(refused, "Retry-After"), Is.EqualTo("10"));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "banned for Wait");
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a fresh window after the ban");
    }

    [Test]
    public async Task GlobalOptions_ApplyToEveryRouteWithoutItsOwn_RouteKeysNarrowThem()
    {
        await using (var all = await Gateway("", """{ "Limit": 1, "Period": "1m" }"""))
        {
            await Get(all, "/other", "a");
            Assert.That((await Get(all, "/other", "a")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        }
        await using var narrowed = await Gateway("", """{ "Limit": 1, "Period": "1m", "RouteKeys": ["limited"] }""");
        await Get(narrowed, "/other", "a");
        Assert.That((await Get(narrowed, "/other", "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Get(narrowed, "/limited", "a");
        Assert.That((await Get(narrowed, "/limited", "a")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public async Task SeveralLimits_AreAllEnforced_AndNamedInTheHeaders()
    {
        await using var gateway = await Gateway("""
            , "RateLimitOptions": { "Limit": 2, "Period": "1s", "Limits": [ { "Name": "daily", "Limit": 3, "Period": "1d" } ] }
            """);

        var first = await Get(gateway, client: "a");
        Assert.That(Header(first, "RateLimit-Policy"), Is.EqualTo("\"default\";q=2;w=1, \"daily\";q=3;w=86400"));
        await Get(gateway, client: "a");
        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "burst");
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "third of the day");
        _time.Advance(TimeSpan.FromSeconds(2));
        var daily = await Get(gateway, client: "a");
        Assert.That(daily.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(JsonNode.Parse(await daily.Content.ReadAsStringAsync())!["violated-policies"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "daily" }));
    }

    [Test]
    public async Task SlidingWindow_CarriesThePreviousWindowOver()
    {
        await using var gateway = await Gateway(""", "RateLimitOptions": { "Limit": 4, "Period": "1m", "Algorithm": "SlidingWindow" }""");
        _time.Advance(TimeSpan.FromSeconds(30)); // align: now half way through a window
        for (var i = 0; i < 4; i++) Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        _time.Advance(TimeSpan.FromSeconds(45)); // next window, 15 s in: the previous 4 still weigh 75 % (3)
        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "3 + 1");
        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "a fixed window would allow 4 here");
        _time.Advance(TimeSpan.FromSeconds(30)); // 45 s in: the previous window weighs 25 % (1) + 1 in this one
        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task TokenBucket_RefillsEvenly()
    {
        await using var gateway = await Gateway(""", "RateLimitOptions": { "Limit": 2, "Period": "10s", "Algorithm": "TokenBucket" }""");
        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var refused = await Get(gateway, client: "a");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(Header(refused, "Retry-After"), Is.EqualTo("5"));
        _time.Advance(TimeSpan.FromSeconds(5)); // one token back
        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Get(gateway, client: "a")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public async Task HostSetting_HidesTheHeaders()
    {
        await using var gateway = await Gateway(""", "RateLimitOptions": { "Limit": 3, "Period": "1m" }""", settings: new Dictionary<string, string?> { ["RateLimiting:Headers"] = "false" });
        var response = await Get(gateway, client: "a");
        Assert.That((Header(response, "RateLimit"), Header(response, "X-RateLimit-Remaining")), Is.EqualTo(((string?)null, (string?)null)));
    }

    [Test]
    public async Task RepeatedRefusals_RaiseOneAlert_AndTheWebhookIsCalled()
    {
        var alerts = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var hook = await TestBackend.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            alerts.Enqueue(await reader.ReadToEndAsync());
        });
        await using var gateway = await Gateway(""", "RateLimitOptions": { "Limit": 1, "Period": "1m" }""", settings: new Dictionary<string, string?>
        {
            ["RateLimiting:AlertThreshold"] = "3",
            ["Observer:AlertWebhook"] = $"http://127.0.0.1:{hook.Port}/alerts",
        });

        for (var i = 0; i < 8; i++) await Get(gateway, client: "noisy");
        await Eventually.HoldsAsync(() => !alerts.IsEmpty, TimeSpan.FromSeconds(1), "the webhook got the alert");

        Assert.That(gateway.Logs.Lines.Count(l => l.Level == LogLevel.Warning && l.Message.StartsWith("Alert rate-limit for h:noisy: client h:noisy was refused 3 times", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(alerts, Has.Count.EqualTo(1));
        Assert.That(alerts.Single(), Does.Contain("\"type\":\"rate-limit\"").And.Contain("\"subject\":\"h:noisy\"").And.Contain("\"route\":\"limited\""));
    }
}
