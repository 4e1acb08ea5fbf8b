using LinkActors.Host.Doctor;
using LinkActors.Host.Tests.Support;

namespace LinkActors.Host.Tests;

/// <summary>The doctor against a daemon whose modem has a fault.</summary>
public sealed class DoctorLiveTests
{
    [Fact]
    public async Task BlackHole_AfterTheLinkIsUp_IsNamedTheDeadDataPath()
    {
        await using var daemon = await LinkDaemon.StartAsync();
        await daemon.WaitUpAsync();
        daemon.Modem.Faults.BlackHole(true);

        await daemon.PingAsync(3, identifier: 0x4248);
        var first = await daemon.Client.LinkAsync("client");
        await daemon.PingAsync(5, identifier: 0x4249);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var second = await daemon.Client.LinkAsync("client");
        var events = await daemon.Client.EventsAsync("client");

        // Either the link is still up with tx growing and rx flat, or the watchdog has already ended it as a dead data path.
        var facts = new DoctorFacts(second.Value!, events.Value!.Events,
            second.Value!.Attempts == first.Value!.Attempts ? first.Value.Traffic : null, TimeSpan.FromSeconds(1));
        var diagnosis = LinkDoctor.Examine(facts);

        var top = diagnosis.Findings[0];
        Assert.Equal("dead-data-path", top.Code);
        Assert.Equal(Severity.Problem, diagnosis.Severity);
        Assert.Contains("dead data path", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Contains(top.LikelyCauses, c => c.Contains("APN", StringComparison.Ordinal));
        Assert.Contains(top.NextSteps, s => s.Contains("conservative options", StringComparison.Ordinal));
        Assert.Contains(top.Evidence, e => e.Contains("received stayed at", StringComparison.Ordinal) || e.Contains("dead", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ModemNotRegistered_IsNamedRegistration_WithTheChatStep()
    {
        await using var daemon = await LinkDaemon.StartAsync(modem => modem.Faults.Deregister());
        // The link waits for registration before dialing and gives up with not-registered (or, dialing anyway, gets NO CARRIER).
        var client = await daemon.WaitForAsync("client", l => l.LastFailure is { Code: "not-registered" or "connect-failed" } && l.Modem is not null);
        var events = await daemon.Client.EventsAsync("client");

        var diagnosis = LinkDoctor.Examine(new DoctorFacts(client, events.Value!.Events));

        Assert.Equal("not-registered", diagnosis.Findings[0].Code);
        Assert.Contains("not registered", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Contains(diagnosis.Findings[0].Evidence, e => e.Contains("not registered", StringComparison.Ordinal));
        Assert.Contains(diagnosis.Findings[0].NextSteps, s => s.Contains("AT+CEREG?", StringComparison.Ordinal));
    }
}

/// <summary>Issue 19, "ask the modem why": the stale-PDP fault named by `linkactors doctor` after a dead data path.</summary>
public sealed class DoctorStalePdpTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly System.Net.IPAddress StaleAddress = System.Net.IPAddress.Parse("198.51.100.99");

    [Fact]
    public async Task StalePdp_DeadDataPath_DoctorNamesTheModemsDataContextNotPpps()
    {
        // A short window, and the ladder's first step a redial (the hang-up after which the modem is asked).
        await using var daemon = await LinkDaemon.StartAsync(clientSettings: "watchdog { window = 2s, probe-budget = 0, ladder = [redial] }");
        await daemon.WaitUpAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        daemon.Modem.Faults.StalePdp(StaleAddress);
        daemon.Modem.Faults.BlackHole(true);

        // Keep sending (nothing comes back) until the link has hung up and asked the modem.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        LinkActors.Host.Management.LinkView? view = null;
        while (DateTime.UtcNow < deadline)
        {
            await daemon.PingAsync(2, identifier: 0x5044);
            view = (await daemon.Client.LinkAsync("client")).Value;
            if (view?.ModemCheck is not null)
                break;
            await Task.Delay(300);
        }
        Assert.NotNull(view?.ModemCheck);

        // The doctor as `linkactors doctor client` runs it: the same reader, the same rules, the same text.
        var (facts, error) = await DoctorFactsReader.ReadAsync(daemon.Client, "client", TimeSpan.Zero, CancellationToken.None);
        Assert.Null(error);
        var diagnosis = LinkDoctor.Examine(facts!);
        string printed = LinkActors.Host.Cli.StatusText.Diagnosis(diagnosis);
        output.WriteLine($"fault at 0 s, modem asked by {clock.Elapsed.TotalSeconds:0.0} s; doctor prints:\n{printed}");

        var top = diagnosis.Findings[0];
        Assert.Equal("pdp-address-mismatch", top.Code);
        Assert.Equal(Severity.Problem, top.Severity);
        Assert.Equal("client: the modem's data context is not the one PPP uses", diagnosis.Summary);
        Assert.Contains("IPCP gave PPP 192.0.2.2, but context 1 (active) has 198.51.100.99", printed, StringComparison.Ordinal);
        // The modem's answers are shown with it.
        Assert.Contains(top.Evidence, e => e.Contains("PDP context 1 active, 198.51.100.99", StringComparison.Ordinal));
        Assert.Contains(top.Evidence, e => e.StartsWith("asked AT+CGPADDR: answered", StringComparison.Ordinal));
        Assert.Contains(diagnosis.Findings, f => f.Code == "dead-data-path");
    }
}
