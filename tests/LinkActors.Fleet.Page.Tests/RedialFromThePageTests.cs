using System.Net.Http.Json;
using System.Text.RegularExpressions;
using LinkActors.Fleet.Page;
using LinkActors.Fleet.Service;
using LinkActors.Fleet.Tests;
using LinkActors.Fleet.Wire;
using LinkActors.System.Tests;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LinkActors.Fleet.Page.Tests;

/// <summary>
/// End to end with real daemons: two `linkactors run` devices (PPP links over pty pairs to a `linkactors run`
/// server, endpoint mode) report over TLS (the test CA pinned) to a fleet node; the operator clicks "Redial" on
/// one device's page; that device's link really redials (its own log), the other's does not, and the page shows
/// the device's acknowledgement.
/// </summary>
public sealed class RedialFromThePageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private readonly string _dir = FleetTestKit.Scratch();
    private readonly List<IDisposable> _owned = [];
    private TestCertificates _tls = null!;
    private FleetNode _node = null!;
    private HttpClient _operator = null!;

    public async Task InitializeAsync()
    {
        _tls = new TestCertificates(_dir);
        _node = await FleetNode.StartAsync(Path.Combine(_dir, "fleet.db"), _tls);
        _operator = FleetTestKit.Operator(_node.Url, FleetNode.Trusting(_tls));
    }

    public async Task DisposeAsync()
    {
        // Every process this test started ends here (daemons first, then the socat pairs).
        for (int i = _owned.Count - 1; i >= 0; i--)
            _owned[i].Dispose();
        _operator.Dispose();
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private T Own<T>(T thing) where T : IDisposable
    {
        _owned.Add(thing);
        return thing;
    }

    private static string Link(string name, string device, string body) => $$"""
        linkactors.links.{{name}} {
          device = "{{device}}"
          local = true
          lock = false
          lcp.restart = 1s
          network.mode = endpoint
          persist = true
          holdoff = 1s
          {{body}}
        }
        """;

    private string DeviceConfig(string device, string token, string pty) => $$"""
        linkactors.management.enabled = false
        linkactors.fleet {
          url = "{{_node.Url}}"
          device-id = "{{device}}"
          token = "{{token}}"
          ca-file = "{{_tls.CaFile}}"
          coalesce = 0s
          min-interval = 0s
          settle = 0s
          budget = 10000000
        }
        {{Link("ppp0", pty, "ipcp { noipdefault = true }")}}
        """;

    [Fact]
    public async Task RedialClickedOnTheDevicePage_ReachesThatDeviceOnly_ItsLinkReallyRedials_AndThePageShowsTheAcknowledgement()
    {
        // The fleet knows both devices; each is to be watched closely (a report every 10 s), which its first report
        // picks up: so that the operator's redial reaches it within seconds rather than at the 6-hourly heartbeat.
        var devices = new[] { "pi-a", "pi-b" };
        var tokens = new Dictionary<string, string>();
        foreach (var device in devices)
        {
            tokens[device] = await FleetTestKit.RegisterAsync(_operator, device, "e2e");
            using var watch = await _operator.PostAsJsonAsync($"api/v1/devices/{device}/commands", new FleetApi.CommandRequest("watch-closely", null, 600, 10), FleetJson.Options);
            Assert.Equal(202, (int)watch.StatusCode);
        }

        // One server daemon with a link per device, and a daemon per device, each over its own pty pair.
        var ptyA = Own(new PtyPair());
        var ptyB = Own(new PtyPair());
        string serverConf = Path.Combine(_dir, "server.conf");
        await File.WriteAllTextAsync(serverConf, "linkactors.management.enabled = false\n"
            + Link("to-a", ptyA.B, """role = server, ipcp { local = "192.0.2.1", remote = "192.0.2.2" }""") + "\n"
            + Link("to-b", ptyB.B, """role = server, ipcp { local = "192.0.2.5", remote = "192.0.2.6" }"""));
        var server = Own(Daemon.Start("run", serverConf));
        var daemons = new Dictionary<string, Daemon>();
        foreach (var (device, pty) in new[] { ("pi-a", ptyA), ("pi-b", ptyB) })
        {
            string conf = Path.Combine(_dir, $"{device}.conf");
            await File.WriteAllTextAsync(conf, DeviceConfig(device, tokens[device], pty.A));
            daemons[device] = Own(Daemon.Start("run", conf));
        }
        try
        {
            await daemons["pi-a"].WaitForAsync(@"ppp0: IPCP up: local 192\.0\.2\.2", Within);
            await daemons["pi-b"].WaitForAsync(@"ppp0: IPCP up: local 192\.0\.2\.6", Within);
            foreach (var device in devices)
            {
                await FleetTestKit.PollAsync(() => _operator.GetFromJsonAsync<DeviceView>($"api/v1/devices/{device}", FleetJson.Operator),
                    v => v!.Summary.Phase == "Network" && !v.Summary.Down && v.Commands.All(c => c.Finished), Within, $"{device} reports its link up and has acknowledged watch-closely");
            }

            // The operator logs in (over TLS: the session cookie is Secure) and clicks "Redial" on pi-a's page.
            var (playwright, browser) = await Browser.LaunchAsync();
            using var _ = playwright;
            await using var __ = browser;
            await using var context = await browser.NewContextAsync(new() { IgnoreHTTPSErrors = true, ViewportSize = new() { Width = 1400, Height = 1000 } });
            var page = await Browser.LogInAsync(context, _node.Url);
            var cookie = Assert.Single(await context.CookiesAsync());
            Assert.True(cookie.Secure && cookie.HttpOnly && cookie.SameSite == SameSiteAttribute.Strict, $"{cookie.Name}: secure {cookie.Secure}, httponly {cookie.HttpOnly}, samesite {cookie.SameSite}");
            Assert.Equal(OperatorSession.CookieName, cookie.Name);
            await page.GetByRole(AriaRole.Link, new() { Name = "pi-a", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("#links tbody tr")).ToContainTextAsync("Network", new() { Timeout = 15_000 });
            int ipcpUpBefore = IpcpUps(daemons["pi-a"]);
            await page.GetByRole(AriaRole.Button, new() { Name = "Redial" }).ClickAsync();

            // The page follows the command until the device acknowledges it.
            var status = page.Locator("#command-status");
            await Assertions.Expect(status).ToContainTextAsync("redial", new() { Timeout = 10_000 });
            await Assertions.Expect(status).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 45_000 });
            await Assertions.Expect(status).ToContainTextAsync("acknowledged by the device");
            await Assertions.Expect(status).ToContainTextAsync("redial sent to ppp0");
            await Assertions.Expect(page.Locator("#commands tbody tr").First).ToContainTextAsync("done");

            // The link really redialed: the daemon ran the command, hung up and came back up.
            var a = daemons["pi-a"];
            await a.WaitForAsync(@"fleet: running redial \(every link\) from the fleet service", Within);
            await FleetTestKit.PollAsync(() => Task.FromResult(IpcpUps(a)), n => n > ipcpUpBefore, Within, "pi-a's link comes up again after the redial");
            string after = a.Output[a.Output.IndexOf("fleet: running redial", StringComparison.Ordinal)..];
            Assert.Matches(@"Redial requested", after);
            Assert.Matches(@"sent \[LCP TermReq|phase Dead|phase Terminate", after);
            Assert.Matches(@"ppp0: IPCP up: local 192\.0\.2\.2", after);
            // ...and the fleet saw it: the outcome and the link's own events on the device's timeline.
            var view = await FleetTestKit.PollAsync(() => _operator.GetFromJsonAsync<DeviceView>("api/v1/devices/pi-a", FleetJson.Operator),
                v => v!.Events.Any(e => e.Kind == "failure" && e.Text.Contains("Redial requested", StringComparison.Ordinal)), Within, "pi-a's redial is on its timeline");
            Assert.Contains(view!.Commands, c => c.Verb == "redial" && c.State == "done");
            await Assertions.Expect(page.Locator("#timeline li").Filter(new() { HasText = "Redial requested" }).First).ToBeVisibleAsync(new() { Timeout = 20_000 });
            string shot = Path.Combine(Browser.Artifacts, "device-page-redial.png");
            await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
            output.WriteLine($"screenshot: {shot}");

            // "Run doctor": the device's own doctor examines the link and its full explanation shows on the page.
            await page.GetByRole(AriaRole.Button, new() { Name = "Run doctor" }).ClickAsync();
            await Assertions.Expect(status).ToContainTextAsync("doctor", new() { Timeout = 10_000 });
            await Assertions.Expect(status).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 45_000 });
            var explanation = page.Locator("#doctor-explanation li");
            await Assertions.Expect(explanation.First).ToContainTextAsync("ppp0: ", new() { Timeout = 15_000 });
            Assert.True(await explanation.CountAsync() >= 1);
            output.WriteLine("doctor's explanation on the page: " + string.Join(" / ", await explanation.AllInnerTextsAsync()));

            // "Watch closely" with the form's own period and interval: the device acknowledges and says so in its next reports.
            await page.GetByLabel("for minutes").FillAsync("20");
            await page.GetByLabel("report every (seconds)").FillAsync("10");
            await page.GetByRole(AriaRole.Button, new() { Name = "Watch closely", Exact = true }).ClickAsync();
            await Assertions.Expect(status).ToContainTextAsync("watch-closely", new() { Timeout = 10_000 });
            await Assertions.Expect(status).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 45_000 });
            await Assertions.Expect(status).ToContainTextAsync("reporting every 10 s until");
            var watch = (await _operator.GetFromJsonAsync<DeviceView>("api/v1/devices/pi-a", FleetJson.Operator))!.Commands
                .Where(c => c.Verb == "watch-closely").MaxBy(c => c.QueuedAt)!;
            Assert.Equal((1200, 10), (watch.Seconds, watch.Interval));

            // The other device got nothing: no redial in its log, still its first connection, no redial command.
            var b = daemons["pi-b"];
            Assert.DoesNotContain("Redial requested", b.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("fleet: running redial", b.Output, StringComparison.Ordinal);
            Assert.Equal(1, IpcpUps(b));
            var viewB = await _operator.GetFromJsonAsync<DeviceView>("api/v1/devices/pi-b", FleetJson.Operator);
            Assert.DoesNotContain(viewB!.Commands, c => c.Verb == "redial");
        }
        catch
        {
            output.WriteLine("--- server\n" + server.Output);
            foreach (var (device, daemon) in daemons)
                output.WriteLine($"--- {device}\n{daemon.Output}");
            throw;
        }
    }

    private static int IpcpUps(Daemon daemon) => Regex.Count(daemon.Output, @"ppp0: IPCP up: local");
}
