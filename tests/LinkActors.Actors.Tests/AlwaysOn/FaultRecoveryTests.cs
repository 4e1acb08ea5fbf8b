using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Framing;
using LinkActors.Actors.Link;
using Xunit.Abstractions;

namespace LinkActors.Actors.Tests.AlwaysOn;

/// <summary>
/// One fault of the emulated modem per test, over real ptys, against a client that must stay up on
/// its own: each test states the bound it holds the link to.
/// </summary>
[Collection("always-on")]
public sealed class FaultRecoveryTests : TestKit
{
    private readonly ITestOutputHelper _output;

    public FaultRecoveryTests(ITestOutputHelper output) : base("akka.loglevel = INFO\nakka.stdout-loglevel = INFO", output: output) => _output = output;

    private static readonly TimeSpan FirstUp = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Holdoff = TimeSpan.FromSeconds(1);

    private AlwaysOnRig Rig(string clientExtra = "", Action<Emulator.Modem.ModemEmulator>? beforeLinks = null) =>
        new(Sys, _output, clientExtra, beforeLinks);

    [Fact]
    public async Task CarrierDrop_RedialsAndPingIsAnsweredAgain_WithinHoldoffPlus5s()
    {
        await using var rig = Rig();
        await rig.WaitForPingAnswered(FirstUp, 0);
        double dropped = rig.Now;
        rig.Modem.Faults.DropCarrier();
        var (endedAt, ended) = await rig.WaitFor<LinkProtocol.Ended>(e => e.Link == "client", TimeSpan.FromSeconds(5), dropped, "end of the client link");
        Assert.Equal("hangup", ended.Reason.Code);
        Assert.Contains("NO CARRIER", ended.Reason.Message, StringComparison.Ordinal);
        // Holdoff plus its 20 % jitter, plus 5 s to dial, negotiate and ping.
        var bound = Holdoff * 1.2 + TimeSpan.FromSeconds(5);
        var (back, _) = await rig.WaitForPingAnswered(bound, endedAt);
        rig.Log($"carrier loss -> NO CARRIER heard: {endedAt - dropped:0.000} s; carrier loss -> ping answered again: {back - dropped:0.000} s (bound {bound.TotalSeconds:0.0} s)");
        Assert.True(back - dropped <= bound.TotalSeconds + 1, $"traffic flowed again {back - dropped:0.0} s after the carrier loss");
    }

    [Fact]
    public async Task HungModem_LcpEchoFails_ThenRedials_Within30s()
    {
        await using var rig = Rig();
        await rig.WaitForPingAnswered(FirstUp, 0);
        double hung = rig.Now;
        rig.Modem.Faults.Hang();
        // echo-interval 1 s x echo-failure 3, then Terminate-Request twice 1 s apart.
        var (endedAt, ended) = await rig.WaitFor<LinkProtocol.Ended>(e => e.Link == "client", TimeSpan.FromSeconds(15), hung, "end by LCP echo failure");
        Assert.Equal("peer-dead", ended.Reason.Code);
        rig.Log($"hang -> peer-dead after {endedAt - hung:0.0} s: {ended.Reason.Message}");
        rig.Modem.Faults.Clear();
        var (back, _) = await rig.WaitForPingAnswered(TimeSpan.FromSeconds(30), endedAt);
        rig.Log($"hang cleared -> ping answered again after {back - endedAt:0.0} s");
    }

    [Fact]
    public async Task Reboot_ModemSaysRdy_LinkRedialsOnceItIsBack_Within40s()
    {
        await using var rig = Rig();
        await rig.WaitForPingAnswered(FirstUp, 0);
        double rebooted = rig.Now;
        double? readyAt = null;
        rig.Modem.Ready += (_, _) => readyAt ??= rig.Now;
        rig.Modem.Faults.Reboot();
        var (endedAt, ended) = await rig.WaitFor<LinkProtocol.Ended>(e => e.Link == "client", TimeSpan.FromSeconds(15), rebooted, "end after the reboot");
        rig.Log($"reboot -> link ended after {endedAt - rebooted:0.0} s: {ended.Reason}");
        // Said as what it is: the modem restarted (its RDY was heard), not a looped-back line.
        Assert.Equal("hangup", ended.Reason.Code);
        Assert.Contains("modem restarted", ended.Reason.Message, StringComparison.Ordinal);
        var (up, _) = await rig.WaitFor<LinkProtocol.Up>(u => u.Link == "client", TimeSpan.FromSeconds(40), endedAt, "link up again");
        Assert.NotNull(readyAt);
        Assert.True(up > readyAt, "the link came up before the modem had said RDY");
        await rig.WaitForPingAnswered(TimeSpan.FromSeconds(5), up);
        rig.Log($"reboot -> RDY at +{readyAt - rebooted:0.0} s, up again at +{up - rebooted:0.0} s");
    }

    [Fact]
    public async Task Deregistration_WaitsForRegistration_ThenRedials_WhenCleared()
    {
        await using var rig = Rig();
        await rig.WaitForPingAnswered(FirstUp, 0);
        double detached = rig.Now;
        rig.Modem.Faults.Deregister();
        var (endedAt, ended) = await rig.WaitFor<LinkProtocol.Ended>(e => e.Link == "client", TimeSpan.FromSeconds(5), detached, "end after the detach");
        Assert.Equal("hangup", ended.Reason.Code);
        // The next attempt polls the registration and does not dial meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Empty(rig.EventsOf<LinkProtocol.RegistrationWaitEnded>(endedAt));
        Assert.Empty(rig.EventsOf<LinkProtocol.Up>(endedAt));
        double cleared = rig.Now;
        rig.Modem.Faults.Clear();
        var (_, registered) = await rig.WaitFor<LinkProtocol.RegistrationWaitEnded>(r => r.Link == "client", TimeSpan.FromSeconds(10), cleared, "registration");
        Assert.True(registered.Registered);
        Assert.True(registered.Waited >= TimeSpan.FromSeconds(2), $"waited only {registered.Waited}");
        rig.Log($"registration wait ended: {registered.Status} after {registered.Waited.TotalSeconds:0.0} s");
        var (back, _) = await rig.WaitForPingAnswered(TimeSpan.FromSeconds(10), cleared);
        rig.Log($"registration restored -> ping answered after {back - cleared:0.0} s");
    }

    [Fact]
    public async Task Garbage_LinkSurvivesOrRedials_CountersShowBadFcs()
    {
        await using var rig = Rig();
        await rig.WaitForPingAnswered(FirstUp, 0);
        double started = rig.Now;
        rig.Modem.Faults.Garbage(0.002);
        await Task.Delay(TimeSpan.FromSeconds(8));
        var stats = await rig.Client.Ask<object>(new LinkManagement.ToLink("client", LinkProtocol.GetFramingStats.Instance), TimeSpan.FromSeconds(5));
        rig.Modem.Faults.Clear();
        double cleared = rig.Now;
        rig.Log($"under garbage: {stats}; emulator {rig.Modem.Counters}");
        var framing = Assert.IsType<FramingProtocol.FramingStats>(stats);
        Assert.True(framing.RxErrors > 0 || rig.EventsOf<LinkProtocol.Ended>(started).Any(), "no bad frame counted and no redial under garbage");
        Assert.True(rig.Modem.Counters.OctetsCorrupted > 0);
        var answered = rig.EventsOf<LinkProtocol.PingResult>(started).Count(p => p.RoundTrip is not null);
        rig.Log($"pings answered during the garbage: {answered} of {rig.EventsOf<LinkProtocol.PingResult>(started).Count()}");
        await rig.WaitForPingAnswered(TimeSpan.FromSeconds(20), cleared);
    }

    [Fact]
    public async Task BlackHole_DeadDataPathWithinWindow_LadderClimbsRenegotiateRedialModemReset()
    {
        await using var rig = Rig();
        await rig.WaitForPingAnswered(FirstUp, 0);
        double holed = rig.Now;
        rig.Modem.Faults.BlackHole();
        // Window 5 s, plus a ping interval to notice.
        var (deadAt, dead) = await rig.WaitFor<LinkProtocol.DataPathDead>(d => d.Link == "client", TimeSpan.FromSeconds(7), holed, "dead-data-path verdict");
        Assert.Equal("dead-data-path", dead.Failure.Code);
        Assert.Contains("received none", dead.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("LCP echo still answered", dead.Failure.Message, StringComparison.Ordinal);
        rig.Log($"black hole -> verdict after {deadAt - holed:0.0} s: {dead.Failure.Message}");
        await rig.WaitFor<LinkManagement.EscalationStepTaken>(s => s.Link == "client" && s.Step == EscalationStep.ModemReset, TimeSpan.FromSeconds(60), holed, "modem-reset step");
        var steps = rig.EventsOf<LinkManagement.EscalationStepTaken>(holed).Where(s => s.Link == "client").Select(s => s.Step).ToList();
        Assert.Equal([EscalationStep.Renegotiate, EscalationStep.Redial, EscalationStep.ModemReset], steps);
        Assert.Contains(rig.EventsOf<LinkProtocol.Renegotiating>(holed), r => r.Link == "client");
        // Each hang-up for a dead data path asks the modem why first (bounded at 25 s), and the redial backoff grows.
        await rig.WaitFor<LinkProtocol.ModemResetDone>(r => r.Link == "client" && r.Succeeded, TimeSpan.FromSeconds(90), holed, "modem reset done");
        Assert.Contains(rig.Commands, c => c.Equals("AT+CFUN=1,1", StringComparison.OrdinalIgnoreCase));
        rig.Modem.Faults.BlackHole(false);
        double cleared = rig.Now;
        await rig.WaitForPingAnswered(TimeSpan.FromSeconds(30), cleared);
    }

    [Fact]
    public async Task ResetModemRequest_SendsTheResetCommand_WaitsForTheModem_AndRedials_Within30s()
    {
        await using var rig = Rig();
        await rig.WaitForPingAnswered(FirstUp, 0);
        double asked = rig.Now;
        rig.Client.Tell(new LinkManagement.ResetModem("client"));
        var (doneAt, done) = await rig.WaitFor<LinkProtocol.ModemResetDone>(r => r.Link == "client", TimeSpan.FromSeconds(20), asked, "modem reset");
        Assert.True(done.Succeeded, done.Detail);
        Assert.Contains("accepted the reset", done.Detail, StringComparison.Ordinal);
        Assert.Contains(rig.Commands, c => c.Equals("AT+CFUN=1,1", StringComparison.OrdinalIgnoreCase));
        var (back, _) = await rig.WaitForPingAnswered(TimeSpan.FromSeconds(30), doneAt);
        rig.Log($"reset requested -> modem back after {doneAt - asked:0.0} s, ping answered after {back - asked:0.0} s");
    }

    [Fact]
    public async Task MaxFail_StopsAndSaysWhy()
    {
        await using var rig = Rig("maxfail = 2\n registration { timeout = 2s }", modem => modem.Faults.Deregister());
        var (_, gaveUp) = await rig.WaitFor<LinkManagement.GaveUp>(g => g.Link == "client", TimeSpan.FromSeconds(30), 0, "GaveUp");
        rig.Log($"gave up: {gaveUp.Reason}");
        Assert.Contains("maxfail 2", gaveUp.Reason, StringComparison.Ordinal);
        Assert.Contains("not-registered", gaveUp.Reason, StringComparison.Ordinal);
        Assert.Contains("did not register with the network within 2 s", gaveUp.Reason, StringComparison.Ordinal);
        Assert.Equal(2, rig.EventsOf<LinkProtocol.Ended>().Count(e => e.Link == "client"));
    }

    [Fact]
    public async Task UnpluggedModem_ThatComesBack_IsPickedUp()
    {
        await using var rig = Rig();
        await rig.WaitForPingAnswered(FirstUp, 0);
        double unplugged = rig.Now;
        await rig.UnplugAsync();
        Assert.False(File.Exists(rig.ModemPath));
        var (endedAt, ended) = await rig.WaitFor<LinkProtocol.Ended>(e => e.Link == "client", TimeSpan.FromSeconds(15), unplugged, "end after the unplug");
        rig.Log($"unplugged -> ended: {ended.Reason}");
        await Task.Delay(TimeSpan.FromSeconds(3));
        double plugged = rig.Now;
        rig.PlugIn();
        var (_, appeared) = await rig.WaitFor<LinkProtocol.DeviceWaitEnded>(d => d.Appeared, TimeSpan.FromSeconds(5), plugged, "device back");
        Assert.True(appeared.Waited >= TimeSpan.FromSeconds(2));
        var (back, _) = await rig.WaitForPingAnswered(TimeSpan.FromSeconds(15), plugged);
        rig.Log($"plugged in -> ping answered after {back - plugged:0.0} s");
    }
}
