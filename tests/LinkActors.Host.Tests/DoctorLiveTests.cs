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
