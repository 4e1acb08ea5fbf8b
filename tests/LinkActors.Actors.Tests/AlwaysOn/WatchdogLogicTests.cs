using LinkActors.Actors.Configuration;
using LinkActors.Actors.Watchdog;
using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Tests.AlwaysOn;

public sealed class EscalationLadderTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly EscalationStep[] Full = [EscalationStep.Renegotiate, EscalationStep.Redial, EscalationStep.ModemReset, EscalationStep.PowerCycle];

    [Fact]
    public void SameFailureRepeating_ClimbsInOrder_AndStaysAtTheTop()
    {
        var ladder = new EscalationLadder(Full, TimeSpan.FromMinutes(30));
        var steps = Enumerable.Range(0, 6).Select(i => ladder.Next("dead-data-path", T0.AddMinutes(i), TimeSpan.FromMinutes(1))).ToList();
        Assert.Equal([EscalationStep.Renegotiate, EscalationStep.Redial, EscalationStep.ModemReset, EscalationStep.PowerCycle,
            EscalationStep.PowerCycle, EscalationStep.PowerCycle], steps);
        Assert.Equal(6, ladder.Repeats);
    }

    [Fact]
    public void DifferentFailure_StartsAtTheFoot()
    {
        var ladder = new EscalationLadder(Full, TimeSpan.FromMinutes(30));
        ladder.Next("dead-data-path", T0, TimeSpan.Zero);
        ladder.Next("dead-data-path", T0.AddMinutes(1), TimeSpan.Zero);
        Assert.Equal(EscalationStep.Renegotiate, ladder.Next("peer-dead", T0.AddMinutes(2), TimeSpan.Zero));
        Assert.Equal(EscalationStep.Redial, ladder.Next("peer-dead", T0.AddMinutes(3), TimeSpan.Zero));
    }

    [Fact]
    public void GoodService_LongConnectionOrLongQuiet_ResetsTheLadder()
    {
        var ladder = new EscalationLadder(Full, TimeSpan.FromMinutes(30));
        ladder.Next("peer-dead", T0, TimeSpan.Zero);
        ladder.Next("peer-dead", T0.AddMinutes(1), TimeSpan.Zero);
        Assert.Equal(EscalationStep.Renegotiate, ladder.Next("peer-dead", T0.AddMinutes(2), TimeSpan.FromMinutes(31)));
        Assert.Equal(EscalationStep.Redial, ladder.Next("peer-dead", T0.AddMinutes(3), TimeSpan.Zero));
        Assert.Equal(EscalationStep.Renegotiate, ladder.Next("peer-dead", T0.AddMinutes(40), TimeSpan.Zero));
    }

    [Fact]
    public void ConfiguredLadder_IsFollowed()
    {
        var ladder = new EscalationLadder([EscalationStep.Redial, EscalationStep.ModemReset], TimeSpan.FromMinutes(30));
        Assert.Equal(EscalationStep.Redial, ladder.Next("dead-data-path", T0, TimeSpan.Zero));
        Assert.Equal(EscalationStep.ModemReset, ladder.Next("dead-data-path", T0.AddSeconds(30), TimeSpan.Zero));
        Assert.Equal(EscalationStep.ModemReset, ladder.Next("dead-data-path", T0.AddSeconds(60), TimeSpan.Zero));
    }

    [Fact]
    public void CarrierLoss_IsRedialed_AndNeverClimbsTheLadder()
    {
        var ladder = new EscalationLadder(Full, TimeSpan.FromMinutes(30), maxResetsPerHour: 2);
        var steps = Enumerable.Range(0, 10).Select(i => ladder.Next(EscalationLadder.CarrierLossCode, T0.AddMinutes(i), TimeSpan.FromSeconds(20))).ToList();
        Assert.All(steps, s => Assert.Equal(EscalationStep.Redial, s));
        Assert.Equal(0, ladder.Repeats);
        Assert.Equal(TimeSpan.Zero, ladder.Pause);
    }

    [Fact]
    public void PermanentBlackHole_ForTwoHours_ResetsTheModemNoMoreThanTheLimitInAnyHour_AndHoldsBackVisibly()
    {
        // A window of 90 s, the dial and IPCP take 10 s, then the ladder's pause before each dial.
        var ladder = new EscalationLadder(Full, TimeSpan.FromMinutes(30), maxResetsPerHour: 2);
        var resets = new List<DateTimeOffset>();
        int heldBack = 0, failures = 0;
        var now = T0;
        while (now < T0.AddHours(2))
        {
            now += TimeSpan.FromSeconds(10 + 90);
            var step = ladder.Next("dead-data-path", now, TimeSpan.FromSeconds(90));
            failures++;
            if (step is EscalationStep.ModemReset or EscalationStep.PowerCycle)
                resets.Add(now);
            if (ladder.HeldBack is not null)
            {
                heldBack++;
                Assert.Equal(EscalationStep.Redial, step);
            }
            now += ladder.Pause;
        }
        Assert.True(failures > 15, $"only {failures} failures in 2 hours");
        Assert.InRange(resets.Count, 2, 4);
        Assert.All(resets, r => Assert.True(resets.Count(o => o <= r && r - o < TimeSpan.FromHours(1)) <= 2, $"more than 2 resets in the hour up to {r}"));
        Assert.True(heldBack > 0);
    }

    [Fact]
    public void Pause_GrowsWithRepeats_UpToFiveMinutes()
    {
        var ladder = new EscalationLadder(Full, TimeSpan.FromMinutes(30));
        var pauses = Enumerable.Range(0, 8).Select(i =>
        {
            ladder.Next("dead-data-path", T0.AddMinutes(i), TimeSpan.Zero);
            return ladder.Pause.TotalSeconds;
        }).ToList();
        Assert.Equal([0, 10, 20, 40, 80, 160, 300, 300], pauses);
    }
}

public sealed class DataPathMonitorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SendingWithoutReceiving_ForTheWindow_IsDead()
    {
        var monitor = new DataPathMonitor(TimeSpan.FromSeconds(60), T0);
        monitor.ObserveCounters(T0, 3, 3);
        monitor.ObserveCounters(T0.AddSeconds(30), 20, 3);
        Assert.Null(monitor.Check(T0.AddSeconds(59)));
        monitor.ObserveCounters(T0.AddSeconds(60), 40, 3);
        var verdict = monitor.Check(T0.AddSeconds(60));
        Assert.NotNull(verdict);
        Assert.Equal(37, verdict.PacketsSent);
    }

    [Fact]
    public void ReceivingAnything_RestartsTheWindow()
    {
        var monitor = new DataPathMonitor(TimeSpan.FromSeconds(10), T0);
        monitor.ObserveCounters(T0, 0, 0);
        monitor.ObserveCounters(T0.AddSeconds(8), 5, 1);
        monitor.ObserveCounters(T0.AddSeconds(12), 9, 1);
        Assert.Null(monitor.Check(T0.AddSeconds(12)));
        Assert.NotNull(monitor.Check(T0.AddSeconds(18)));
    }

    [Fact]
    public void IdleLinkThatSendsOnePacket_IsNotDeadUntilAWholeWindowWithoutAnswer()
    {
        var monitor = new DataPathMonitor(TimeSpan.FromSeconds(90), T0);
        monitor.ObserveCounters(T0, 4, 4);
        monitor.ObserveCounters(T0.AddMinutes(10), 4, 4);
        monitor.ObserveCounters(T0.AddMinutes(10).AddSeconds(1), 5, 4);
        Assert.Null(monitor.Check(T0.AddMinutes(10).AddSeconds(2)));
        Assert.Null(monitor.Check(T0.AddMinutes(10).AddSeconds(89)));
        Assert.NotNull(monitor.Check(T0.AddMinutes(10).AddSeconds(90)));
    }

    [Fact]
    public void UnansweredProbe_IsDead_NamingTheProbe_AndAnAnsweredOneRestartsTheIdleTime()
    {
        var monitor = new DataPathMonitor(TimeSpan.FromSeconds(90), T0);
        monitor.ObserveCounters(T0, 4, 4);
        Assert.Equal(TimeSpan.FromMinutes(20), monitor.Idle(T0.AddMinutes(20)));
        monitor.ObserveProbe(T0.AddMinutes(20), answered: true, "DNS query to 192.0.2.53");
        Assert.Equal(TimeSpan.Zero, monitor.Idle(T0.AddMinutes(20)));
        Assert.Null(monitor.Check(T0.AddMinutes(21)));
        monitor.ObserveProbe(T0.AddMinutes(40), answered: false, "DNS query to 192.0.2.53");
        Assert.Equal("DNS query to 192.0.2.53", monitor.Check(T0.AddMinutes(40))?.Probe);
    }

    [Fact]
    public void IdleLink_IsNeverDead()
    {
        var monitor = new DataPathMonitor(TimeSpan.FromSeconds(10), T0);
        monitor.ObserveCounters(T0, 4, 4);
        monitor.ObserveCounters(T0.AddMinutes(10), 4, 4);
        Assert.Null(monitor.Check(T0.AddMinutes(10)));
    }

    [Fact]
    public void PingTargetSilent_ForTheWindow_IsDead_EvenWhenOtherTrafficComesBack()
    {
        var monitor = new DataPathMonitor(TimeSpan.FromSeconds(5), T0);
        monitor.ObservePing(T0.AddSeconds(1), answered: true);
        for (int i = 2; i <= 6; i++)
        {
            monitor.ObserveCounters(T0.AddSeconds(i), i * 2, i);
            monitor.ObservePing(T0.AddSeconds(i), answered: false);
        }
        Assert.Null(monitor.Check(T0.AddSeconds(5.5)));
        var verdict = monitor.Check(T0.AddSeconds(6));
        Assert.NotNull(verdict);
        Assert.Equal(5, verdict.PingsUnanswered);
    }
}

public sealed class RegistrationWaitTests
{
    private static ModemInfo Eps(RegistrationStatus status) =>
        new() { EpsRegistration = new NetworkRegistration("+CEREG", 0, status, null, null, null) };

    [Theory]
    [InlineData(RegistrationStatus.RegisteredHome)]
    [InlineData(RegistrationStatus.RegisteredRoaming)]
    public void RegisteredHomeOrRoaming_Dials(RegistrationStatus status)
    {
        var wait = new RegistrationWait(TimeSpan.FromSeconds(120));
        Assert.Equal(RegistrationDecision.Registered, wait.Observe(true, false, Eps(status), TimeSpan.Zero));
    }

    [Fact]
    public void Searching_PollsUntilTheBound_ThenTimesOutNamingTheLastStatus()
    {
        var wait = new RegistrationWait(TimeSpan.FromSeconds(120));
        Assert.Equal(RegistrationDecision.PollAgain, wait.Observe(true, false, Eps(RegistrationStatus.Searching), TimeSpan.FromSeconds(60)));
        Assert.Equal(RegistrationDecision.TimedOut, wait.Observe(true, false, Eps(RegistrationStatus.Searching), TimeSpan.FromSeconds(120)));
        Assert.Equal("searching", wait.Last);
    }

    [Fact]
    public void Denied_FailsAtOnce()
    {
        var wait = new RegistrationWait(TimeSpan.FromSeconds(120));
        Assert.Equal(RegistrationDecision.Denied, wait.Observe(true, false, Eps(RegistrationStatus.Denied), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void QueryRefused_TriesTheNextForm_ThenDialsAnyway()
    {
        var wait = new RegistrationWait(TimeSpan.FromSeconds(120));
        Assert.Equal("AT+CEREG?", wait.Command);
        Assert.Equal(RegistrationDecision.TryNextCommand, wait.Observe(false, true, null, TimeSpan.Zero));
        Assert.Equal("AT+CGREG?", wait.Command);
        Assert.Equal(RegistrationDecision.TryNextCommand, wait.Observe(false, true, null, TimeSpan.Zero));
        Assert.Equal("AT+CREG?", wait.Command);
        Assert.Equal(RegistrationDecision.NotReported, wait.Observe(false, true, null, TimeSpan.Zero));
    }

    [Fact]
    public void Silence_IsNoAnswer_AndKeepsPolling()
    {
        var wait = new RegistrationWait(TimeSpan.FromSeconds(10));
        Assert.Equal(RegistrationDecision.PollAgain, wait.Observe(false, false, null, TimeSpan.FromSeconds(3)));
        Assert.Equal("no answer from the modem", wait.Last);
        Assert.Equal(RegistrationDecision.TimedOut, wait.Observe(false, false, null, TimeSpan.FromSeconds(10)));
    }
}
