using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using LinkActors.Fleet.Service;
using LinkActors.Fleet.Tests;
using LinkActors.Fleet.Wire;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LinkActors.Fleet.Page.Tests;

/// <summary>The fleet page in a real headless Chromium against a real fleet node with 50 devices reporting through the device API.</summary>
[Collection("page")]
public sealed partial class FleetPageTests(PageFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private IBrowserContext _context = null!;

    public async Task InitializeAsync() => _context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1500, Height = 1000 } });

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static readonly string[] StateWords = ["up", "degraded", "down", "not seen"];

    private async Task ScreenshotAsync(IPage page, string name)
    {
        string path = Path.Combine(Browser.Artifacts, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    private static async Task<string[]> ShownIdsAsync(IPage page) =>
        (await page.Locator("#devices tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)"));

    [Fact]
    public async Task FleetPage_ListsTheFiftyDevices_AndFilteringDownShowsExactlyTheDownOnes()
    {
        var page = await Browser.LogInAsync(_context, fixture.Url);
        await Assertions.Expect(page.Locator("#devices tbody tr")).ToHaveCountAsync(SimulatedFleet.Count);
        var all = await ShownIdsAsync(page);
        Assert.Equal(Enumerable.Range(1, SimulatedFleet.Count).Select(SimulatedFleet.Name).Order(), all.Order());
        await Assertions.Expect(page.Locator("#shown")).ToHaveTextAsync("50 of 50 devices shown");
        // Counts at the top agree with the seeded states (nothing is "not seen": every device reported just now).
        int down = Enumerable.Range(1, SimulatedFleet.Count).Count(SimulatedFleet.SeededDown);
        await Assertions.Expect(page.Locator("#count-down")).ToHaveTextAsync(down.ToString());
        await Assertions.Expect(page.Locator("#count-unseen")).ToHaveTextAsync("0");
        int degraded = Enumerable.Range(1, SimulatedFleet.Count).Count(i => SimulatedFleet.SeededDeadPath(i) || SimulatedFleet.SeededWeak(i));
        await Assertions.Expect(page.Locator("#count-degraded")).ToHaveTextAsync(degraded.ToString());
        await Assertions.Expect(page.Locator("#count-up")).ToHaveTextAsync((SimulatedFleet.Count - down - degraded).ToString());
        // The links-up series has points (the service samples it; here every second) and is drawn.
        await Assertions.Expect(page.Locator("#history-chart polyline.up")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await ScreenshotAsync(page, "fleet-page.png");

        // "Down": exactly the devices the operator API lists as down, each row saying so in words.
        var expected = (await fixture.Operator.GetFromJsonAsync<FleetApi.DeviceList>("api/v1/devices?down=true", FleetJson.Operator))!.Devices.Select(d => d.Id).ToList();
        Assert.Superset(Enumerable.Range(1, SimulatedFleet.Count).Where(SimulatedFleet.SeededDown).Select(SimulatedFleet.Name).ToHashSet(), expected.ToHashSet());
        await page.GetByLabel("Down", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(page.Locator("#devices tbody tr")).ToHaveCountAsync(expected.Count);
        Assert.Equal(expected.Order(), (await ShownIdsAsync(page)).Order());
        foreach (var row in await page.Locator("#devices tbody tr").AllAsync())
            await Assertions.Expect(row.Locator("td").Nth(1)).ToContainTextAsync("down");
        await ScreenshotAsync(page, "fleet-page-down.png");

        // The other filters: dead data path, weak signal, text search, not seen for N hours.
        await page.GetByLabel("Down", new() { Exact = true }).UncheckAsync();
        await page.GetByLabel("Dead data path").CheckAsync();
        Assert.Equal(Enumerable.Range(1, SimulatedFleet.Count).Where(SimulatedFleet.SeededDeadPath).Select(SimulatedFleet.Name).Order(), (await ShownIdsAsync(page)).Order());
        await page.GetByLabel("Dead data path").UncheckAsync();
        await page.GetByLabel("Weak signal").CheckAsync();
        Assert.Equal(Enumerable.Range(1, SimulatedFleet.Count).Where(SimulatedFleet.SeededWeak).Select(SimulatedFleet.Name).Order(), (await ShownIdsAsync(page)).Order());
        await page.GetByLabel("Weak signal").UncheckAsync();
        await page.GetByLabel("Search names and tags").FillAsync("sim-04");
        await Assertions.Expect(page.Locator("#devices tbody tr")).ToHaveCountAsync(10);
        await page.GetByLabel("Search names and tags").FillAsync("");
        await page.GetByLabel("Not seen for at least").FillAsync("1");
        await Assertions.Expect(page.Locator("#devices tbody tr")).ToHaveCountAsync(0);
        await page.GetByLabel("Not seen for at least").FillAsync("");
        await Assertions.Expect(page.Locator("#devices tbody tr")).ToHaveCountAsync(SimulatedFleet.Count);

        // Sorting: by signal, strongest last when ascending; twice reverses.
        await page.GetByRole(AriaRole.Button, new() { Name = "Signal" }).ClickAsync();
        await Assertions.Expect(page.Locator("th[data-key=dbm]")).ToHaveAttributeAsync("aria-sort", "ascending");
        var ascending = await ShownIdsAsync(page);
        Assert.Contains(ascending[0], Enumerable.Range(1, SimulatedFleet.Count).Where(SimulatedFleet.SeededWeak).Select(SimulatedFleet.Name));
        await page.GetByRole(AriaRole.Button, new() { Name = "Signal" }).ClickAsync();
        await Assertions.Expect(page.Locator("th[data-key=dbm]")).ToHaveAttributeAsync("aria-sort", "descending");
        Assert.Contains((await ShownIdsAsync(page))[^1], Enumerable.Range(1, SimulatedFleet.Count).Where(SimulatedFleet.SeededWeak).Select(SimulatedFleet.Name));
    }

    [Fact]
    public async Task DevicePage_ShowsItsTimeline_Facts_Charts_AndTheDoctor()
    {
        var page = await Browser.LogInAsync(_context, fixture.Url);
        await page.GetByRole(AriaRole.Link, new() { Name = PageFixture.Storied, Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/device/{PageFixture.Storied}");
        await Assertions.Expect(page.Locator("#device-name")).ToHaveTextAsync(PageFixture.Storied);
        var timeline = page.Locator("#timeline li");
        await Assertions.Expect(timeline.Filter(new() { HasText = "lcp-timeout (no answer to 10 LCP configure requests)" })).ToHaveCountAsync(1);
        await Assertions.Expect(timeline.Filter(new() { HasText = "redial after 1 x lcp-timeout" })).ToHaveCountAsync(1);
        await Assertions.Expect(timeline.Filter(new() { HasText = "phase Network: local 10.64.0.3" })).ToHaveCountAsync(1);
        await Assertions.Expect(timeline.Filter(new() { HasText = "device registered with the fleet" })).ToHaveCountAsync(1);
        // Newest first: the Network phase is above the failure.
        var texts = await timeline.AllInnerTextsAsync();
        Assert.True(texts.ToList().FindIndex(t => t.Contains("phase Network: local", StringComparison.Ordinal)) < texts.ToList().FindIndex(t => t.Contains("lcp-timeout (no", StringComparison.Ordinal)));
        // Facts, the doctor's words, and the charts over the seven reports.
        await Assertions.Expect(page.Locator("#links tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#links tbody tr")).ToContainTextAsync("10.64.0.3 → 10.64.0.1");
        await Assertions.Expect(page.Locator("#links tbody tr")).ToContainTextAsync("-88 dBm");
        await Assertions.Expect(page.Locator("#doctor")).ToContainTextAsync("the link is healthy");
        await Assertions.Expect(page.Locator("#traffic-chart polyline.tx")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#signal-chart polyline.dbm")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#signal-chart title")).ToContainTextAsync("signal -88 dBm");
        await ScreenshotAsync(page, "device-page.png");
    }

    [Fact]
    public async Task FleetPage_ShowsAFailureWithinFiveSeconds_WithoutReload()
    {
        const int I = 2;
        string id = SimulatedFleet.Name(I);
        var page = await Browser.LogInAsync(_context, fixture.Url);
        var row = page.Locator($"#devices tbody tr[data-id='{id}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "up");
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live");
        await page.EvaluateAsync("() => { window.__notReloaded = true; }");
        try
        {
            var clock = Stopwatch.StartNew();
            await fixture.Fleet.ReportAsync(id, [new LinkFacts("ppp0", "Holdoff", false, Dbm: -80, Failure: new FailureFacts("dead-data-path", "nothing came back for 90 s"),
                Doctor: "the data path beyond the modem is dead", Severity: "Problem", DeadPath: true)],
                [new DeviceEvent(DateTimeOffset.UtcNow, "ppp0", "failure", "ppp0 ended: dead-data-path")]);
            await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "down", new() { Timeout = 5000 });
            await Assertions.Expect(row).ToContainTextAsync("dead-data-path: nothing came back for 90 s", new() { Timeout = 5000 });
            clock.Stop();
            output.WriteLine($"the failure showed on the page {clock.ElapsedMilliseconds} ms after the device reported it");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{clock.ElapsedMilliseconds} ms");
            Assert.True(await page.EvaluateAsync<bool>("() => window.__notReloaded === true"), "the page was reloaded");
            await Assertions.Expect(row.Locator("td").Nth(1)).ToContainTextAsync("down");
        }
        finally
        {
            // Back to its seeded state, for the other tests of this collection.
            await fixture.Fleet.ReportAsync(id, [SimulatedFleet.Facts(I)]);
        }
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "up");
    }

    [Fact]
    public async Task Accessibility_EveryControlIsLabelled_TheTableIsATable_AndColourIsNeverTheOnlySignal()
    {
        var page = await Browser.LogInAsync(_context, fixture.Url);
        await Assertions.Expect(page.Locator("#devices tbody tr")).ToHaveCountAsync(SimulatedFleet.Count);
        await AssertEveryControlLabelledAsync(page);

        // A real table: caption, column headers with scope, one header cell per row, sort state for assistive technology.
        Assert.Equal("TABLE", await page.Locator("#devices").EvaluateAsync<string>("t => t.tagName"));
        await Assertions.Expect(page.Locator("#devices caption")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#devices thead th[scope=col]")).ToHaveCountAsync(9);
        await Assertions.Expect(page.Locator("#devices tbody tr > th[scope=row]")).ToHaveCountAsync(SimulatedFleet.Count);
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Devices" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Last failure" })).ToHaveCountAsync(1);

        // Colour is never the only signal: every row's state is written in words (with an icon), and the words
        // agree with the state the colour stands for; the signal bars come with their dBm and a word.
        var rows = await page.Locator("#devices tbody tr").EvaluateAllAsync<RowState[]>(
            "rows => rows.map(r => ({ state: r.dataset.state, text: r.cells[2].innerText, icon: r.cells[2].querySelector('.icon')?.textContent ?? '', signal: r.cells[4].innerText }))");
        Assert.Equal(SimulatedFleet.Count, rows.Length);
        var seen = new HashSet<string>();
        foreach (var row in rows)
        {
            string word = row.State == "unseen" ? "not seen" : row.State;
            Assert.StartsWith($"{row.Icon} {word}", row.Text.Trim(), StringComparison.Ordinal);
            Assert.Matches(DbmWords(), row.Signal);
            seen.Add(row.State);
        }
        Assert.Superset(new HashSet<string> { "up", "degraded", "down" }, seen);
        // Icons differ by state, so even without colour (or without the word) states are told apart.
        Assert.Equal(rows.Select(r => r.State).Distinct().Count(), rows.Select(r => r.Icon).Distinct().Count());
        foreach (var word in StateWords)
            await Assertions.Expect(page.Locator("#counts")).ToContainTextAsync(word);

        // The device page too.
        await page.GotoAsync(new Uri(fixture.Url, $"device/{PageFixture.Storied}").ToString());
        await Assertions.Expect(page.Locator("#links tbody tr")).ToHaveCountAsync(1);
        await AssertEveryControlLabelledAsync(page);
        await Assertions.Expect(page.Locator("#device-state")).ToContainTextAsync("up");
    }

    private static async Task AssertEveryControlLabelledAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, select, textarea, button, a[href], [tabindex]')]
              .filter(e => {
                const name = (e.getAttribute('aria-label') || '').trim()
                  || (e.getAttribute('aria-labelledby') || '').split(' ').map(id => document.getElementById(id)?.textContent ?? '').join('').trim()
                  || [...(e.labels ?? [])].map(l => l.textContent).join('').trim()
                  || (['BUTTON', 'A'].includes(e.tagName) ? e.textContent.trim() : '')
                  || (e.tagName === 'SELECT' ? '' : '');
                return !name;
              })
              .map(e => e.outerHTML.slice(0, 120))
            """);
        Assert.True(unlabelled.Length == 0, "controls without a label: " + string.Join(" | ", unlabelled));
        int controls = await page.Locator("input, select, button").CountAsync();
        Assert.True(controls >= 5, $"only {controls} controls found");
    }

    [Fact]
    public async Task AWrongOrMissingToken_SeesTheLoginPageOnly()
    {
        var page = await _context.NewPageAsync();
        foreach (var path in new[] { "", $"device/{PageFixture.Storied}", "login" })
        {
            var response = await page.GotoAsync(new Uri(fixture.Url, path).ToString());
            await Assertions.Expect(page.GetByLabel("Operator token")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#devices, #timeline, script")).ToHaveCountAsync(0);
            Assert.DoesNotContain("sim-0", await page.ContentAsync(), StringComparison.Ordinal);
            Assert.Equal("no-store", response!.Headers["cache-control"]);
        }
        // The page's scripts and the API answer 401 without a session; the login page's stylesheet is public.
        Assert.Equal(401, (await page.APIRequest.GetAsync(new Uri(fixture.Url, "assets/fleet.js").ToString())).Status);
        Assert.Equal(401, (await page.APIRequest.GetAsync(new Uri(fixture.Url, "api/v1/devices").ToString())).Status);
        Assert.Equal(401, (await page.APIRequest.GetAsync(new Uri(fixture.Url, "api/v1/feed").ToString())).Status);
        Assert.Equal(200, (await page.APIRequest.GetAsync(new Uri(fixture.Url, "assets/style.css").ToString())).Status);

        // A wrong token: the login page again, with the reason, and no cookie.
        await page.GetByLabel("Operator token").FillAsync("not-the-operator-token-at-all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not the operator token");
        await Assertions.Expect(page.GetByLabel("Operator token")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#devices")).ToHaveCountAsync(0);
        Assert.Empty(await _context.CookiesAsync());
        await page.GotoAsync(fixture.Url.ToString());
        await Assertions.Expect(page.Locator("#devices")).ToHaveCountAsync(0);

        // The right token: a session cookie the page's scripts cannot read, sent to this site only.
        var loggedIn = await Browser.LogInAsync(_context, fixture.Url);
        var cookie = Assert.Single(await _context.CookiesAsync());
        Assert.Equal(OperatorSession.CookieName, cookie.Name);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.False(cookie.Secure); // plain HTTP on loopback here; the TLS node's cookie is Secure (RedialFromThePageTests)
        Assert.Equal("", await loggedIn.EvaluateAsync<string>("() => document.cookie"));
        // Nothing secret in the page's source: not the operator token, not the session, not the CSRF token.
        var csrf = (await (await loggedIn.APIRequest.GetAsync(new Uri(fixture.Url, "api/v1/session").ToString())).JsonAsync())!.Value.GetProperty("csrf").GetString()!;
        foreach (var path in new[] { "", "assets/fleet.js", "assets/common.js", "assets/device.js", $"device/{PageFixture.Storied}" })
        {
            string source = await (await loggedIn.APIRequest.GetAsync(new Uri(fixture.Url, path).ToString())).TextAsync();
            Assert.DoesNotContain(FleetTestKit.OperatorToken, source, StringComparison.Ordinal);
            Assert.DoesNotContain(cookie.Value, source, StringComparison.Ordinal);
            Assert.DoesNotContain(csrf, source, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(csrf, await loggedIn.ContentAsync(), StringComparison.Ordinal);

        // Logging out ends the session: the login page again.
        await loggedIn.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Assertions.Expect(loggedIn.GetByLabel("Operator token")).ToBeVisibleAsync();
        Assert.Empty(await _context.CookiesAsync());
    }

    [Fact]
    public async Task ACommandWithoutTheCsrfToken_IsRefused_AndQueuesNothing()
    {
        var page = await Browser.LogInAsync(_context, fixture.Url);
        string id = SimulatedFleet.Name(11);
        async Task<int> CommandsAsync() => (await fixture.Operator.GetFromJsonAsync<DeviceView>($"api/v1/devices/{id}", FleetJson.Operator))!.Commands.Count;
        int before = await CommandsAsync();
        // From the logged-in page (the session cookie goes along): without the header, with a wrong one, then right.
        Task<int> StatusAsync(string headers) => page.EvaluateAsync<int>($$"""
            async () => (await fetch('/api/v1/devices/{{id}}/commands', { method: 'POST', headers: {{headers}}, body: JSON.stringify({ verb: 'redial' }) })).status
            """);
        Assert.Equal(403, await StatusAsync("{ 'Content-Type': 'application/json' }"));
        Assert.Equal(403, await StatusAsync("{ 'Content-Type': 'application/json', 'X-CSRF-Token': 'forged' }"));
        Assert.Equal(before, await CommandsAsync());
        // Logging out without it is refused too.
        Assert.Equal(403, await page.EvaluateAsync<int>("async () => (await fetch('/logout', { method: 'POST' })).status"));
        // The same request with the session's CSRF token is queued (so the refusals above were the token's doing).
        Assert.Equal(202, await page.EvaluateAsync<int>($$"""
            async () => {
              const csrf = (await (await fetch('/api/v1/session')).json()).csrf;
              return (await fetch('/api/v1/devices/{{id}}/commands', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify({ verb: 'redial' }) })).status;
            }
            """));
        Assert.Equal(before + 1, await CommandsAsync());

        // A cross-site form cannot send the header; and a plain HTTP client with the cookie but no token is refused the same way.
        var cookie = Assert.Single(await _context.CookiesAsync());
        using var http = new HttpClient { BaseAddress = fixture.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/devices/{id}/commands") { Content = JsonContent.Create(new { verb = "down" }) };
        request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        using var refused = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("CSRF token is missing or wrong", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before + 1, await CommandsAsync());
    }

    /// <summary>One row as the browser shows it (Playwright fills it by its property names).</summary>
    public sealed class RowState
    {
        public string State { get; set; } = "";
        public string Text { get; set; } = "";
        public string Icon { get; set; } = "";
        public string Signal { get; set; } = "";
    }

    [GeneratedRegex(@"(-\d+ dBm|—) \((none|weak|fair|good|excellent|unknown)\)")]
    private static partial Regex DbmWords();
}
