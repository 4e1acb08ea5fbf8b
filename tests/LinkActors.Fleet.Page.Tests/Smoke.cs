using Microsoft.Playwright;
namespace LinkActors.Fleet.Page.Tests;
public class Smoke
{
    [Fact]
    public async Task Launch()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await pw.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true });
        var page = await browser.NewPageAsync();
        await page.SetContentAsync("<button>hi</button>");
        Assert.Equal("hi", await page.InnerTextAsync("button"));
    }
}
