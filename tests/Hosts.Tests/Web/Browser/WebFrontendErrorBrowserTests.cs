using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bff.Hosts.Tests.Web.Browser;

/// <summary>Gateway errors shown as sentences. 401 and 502 come from the real gateway (a session ended, the demo
/// backends stopped); 429 and 504 are the gateway's problem+json answers replayed in the browser.</summary>
internal sealed class WebFrontendErrorBrowserTests : BrowserTests
{
    [Test]
    public async Task TooManyRequests_SaysWhenToTryAgain()
    {
        var page = await SignedInAsync(await OpenAsync());
        await ReplayOnDashboardAsync(page, 429, """{"type":"https://iana.org/assignments/http-problem-types#quota-exceeded","title":"Too Many Requests","status":429,"detail":"API calls quota exceeded! Maximum admitted 5 per 1m.","violated-policies":["default"]}""",
            retryAfter: "30");

        await page.Locator("#refresh-dashboard").ClickAsync();

        await Expect(Message(page)).ToHaveTextAsync("Too many requests (429). Try again in 30 seconds.");
    }

    [Test]
    public async Task GatewayTimeout_IsExplained()
    {
        var page = await SignedInAsync(await OpenAsync());
        await ReplayOnDashboardAsync(page, 504, """{"type":"https://tools.ietf.org/html/rfc9110#section-15.6.5","title":"Gateway Timeout","status":504,"detail":"The downstream service did not answer in time."}""");

        await page.Locator("#refresh-dashboard").ClickAsync();

        await Expect(Message(page)).ToContainTextAsync("A backend service did not answer in time (504 Gateway Timeout).");
        await Expect(Message(page)).Not.ToContainTextAsync("{");
    }

    /// <summary>The page's next dashboard call gets this problem+json answer.</summary>
    private static Task ReplayOnDashboardAsync(IPage page, int status, string problem, string? retryAfter = null) =>
        page.RouteAsync("**/api/dashboard", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = status,
            ContentType = "application/problem+json",
            Headers = retryAfter is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Retry-After"] = retryAfter },
            Body = problem,
        }));

    [Test]
    public async Task ExpiredSession_GoesBackToSignIn()
    {
        var page = await SignedInAsync(await OpenAsync());
        // The session ends behind the page's back (as an idle timeout would).
        await page.Context.ClearCookiesAsync();

        await page.Locator("#refresh-dashboard").ClickAsync();

        await Expect(page.Locator("#view-login")).ToBeVisibleAsync();
        await Expect(Message(page)).ToContainTextAsync("Your session has ended");
    }
}

/// <summary>The demo backends stop under a signed-in page: the gateway's 502 becomes a sentence (own fixture: the
/// backends stay down).</summary>
internal sealed class WebFrontendBackendDownBrowserTests : BrowserTests
{
    [Test]
    public async Task BackendDown_IsA502Message_NotJson()
    {
        var page = await SignedInAsync(await OpenAsync());

        await Gateway.StopBackendsAsync();
        await page.Locator("#refresh-dashboard").ClickAsync();

        await Expect(Message(page)).ToContainTextAsync("A backend service is unavailable (502 Bad Gateway).");
        await Expect(Message(page)).ToContainTextAsync("Aggregate parts failed: web-me.");
        await Expect(Message(page)).Not.ToContainTextAsync("{");
        await Expect(page.Locator("#view-dashboard")).ToBeVisibleAsync();
    }
}
