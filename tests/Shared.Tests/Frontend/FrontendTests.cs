using System.Net;
using Microsoft.Extensions.Hosting;

namespace Bff.Shared.Tests.Frontend;

/// <summary>AddBffFrontend: static files after every gateway route and host endpoint, with strict security headers.</summary>
internal sealed class FrontendTests
{
    private static string Routes(int port) => $$"""
        { "Routes": [
          { "UpstreamPathTemplate": "/api/{everything}", "DownstreamPathTemplate": "/api/{everything}",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{port}} } ] },
          { "UpstreamPathTemplate": "/app.css", "DownstreamPathTemplate": "/from-backend.css",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{port}} } ] } ] }
        """;

    private static async Task<GatewayTestHost> StartAsync(EchoBackend backend, Dictionary<string, string?>? settings = null, bool withFiles = true)
    {
        var folder = new TempFolder();
        var config = folder.Write("ocelot.json", Routes(backend.Port));
        if (withFiles)
        {
            folder.Write("wwwroot/index.html", "<!doctype html><title>demo</title><script type=\"module\" src=\"app.js\"></script>");
            folder.Write("wwwroot/app.js", "export {};");
            folder.Write("wwwroot/app.css", "body{}");
            folder.Write("wwwroot/api/users", "a file where a route is");
            folder.Write("wwwroot/health/live", "a file where a host endpoint is");
        }
        return await GatewayTestHost.StartAsync(folder, config, settings, configure: b => b.AddBffFrontend());
    }

    [Test]
    public async Task Root_IsIndexHtml_WithStrictSecurityHeaders()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await StartAsync(backend);
        using var client = gateway.CreateClient();

        foreach (var path in new[] { "/", "/index.html", "/app.js" })
        {
            var response = await client.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            var headers = response.Headers;
            using (Assert.EnterMultipleScope())
            {
                var csp = headers.GetValues("Content-Security-Policy").Single();
                Assert.That(csp, Does.Contain("default-src 'none'"), path);
                Assert.That(csp, Does.Contain("script-src 'self';"), path);
                Assert.That(csp, Does.Not.Contain("unsafe-inline"), path);
                Assert.That(csp, Does.Contain("frame-ancestors 'none'"), path);
                Assert.That(headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"), path);
                Assert.That(headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"), path);
                Assert.That(headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"), path);
                Assert.That(headers.CacheControl?.NoCache, Is.True, path);
            }
        }
        Assert.That(await client.GetStringAsync("/"), Does.Contain("<title>demo</title>"));
        Assert.That((await client.GetAsync("/app.js")).Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
    }

    [Test]
    public async Task Files_NeverShadowRoutesOrHostEndpoints()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await StartAsync(backend);
        using var client = gateway.CreateClient();

        var route = await client.GetAsync("/api/users");
        Assert.That(await route.Content.ReadAsStringAsync(), Does.Contain("\"pathAndQuery\":\"/api/users\""), "the route, not wwwroot/api/users");
        var css = await client.GetAsync("/app.css");
        Assert.That(await css.Content.ReadAsStringAsync(), Does.Contain("/from-backend.css"), "a route wins over a file of the same path");
        Assert.That(css.Headers.Contains("Content-Security-Policy"), Is.False, "a backend answer is not dressed as a frontend file");
        var health = await client.GetAsync("/health/live");
        Assert.That(await health.Content.ReadAsStringAsync(), Does.Not.Contain("a file where"));
        Assert.That(backend.RequestCount, Is.EqualTo(2));
    }

    [Test]
    public async Task UnknownPath_StaysA404ProblemJson_NoCatchAllFallback()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await StartAsync(backend);
        using var client = gateway.CreateClient();

        foreach (var path in new[] { "/sessions", "/nope.js", "/bff/nothing" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/html");
            var response = await client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), path);
        }
    }

    [Test]
    public async Task Disabled_OrNoIndexHtml_ServesNothing()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using (var disabled = await StartAsync(backend, new Dictionary<string, string?> { ["Frontend:Enabled"] = "false" }))
        {
            using var client = disabled.CreateClient();
            Assert.That((await client.GetAsync("/")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await client.GetAsync("/app.js")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
        await using (var empty = await StartAsync(backend, withFiles: false))
        {
            using var client = empty.CreateClient();
            Assert.That((await client.GetAsync("/")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(empty.Logs.Lines.Any(e => e.Message.Contains("No frontend is served", StringComparison.Ordinal)), Is.True);
        }
    }

    [Test]
    public async Task RootPath_ServesAnotherFolder()
    {
        await using var backend = await EchoBackend.StartAsync();
        using var other = new TempFolder();
        other.Write("index.html", "<!doctype html><title>other</title>");
        await using var gateway = await StartAsync(backend, new Dictionary<string, string?> { ["Frontend:RootPath"] = other.Path });
        using var client = gateway.CreateClient();

        Assert.That(await client.GetStringAsync("/"), Does.Contain("<title>other</title>"));
    }
}
