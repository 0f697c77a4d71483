using Bff.Shared.Oidc;
using Bff.Shared.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bff.Hosts.Tests.Web.Browser;

/// <summary>
/// #20 in headless Chromium: Bff.Web configured for the demo identity provider (samples/IdentityProvider, on
/// <c>localhost</c>; the gateway on 127.0.0.1 over HTTPS). The frontend offers "Sign in with the identity provider";
/// the user signs in on the provider's page and lands on the dashboard, whose data comes through the demo backends;
/// the browser then holds only the session cookie for the gateway, and no token is in localStorage, sessionStorage,
/// document.cookie or any answer the page received; signing out goes through the provider's end-session endpoint.
/// </summary>
internal sealed class OidcSignInBrowserTests
{
    private HeadlessChromium _chromium = null!;
    private TestIdentityProvider _idp = null!;
    private WebGateway _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _chromium = await HeadlessChromium.LaunchAsync();
        _idp = new TestIdentityProvider("localhost");
        _gateway = await WebGateway.StartAsync(_idp.GatewaySettings());
        await _idp.StartAsync(TimeSpan.FromMinutes(5), _gateway.BaseAddress);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_idp is not null) await _idp.DisposeAsync();
        if (_chromium is not null) await _chromium.DisposeAsync();
    }

    /// <summary>An answer's body; a page the browser already navigated away from (the landing page's meta refresh)
    /// keeps none in Chromium, so it counts as its document's URL only.</summary>
    private static async Task<string> BodyAsync(IResponse response)
    {
        try
        {
            return await response.TextAsync();
        }
        catch (PlaywrightException) when (response.Request.ResourceType == "document")
        {
            return response.Url;
        }
    }

    [Test]
    public async Task SignInAtTheProvider_LandsOnTheDashboard_AndTheBrowserHoldsNoToken()
    {
        var context = await _chromium.NewContextAsync(_gateway.BaseAddress);
        try
        {
            var page = await context.NewPageAsync();
            var bodies = new List<Task<string>>();
            page.Response += (_, response) =>
            {
                if (response.Status == 200 && new Uri(response.Url).Port == _gateway.BaseAddress.Port) bodies.Add(BodyAsync(response));
            };
            await page.GotoAsync("/");
            await Expect(page.Locator("#login-form")).ToBeHiddenAsync();
            await page.Locator("#login-oidc-link").ClickAsync();

            await Expect(page.Locator("#username")).ToBeVisibleAsync();
            Assert.That(new Uri(page.Url).Port, Is.EqualTo(_idp.Port), "the provider's own sign-in page");
            await page.Locator("#username").FillAsync("ada");
            await page.Locator("#password").FillAsync(TestIdentityProvider.Password);
            await page.Locator("#sign-in").ClickAsync();

            await Expect(page.Locator("#profile-name")).ToHaveTextAsync("Ada Lovelace");
            await Expect(page.Locator("#orders tbody tr")).ToHaveCountAsync(2);
            Assert.That(new Uri(page.Url).Port, Is.EqualTo(_gateway.BaseAddress.Port));

            var cookies = await context.CookiesAsync([_gateway.BaseAddress.AbsoluteUri]);
            Assert.That(cookies.Where(c => c.Domain == _gateway.BaseAddress.Host).Select(c => c.Name), Is.EqualTo(new[] { SessionDefaults.CookieName }));
            var session = await _gateway.Services.GetRequiredService<ISessionStore>().GetAsync(SessionKeys.KeyOf(cookies.Single(c => c.Name == SessionDefaults.CookieName).Value), CancellationToken.None);
            var tokens = _gateway.Services.GetRequiredService<SessionTokenProtector>().Unprotect(session?.Tokens)!;
            Assert.That(tokens, Is.Not.Null);

            var seen = await page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie");
            var answers = await Task.WhenAll(bodies);
            foreach (var token in new[] { tokens.AccessToken, tokens.RefreshToken!, tokens.IdToken! })
            {
                Assert.That(seen, Does.Not.Contain(token));
                Assert.That(answers, Has.None.Contains(token));
            }
            Assert.That(seen, Does.Not.Contain("eyJ"), "no JWT at all in the page's storage");

            await page.Locator("#logout").ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).Port == _gateway.BaseAddress.Port && new Uri(url).AbsolutePath == "/");
            await Expect(page.Locator("#login-oidc-link")).ToBeVisibleAsync();
            Assert.That(await _gateway.Services.GetRequiredService<ISessionStore>().GetAsync(session!.Key, CancellationToken.None), Is.Null);
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
