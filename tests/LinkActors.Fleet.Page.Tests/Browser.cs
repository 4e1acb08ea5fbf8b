using LinkActors.Fleet.Tests;
using Microsoft.Playwright;

namespace LinkActors.Fleet.Page.Tests;

/// <summary>Debian's Chromium (/usr/bin/chromium), headless, driven by Playwright; no browser is ever downloaded.</summary>
public static class Browser
{
    public const string Chromium = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: apt-get install chromium (test.sh installs it)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
        return (playwright, browser);
    }

    /// <summary>Where the screenshots go: a folder under the test output, printed in the test log.</summary>
    public static string Artifacts
    {
        get
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "fleet-page-artifacts");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>Logs in through the login form, as an operator does, and waits for the fleet page.</summary>
    public static async Task<IPage> LogInAsync(IBrowserContext context, Uri service, string token = FleetTestKit.OperatorToken)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(service.ToString());
        await page.GetByLabel("Operator token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.Locator("#devices").WaitForAsync();
        return page;
    }
}
