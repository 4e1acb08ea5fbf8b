using LinkActors.Fleet.Tests;
using LinkActors.Fleet.Wire;
using Microsoft.Playwright;

namespace LinkActors.Fleet.Page.Tests;

/// <summary>One fleet node in this process (plain HTTP on loopback), its 50 simulated devices, and a headless Chromium.</summary>
public sealed class PageFixture : IAsyncLifetime
{
    private readonly string _dir = FleetTestKit.Scratch();
    private FleetNode _node = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public SimulatedFleet Fleet { get; private set; } = null!;

    public HttpClient Operator { get; private set; } = null!;

    public Uri Url => _node.Url;

    /// <summary>The device whose history (several reports) the device page test looks at.</summary>
    public const string Storied = "sim-003";

    public async Task InitializeAsync()
    {
        // A loaded 2-core machine: waits for what the page shows are generous; the 5-second test sets its own.
        Assertions.SetDefaultExpectTimeout(15_000);
        // The links-up series takes a point every second here, so that the chart has points to draw.
        _node = await FleetNode.StartAsync(Path.Combine(_dir, "fleet.db"), null, "linkactors.fleet-service.page.history-interval = 1s");
        Operator = FleetTestKit.Operator(_node.Url);
        Fleet = new SimulatedFleet(_node.Url);
        await Fleet.SeedAsync(Operator);
        // A device with a story: traffic growing, the signal moving, a failure and a redial on the way.
        var start = DateTimeOffset.UtcNow;
        for (int n = 1; n <= 6; n++)
        {
            var facts = SimulatedFleet.Facts(3, tx: 1000 + n * 4000, rx: 900 + n * 3000) with { Dbm = -70 - n * 3 };
            var events = n switch
            {
                3 => new[] { new DeviceEvent(start.AddSeconds(n), "ppp0", "failure", "ppp0 ended: lcp-timeout (no answer to 10 LCP configure requests)") },
                4 => [new DeviceEvent(start.AddSeconds(n), "ppp0", "ladder", "redial after 1 x lcp-timeout"), new DeviceEvent(start.AddSeconds(n), "ppp0", "dial", "phase Dial")],
                5 => [new DeviceEvent(start.AddSeconds(n), "ppp0", "phase", "phase Network: local 10.64.0.3, remote 10.64.0.1")],
                _ => null,
            };
            await Fleet.ReportAsync(Storied, [facts], events);
        }
        (_playwright, Browser) = await Page.Tests.Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        Operator.Dispose();
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

[CollectionDefinition("page")]
public sealed class PageCollection : ICollectionFixture<PageFixture>;
