using System.Globalization;
using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Framing;
using LinkActors.Actors.Watchdog;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Actors.Link;

/// <summary>
/// Network, beyond pppd: the ping probe and the data-path watchdog while IPCP is Opened, the carrier
/// heard in the modem's words, and the steps of the escalation ladder taken inside one attempt.
/// </summary>
public sealed partial class LinkSupervisor
{
    private static readonly TimeSpan StepDecisionBound = TimeSpan.FromSeconds(5);
    private IActorRef? _watchdog;
    private IActorRef? _probe;
    private DateTimeOffset? _dataSince;
    private DateTimeOffset? _lastEchoAnswer;
    private int _watches;
    private int _renegotiations;

    private void Watching()
    {
        Receive<WatchdogProtocol.DataPathDead>(d => Sender.Equals(_watchdog), d => OnDataPathDead(d.Verdict));
        Receive<WatchdogProtocol.DataPathDead>(_ => { });
        Receive<LinkProtocol.TakeStep>(t => TakeStep(t.Step));
        Receive<StepDecisionMissing>(_ =>
        {
            if (_pendingDeadPath is not null)
                TakeStep(EscalationStep.Redial);
        });
        Receive<LineTap.NoCarrierHeard>(_ =>
        {
            if (_phase is LinkProtocol.Phase.Dead or LinkProtocol.Phase.Dial or LinkProtocol.Phase.Disconnect)
                return;
            Context.System.EventStream.Publish(new LinkProtocol.CarrierLost(Name, "the modem said NO CARRIER"));
            Fail(LinkFailure.Hangup("Modem hangup: the modem said NO CARRIER"));
            LowerDown();
            Disconnect();
        });
        Receive<LineTap.ModemRestartHeard>(r =>
        {
            if (_phase is LinkProtocol.Phase.Dead or LinkProtocol.Phase.Dial or LinkProtocol.Phase.Disconnect)
                return;
            if (!_modemRestartHeard)
                _log.Warning("{Link}: the modem said RDY, the line it sends when it starts up: it may have restarted", Name);
            _modemRestartHeard = true;
            if (!r.Confirmed)
                return;
            Context.System.EventStream.Publish(new LinkProtocol.CarrierLost(Name, "the modem restarted (it said RDY)"));
            Fail(ModemRestarted("it said RDY and no PPP followed"));
            LowerDown();
            Disconnect();
        });
        // The modem monitor on the CMUX AT channel (issue 16): its answers are facts of the link.
        Receive<Cmux.CmuxProtocol.ModemPolled>(p => UpdateModem(p.Modem));
        Receive<Cmux.CmuxProtocol.DetachedWhilePppUp>(d => OnModemDetached(d.Reason));
        Receive<LinkProtocol.GetFramingStats>(_ =>
        {
            if (_framing is null)
                Sender.Tell(new LinkProtocol.NoFraming(Name));
            else
                _framing.Forward(FramingProtocol.GetStats.Instance);
        });
    }

    /// <summary>The modem said RDY during this attempt (a restart, or those octets inside a frame).</summary>
    private bool _modemRestartHeard;

    private static LinkFailure ModemRestarted(string detail) =>
        LinkFailure.Hangup($"Modem hangup: the modem restarted during the call ({detail}); the call is gone");

    /// <summary>The line the framing actor reads: the port itself, or, with a modem, a tap that hears NO CARRIER.</summary>
    private IActorRef FramingLine() => HasModem ? Context.ActorOf(LineTap.Props(_port!, Self), $"line-{++_chats}") : _port!;

    /// <summary>IPCP is Opened: watch the data path, and ping when asked to.</summary>
    private void StartWatching(Negotiated.Ipcp ipcp)
    {
        StopWatching();
        var watchdog = _settings.Watchdog;
        var now = Context.System.Scheduler.Now;
        _dataSince = now;
        _watches++;
        if (watchdog.Window > TimeSpan.Zero)
        {
            var plan = ProbePlan.For(watchdog.ProbeBudget, watchdog.Window, watchdog.PingTarget, ipcp.Local, ipcp.Remote, ipcp.Dns1, ipcp.Dns2);
            _watchdog = Context.ActorOf(DataPathWatchdogActor.Props(_network!, watchdog.Window, Self, Name, plan, ipcp.Local), $"watchdog-{_watches}");
            _log.Info("{Link}: data-path watchdog on: dead after {Window} of sending without receiving", Name, watchdog.Window);
        }
        if (watchdog.PingInterval > TimeSpan.Zero)
        {
            var target = watchdog.PingTarget ?? ipcp.Remote;
            if (target is null || ipcp.Local is null)
            {
                _log.Warning("{Link}: no ping: {Missing}", Name, target is null ? "no watchdog.ping-target and the peer told no address" : "we have no address");
                return;
            }
            _probe = Context.ActorOf(PingProbeActor.Props(Name, _network!, ipcp.Local, target, watchdog.PingInterval, _watchdog), $"ping-{_watches}");
        }
    }

    private void StopWatching()
    {
        if (_watchdog is not null)
            Context.Stop(_watchdog);
        if (_probe is not null)
            Context.Stop(_probe);
        _watchdog = null;
        _probe = null;
    }

    private void OnDataPathDead(DataPathVerdict verdict)
    {
        var now = Context.System.Scheduler.Now;
        var window = _settings.Watchdog.Window;
        string seconds = window.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        string what = verdict.Probe is { } probe
            ? $"PPP is up but nothing came back for {verdict.Silence.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s and the idle-link probe ({probe}) got no answer"
            : verdict.PacketsSent > 0
            ? $"PPP is up and we sent {verdict.PacketsSent} packets in {seconds} s but received none"
            : $"PPP is up but the ping target answered none of {verdict.PingsUnanswered} echo requests in {seconds} s";
        string echo = !_settings.Lcp.EchoInterval.Equals(TimeSpan.Zero)
            ? _lastEchoAnswer is { } at && now - at <= window + _settings.Lcp.EchoInterval ? "LCP echo still answered" : "LCP echo unanswered too"
            : "LCP echo is off";
        var failure = LinkFailure.DeadDataPath($"{what}: the data path beyond the modem is dead ({echo})");
        var goodService = _dataSince is { } since ? now - since - verdict.Silence : TimeSpan.Zero;
        if (goodService < TimeSpan.Zero)
            goodService = TimeSpan.Zero;
        _log.Warning("{Link}: watchdog: {Verdict}", Name, failure.Message);
        StopWatching();
        var dead = new LinkProtocol.DataPathDead(Name, failure, goodService);
        _pendingDeadPath = failure;
        Context.System.EventStream.Publish(dead);
        Context.Parent.Tell(dead);
        // Run alone (no manager to ask), or with a parent that does not answer: redial.
        Timers.StartSingleTimer(StepDecisionMissing.Instance, StepDecisionMissing.Instance, StepDecisionBound);
    }

    private LinkFailure? _pendingDeadPath;

    /// <summary>The modem says it left the network while PPP is up: the data path is dead now, whatever the window says.</summary>
    private void OnModemDetached(string reason)
    {
        if (_phase != LinkProtocol.Phase.Network || _pendingDeadPath is not null || _failure is not null)
            return;
        var failure = LinkFailure.NotRegistered($"detached from the network while PPP is up: {reason}");
        _log.Warning("{Link}: watchdog: {Verdict}", Name, failure.Message);
        StopWatching();
        var goodService = _dataSince is { } since ? Context.System.Scheduler.Now - since : TimeSpan.Zero;
        var dead = new LinkProtocol.DataPathDead(Name, failure, goodService);
        _pendingDeadPath = failure;
        Context.System.EventStream.Publish(dead);
        Context.Parent.Tell(dead);
        Timers.StartSingleTimer(StepDecisionMissing.Instance, StepDecisionMissing.Instance, StepDecisionBound);
    }

    private void TakeStep(EscalationStep step)
    {
        Timers.Cancel(StepDecisionMissing.Instance);
        var failure = _pendingDeadPath ?? LinkFailure.DeadDataPath("the data path beyond the modem is dead");
        _pendingDeadPath = null;
        if (_failure is not null || _phase is LinkProtocol.Phase.Terminate or LinkProtocol.Phase.Disconnect or LinkProtocol.Phase.Dead)
            return;
        if (step == EscalationStep.Renegotiate && _lcp is not null)
        {
            Renegotiate(failure.Message);
            return;
        }
        Fail(failure);
        Terminate(step switch
        {
            EscalationStep.ModemReset => "Data path dead: resetting the modem",
            EscalationStep.PowerCycle => "Data path dead: power-cycling the modem",
            _ => "Data path dead: redialing",
        });
    }

    /// <summary>
    /// LCP again, with the options least likely to upset a modem's own PPP stack (no PFC, no ACFC,
    /// every control character escaped; VJ is never used): everything above LCP goes down and comes
    /// back with it (RFC 1661 §3.7). The line stays connected.
    /// </summary>
    private void Renegotiate(string reason)
    {
        _renegotiations++;
        _log.Warning("{Link}: renegotiating LCP without PFC/ACFC and with the default asyncmap: {Reason}", Name, reason);
        Context.System.EventStream.Publish(new LinkProtocol.Renegotiating(Name, reason));
        var old = _lcp!;
        _control.Remove(PppProtocol.Lcp);
        Context.Stop(old);
        LcpDown();
        var conservative = _auth.LcpSettings with { NoAccomp = true, NoPcomp = true, DefaultAsyncmap = true };
        _lcp = StartControl(PppProtocol.Lcp, () => new LcpPolicy(conservative, _dependencies.Random), _settings.Lcp.Counters,
            new EchoSettings(_settings.Lcp.EchoInterval, _settings.Lcp.EchoFailure, _settings.Lcp.EchoAdaptive), $"lcp-{_renegotiations + 1}");
        _lcp.Tell(ControlProtocol.Open.Instance);
        _lcp.Tell(ControlProtocol.Up.Instance);
    }

    private sealed record StepDecisionMissing
    {
        public static StepDecisionMissing Instance { get; } = new();
    }
}
