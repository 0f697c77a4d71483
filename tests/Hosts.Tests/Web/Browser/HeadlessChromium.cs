using Microsoft.Playwright;

namespace Bff.Hosts.Tests.Web.Browser;

/// <summary>
/// Debian's Chromium (<c>apt-get install chromium</c>; <c>.ci/run</c> installs it) driven by Playwright's bundled driver:
/// never a downloaded browser. Missing Chromium fails the tests; it does not skip them.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>How long any single wait (navigation, locator, assertion) may take.</summary>
    public const float WaitMs = 15_000;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            Assert.Fail($"{ExecutablePath} is missing: apt-get install -y chromium (.ci/run installs it)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
            Timeout = 60_000,
        });
        Assertions.SetDefaultExpectTimeout(WaitMs);
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>A fresh browser profile (its own cookies): one "device".</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseAddress)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            IgnoreHTTPSErrors = true,
            Locale = "en-GB",
            TimezoneId = "UTC",
            ViewportSize = new ViewportSize { Width = 1200, Height = 860 },
        });
        context.SetDefaultTimeout(WaitMs);
        context.SetDefaultNavigationTimeout(WaitMs);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
