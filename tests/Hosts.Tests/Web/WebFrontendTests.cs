using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Bff.Hosts.Tests.Common;
using Bff.Shared.Sessions;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Hosts.Tests.Web;

/// <summary>Bff.Web's own frontend (src/Bff.Web/wwwroot) as served, and the Development demo user it signs in with.</summary>
internal sealed partial class WebFrontendTests
{
    private static string WebRoot => Path.Combine(RepoPaths.Root, "src", "Bff.Web", "wwwroot");

    [Test]
    public async Task Frontend_IsServedAtTheRoot_WithSecurityHeaders_AndRoutesStillAnswer()
    {
        await using var host = await HostFixture<WebBffMarker>.StartAsync("web");
        using var client = host.CreateClient();

        var index = await client.GetAsync("/");
        Assert.That(index.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(index.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(await index.Content.ReadAsStringAsync(), Does.Contain("<title>Bffs web demo</title>"));
        foreach (var path in new[] { "/", "/app.js", "/api.js", "/app.css", "/favicon.svg" })
        {
            var response = await client.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("script-src 'self';").And.Contain("frame-ancestors 'none'"), path);
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"), path);
        }

        Assert.That((await client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a gateway route");
        using var user = new HttpRequestMessage(HttpMethod.Get, "/bff/user");
        user.Headers.Add(SessionDefaults.CsrfHeader, "1");
        Assert.That((await client.SendAsync(user)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "/bff/user");
        Assert.That((await client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [GeneratedRegex(@"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();

    [Test]
    public void FrontendFiles_AreLocalOnly_AndHaveNoInlineScriptOrStyle()
    {
        var files = Directory.GetFiles(WebRoot, "*", SearchOption.AllDirectories);
        Assert.That(files.Select(Path.GetFileName), Is.SupersetOf(new[] { "index.html", "app.js", "api.js", "app.css" }));
        foreach (var file in files.Where(f => f.EndsWith(".html", StringComparison.Ordinal) || f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".css", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            Assert.That(ExternalUrl().Match(text).Value, Is.Empty, $"{file}: no CDN, font or other origin");
            Assert.That(text, Does.Not.Contain("@import").And.Not.Contain("@font-face"), file);
            if (file.EndsWith(".html", StringComparison.Ordinal))
                Assert.That(InlineCode().Match(text).Value, Is.Empty, $"{file}: the CSP forbids inline script and style");
            if (file.EndsWith(".js", StringComparison.Ordinal))
                Assert.That(text, Does.Not.Contain("innerHTML").And.Not.Contain("eval("), file);
        }
    }

    [Test]
    public async Task Development_CreatesTheDemoUser_ThatSignsIn()
    {
        using var folder = new TempFolder();
        await using var factory = Factory(folder, "Development");
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var login = new HttpRequestMessage(HttpMethod.Post, "/bff/login") { Content = JsonContent.Create(new { username = "ada", password = "analytical-engine" }) };
        login.Headers.Add(SessionDefaults.CsrfHeader, "1");
        var response = await client.SendAsync(login);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var users = await factory.Services.GetRequiredService<UserService>().ListAsync();
        Assert.That(users.Single(u => u.Username == "ada").Roles, Is.EqualTo("demo"));
        Assert.That(UserClaims.Parse(users.Single(u => u.Username == "ada").Claims), Is.EqualTo(new Dictionary<string, string> { ["customer_id"] = "1" }),
            "the demo user is the demo backends' customer 1 (Users:DemoClaims)");
    }

    [Test]
    public async Task OutsideDevelopment_TheDemoUserSettingIsIgnored()
    {
        using var folder = new TempFolder();
        await using var factory = Factory(folder, "Production", ("Users:DemoUsername", "ada"), ("Users:DemoPassword", "analytical-engine"));
        _ = factory.Server;

        Assert.That(await factory.Services.GetRequiredService<UserService>().ListAsync(), Is.Empty);
    }

    private static WebApplicationFactory<WebBffMarker> Factory(TempFolder folder, string environment, params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<WebBffMarker>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Gateway:ConfigPath", RepoPaths.RouteFolder("web"));
            foreach (var (key, value) in GatewayTestHost.KeyStoreSettings(folder)) b.UseSetting(key, value);
            foreach (var (key, value) in settings) b.UseSetting(key, value);
            b.UseEnvironment(environment);
        });
}
