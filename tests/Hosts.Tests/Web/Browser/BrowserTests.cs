using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bff.Hosts.Tests.Web.Browser;

/// <summary>A web stack and a headless Chromium per fixture; each test opens its own browser contexts ("devices").</summary>
internal abstract class BrowserTests
{
    private readonly List<IBrowserContext> _contexts = [];
    private HeadlessChromium _chromium = null!;

    protected WebGateway Gateway { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _chromium = await HeadlessChromium.LaunchAsync();
        Gateway = await WebGateway.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Gateway is not null) await Gateway.DisposeAsync();
        if (_chromium is not null) await _chromium.DisposeAsync();
    }

    [TearDown]
    public async Task CloseContextsAsync()
    {
        foreach (var context in _contexts) await context.CloseAsync();
        _contexts.Clear();
    }

    /// <summary>A new browser profile with a page open on the frontend.</summary>
    protected async Task<IPage> OpenAsync()
    {
        var context = await _chromium.NewContextAsync(Gateway.BaseAddress);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        return page;
    }

    /// <summary>Signs in through the login form and waits for the dashboard.</summary>
    protected static async Task SignInAsync(IPage page, string username = WebGateway.Username, string password = WebGateway.Password)
    {
        await Expect(page.Locator("#view-login")).ToBeVisibleAsync();
        await page.Locator("#username").FillAsync(username);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#login-submit").ClickAsync();
    }

    protected static async Task<IPage> SignedInAsync(IPage page)
    {
        await SignInAsync(page);
        await Expect(page.Locator("#profile-name")).ToHaveTextAsync("Ada Lovelace");
        return page;
    }

    protected static ILocator Message(IPage page) => page.Locator("#message");
}
