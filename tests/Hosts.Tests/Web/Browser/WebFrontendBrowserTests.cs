using System.Net;
using System.Text.Json;
using Bff.Shared.Sessions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bff.Hosts.Tests.Web.Browser;

/// <summary>The web frontend served by Bff.Web, end to end in headless Chromium: sign-in, the aggregated dashboard,
/// the session cookie as the browser holds it, anti-forgery, sessions revoked from another browser, sign-out.</summary>
internal sealed class WebFrontendBrowserTests : BrowserTests
{
    /// <summary>Set to 1 to also write the screenshot to docs/web-dashboard.png (the README's picture).</summary>
    public const string UpdateDocsVariable = "BFFS_UPDATE_DOCS_SCREENSHOT";

    [Test]
    public async Task SignIn_ShowsTheDashboard_AggregatedFromUsersOrdersAndPayments()
    {
        var page = await OpenAsync();
        await Expect(page).ToHaveTitleAsync("Bffs web demo");

        var dashboard = page.WaitForResponseAsync(r => new Uri(r.Url).AbsolutePath == "/api/dashboard");
        await SignedInAsync(page);

        var response = await dashboard;
        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(await response.HeaderValueAsync("bff-aggregate-parts"), Is.EqualTo("web-me=200, web-me-orders=200, web-me-payments=200"));
        await Expect(page.Locator("#who-name")).ToHaveTextAsync("ada");
        await Expect(page.Locator("#profile-email")).ToHaveTextAsync("ada@example.com");
        await Expect(page.Locator("#orders tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#orders tbody")).ToContainTextAsync("#1001");
        await Expect(page.Locator("#orders tbody")).ToContainTextAsync("#1002");
        await Expect(page.Locator("#payments tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#payments tbody")).ToContainTextAsync("#5001");
        await Expect(Message(page)).ToBeHiddenAsync();

        await SaveScreenshotAsync(page);
    }

    [Test]
    public async Task SessionCookie_IsHttpOnlySecureStrict_AndJavaScriptCannotReadOrReplaceIt()
    {
        var page = await SignedInAsync(await OpenAsync());

        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == SessionDefaults.CookieName);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cookie.HttpOnly, Is.True, "HttpOnly");
            Assert.That(cookie.Secure, Is.True, "Secure");
            Assert.That(cookie.SameSite, Is.EqualTo(SameSiteAttribute.Strict), "SameSite");
            Assert.That(cookie.Path, Is.EqualTo("/"));
            Assert.That(cookie.Domain, Is.EqualTo(Gateway.BaseAddress.Host), "host-only: no Domain attribute");
        }

        var visible = await page.EvaluateAsync<string>("() => document.cookie");
        Assert.That(visible, Does.Not.Contain(SessionDefaults.CookieName));
        Assert.That(visible, Does.Not.Contain(cookie.Value));

        // Script cannot overwrite an HttpOnly cookie either: the session survives.
        await page.EvaluateAsync("() => { document.cookie = '__Host-bffs-session=forged; Secure; Path=/'; }");
        var after = (await page.Context.CookiesAsync()).Single(c => c.Name == SessionDefaults.CookieName);
        Assert.That(after.Value, Is.EqualTo(cookie.Value));
        await page.Locator("#refresh-dashboard").ClickAsync();
        await Expect(page.Locator("#profile-name")).ToHaveTextAsync("Ada Lovelace");
    }

    [Test]
    public async Task FetchWithoutXCsrf_IsRefused_EvenWithTheSessionCookie()
    {
        var page = await SignedInAsync(await OpenAsync());

        var without = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await fetch('/api/dashboard', { credentials: 'same-origin' });
              return { status: r.status, type: r.headers.get('content-type'), body: await r.json() };
            }
            """);
        var with = await page.EvaluateAsync<int>("""
            async () => (await fetch('/api/dashboard', { credentials: 'same-origin', headers: { 'X-CSRF': '1' } })).status
            """);
        var bffWithout = await page.EvaluateAsync<int>("async () => (await fetch('/bff/sessions')).status");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(without.GetProperty("status").GetInt32(), Is.EqualTo(401));
            Assert.That(without.GetProperty("type").GetString(), Does.StartWith("application/problem+json"));
            Assert.That(without.GetProperty("body").GetProperty("detail").GetString(), Does.Contain("X-CSRF"));
            Assert.That(with, Is.EqualTo(200), "the same call with X-CSRF: 1");
            Assert.That(bffWithout, Is.EqualTo(401), "/bff/* too");
        }
    }

    [Test]
    public async Task EveryCallOfThePage_SendsXCsrf()
    {
        var page = await OpenAsync();
        var calls = new List<IRequest>();
        page.Request += (_, request) =>
        {
            if (request.ResourceType is "fetch" or "xhr") calls.Add(request);
        };
        await page.ReloadAsync();
        await SignedInAsync(page);
        await page.Locator("#nav a[data-view=sessions]").ClickAsync();
        await Expect(page.Locator("#sessions tbody tr")).Not.ToHaveCountAsync(0);

        Assert.That(calls.Select(c => new Uri(c.Url).AbsolutePath), Is.SupersetOf(new[] { "/bff/user", "/bff/login", "/api/dashboard", "/bff/sessions" }));
        foreach (var call in calls)
            Assert.That(call.Headers.TryGetValue("x-csrf", out var value) ? value : null, Is.EqualTo("1"), call.Url);
    }

    [Test]
    public async Task RevokingASessionFromAnotherBrowser_SignsTheFirstOneOut()
    {
        var laptop = await SignedInAsync(await OpenAsync());
        var phone = await SignedInAsync(await OpenAsync());
        var laptopCookie = (await laptop.Context.CookiesAsync()).Single(c => c.Name == SessionDefaults.CookieName).Value;

        var laptopSession = await laptop.EvaluateAsync<string>("""
            async () => (await (await fetch('/bff/sessions', { headers: { 'X-CSRF': '1' } })).json()).find(s => s.current).id
            """);

        await phone.Locator("#nav a[data-view=sessions]").ClickAsync();
        var laptopRow = phone.Locator($"#sessions tbody tr[data-session-id='{laptopSession}']");
        await Expect(laptopRow).ToHaveCountAsync(1);
        await Expect(phone.Locator("#sessions tbody tr.current")).ToHaveCountAsync(1);
        await Expect(phone.Locator("#sessions tbody tr.current")).Not.ToHaveAttributeAsync("data-session-id", laptopSession);
        await laptopRow.Locator("button[data-revoke]").ClickAsync();
        await Expect(Message(phone)).ToHaveTextAsync("That session was signed out.");
        await Expect(laptopRow).ToHaveCountAsync(0);

        // The laptop finds out on its next call: back to the sign-in form, with a readable reason.
        await laptop.Locator("#refresh-dashboard").ClickAsync();
        await Expect(laptop.Locator("#view-login")).ToBeVisibleAsync();
        await Expect(Message(laptop)).ToContainTextAsync("Your session has ended");
        await Expect(laptop.Locator("#nav")).ToBeHiddenAsync();

        // Revoked on the server, not merely forgotten by the page.
        Assert.That(await StatusWithCookieAsync(laptopCookie), Is.EqualTo(HttpStatusCode.Unauthorized));
        await phone.Locator("#nav a[data-view=dashboard]").ClickAsync();
        await Expect(phone.Locator("#profile-name")).ToHaveTextAsync("Ada Lovelace");
    }

    [Test]
    public async Task SignOut_EndsTheSessionOnTheServer()
    {
        var page = await SignedInAsync(await OpenAsync());
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == SessionDefaults.CookieName).Value;
        Assert.That(await StatusWithCookieAsync(cookie), Is.EqualTo(HttpStatusCode.OK));

        await page.Locator("#logout").ClickAsync();

        await Expect(page.Locator("#view-login")).ToBeVisibleAsync();
        await Expect(Message(page)).ToHaveTextAsync("You have signed out.");
        Assert.That((await page.Context.CookiesAsync()).Where(c => c.Name == SessionDefaults.CookieName), Is.Empty, "cookie deleted");
        Assert.That(await StatusWithCookieAsync(cookie), Is.EqualTo(HttpStatusCode.Unauthorized), "session revoked server-side");

        await page.ReloadAsync();
        await Expect(page.Locator("#view-login")).ToBeVisibleAsync();
    }

    [Test]
    public async Task WrongPassword_IsAReadableMessage_NotJson()
    {
        var page = await OpenAsync();
        await SignInAsync(page, password: "not-the-password");

        await Expect(Message(page)).ToContainTextAsync("Sign-in failed.");
        await Expect(Message(page)).ToContainTextAsync("username or password is incorrect");
        await Expect(Message(page)).Not.ToContainTextAsync("{");
        await Expect(page.Locator("#view-login")).ToBeVisibleAsync();
    }

    private async Task<HttpStatusCode> StatusWithCookieAsync(string cookie)
    {
        using var client = Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/bff/user?slide=false");
        request.Headers.Add("Cookie", $"{SessionDefaults.CookieName}={cookie}");
        request.Headers.Add(SessionDefaults.CsrfHeader, "1");
        return (await client.SendAsync(request)).StatusCode;
    }

    private static async Task SaveScreenshotAsync(IPage page)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "web-dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, "The dashboard after sign-in");
        if (Environment.GetEnvironmentVariable(UpdateDocsVariable) != "1") return;
        var docs = Directory.CreateDirectory(Path.Combine(Common.RepoPaths.Root, "docs"));
        File.Copy(path, Path.Combine(docs.FullName, "web-dashboard.png"), overwrite: true);
    }
}
