using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Framing;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Actors.Link;

/// <summary>
/// Runs one control protocol (LCP, IPCP or IPv6CP): the shared RFC 1661 automaton with that
/// protocol's policy. It carries out the engine's actions: packets go to the framing actor, the
/// restart timer runs on this actor's scheduler, layer events go to the supervisor. For LCP it
/// also runs the echo keepalive. It holds no OS resource, so a restart from a clean state is safe.
/// </summary>
public sealed class ControlProtocolActor : ReceiveActor, IWithTimers
{
    private readonly ControlEngine _engine;
    private readonly IActorRef _framing;
    private readonly IActorRef _supervisor;
    private readonly EchoSettings _echo;
    private readonly Func<IControlPolicy, object?> _snapshot;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _echoUnanswered;
    private bool _upDelayed;
    private bool _activitySinceEcho;
    private DateTimeOffset _echoSentAt;
    private readonly Dictionary<byte, ReplyBudget> _replies;
    private long _repliesDropped;
    private DateTimeOffset _lastDropLogged = DateTimeOffset.MinValue;

    public ControlProtocolActor(
        Func<IControlPolicy> policyFactory,
        ControlEngineSettings settings,
        IActorRef framing,
        IActorRef supervisor,
        EchoSettings? echo = null,
        Func<IControlPolicy, object?>? snapshot = null)
    {
        _engine = new ControlEngine(policyFactory(), settings);
        _framing = framing;
        _supervisor = supervisor;
        _echo = _engine.IsLcp ? echo ?? EchoSettings.Off : EchoSettings.Off;
        _snapshot = snapshot ?? (_ => null);
        var configure = ReplyBudget.ForReplies(settings, (byte)ControlCode.ConfReq);
        var terminate = ReplyBudget.ForReplies(settings, (byte)ControlCode.TermReq);
        var echoes = ReplyBudget.ForReplies(settings, (byte)ControlCode.EchoReq);
        var reject = ReplyBudget.ForReplies(settings, (byte)ControlCode.CodeRej);
        // Answers share the budget of what they answer: Ack, Nak and Reject that of the Configure-Request.
        _replies = new Dictionary<byte, ReplyBudget>
        {
            [(byte)ControlCode.ConfAck] = configure,
            [(byte)ControlCode.ConfNak] = configure,
            [(byte)ControlCode.ConfRej] = configure,
            [(byte)ControlCode.TermAck] = terminate,
            [(byte)ControlCode.EchoRep] = echoes,
            [(byte)ControlCode.CodeRej] = reject,
            [(byte)ControlCode.ProtRej] = reject,
        };

        Receive<ControlProtocol.Up>(_ => Up());
        Receive<ControlProtocol.DelayedUp>(d =>
        {
            _upDelayed = true;
            Timers.StartSingleTimer(DelayedUpFired.Instance, DelayedUpFired.Instance, d.Bound);
        });
        Receive<DelayedUpFired>(_ =>
        {
            if (_upDelayed)
                Up();
        });
        Receive<ControlProtocol.Down>(_ =>
        {
            _upDelayed = false;
            Timers.Cancel(DelayedUpFired.Instance);
            Run(_engine.Down);
        });
        Receive<ControlProtocol.Open>(_ => Run(_engine.Open));
        Receive<ControlProtocol.Close>(c => Run(() => _engine.Close(c.Reason)));
        Receive<FramingProtocol.FrameReceived>(f => f.Protocol == _engine.Protocol, f =>
        {
            // The peer speaks first: it is listening, so the delayed Up happens now (pppd lcp_input).
            if (_upDelayed)
                Up();
            Run(() => _engine.Receive(f.Information.Span));
        });
        Receive<RestartTimerFired>(_ => Run(_engine.Timeout));
        Receive<ControlProtocol.PeerRejectedProtocol>(_ => Run(_engine.ProtocolRejected));
        Receive<ControlProtocol.SendProtocolReject>(r => Run(() => _engine.SendProtocolReject(r.Protocol, r.Information.Span, _engine.PeerMru)));
        Receive<ControlProtocol.SetPeerMru>(m => _engine.PeerMru = Math.Clamp(m.Mru, ControlEngine.MinimumMru, ushort.MaxValue));
        Receive<EchoTimerFired>(_ => OnEchoTimer());
        Receive<FramingProtocol.LinkActivity>(_ => { _activitySinceEcho = true; });
        Receive<GetState>(_ => Sender.Tell(new CurrentState(_engine.Protocol, _engine.Name, _engine.State, _engine.LastFailureReason, _engine.Counters.Snapshot())));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Asks for the engine's state and counters (for status and tests).</summary>
    public sealed record GetState
    {
        public static GetState Instance { get; } = new();
    }

    public sealed record CurrentState(ushort Protocol, string Name, ControlState State, string? LastFailureReason, object Counters);

    private sealed record RestartTimerFired
    {
        public static RestartTimerFired Instance { get; } = new();
    }

    private sealed record DelayedUpFired
    {
        public static DelayedUpFired Instance { get; } = new();
    }

    private void Up()
    {
        _upDelayed = false;
        Timers.Cancel(DelayedUpFired.Instance);
        Run(_engine.Up);
    }

    private sealed record EchoTimerFired
    {
        public static EchoTimerFired Instance { get; } = new();
    }

    /// <summary>Runs one engine call and carries out what it returned; a state change is reported.</summary>
    private void Run(Func<IReadOnlyList<EngineOutput>> call)
    {
        var from = _engine.State;
        Carry(call());
        if (_engine.State != from)
            _supervisor.Tell(new ControlProtocol.StateChanged(_engine.Protocol, _engine.Name, from, _engine.State));
    }

    private void Carry(IReadOnlyList<EngineOutput> outputs)
    {
        foreach (var output in outputs)
        {
            switch (output)
            {
                case SendControl send when send.Packet.Length > 0 && _replies.TryGetValue(send.Packet[0], out var budget)
                                            && !budget.TryTake(Context.System.Scheduler.Now):
                    // Beyond the reply budget: dropped, as a packet lost on the line would be.
                    _repliesDropped++;
                    if (Context.System.Scheduler.Now - _lastDropLogged >= TimeSpan.FromSeconds(10))
                    {
                        _lastDropLogged = Context.System.Scheduler.Now;
                        _log.Warning("{Protocol}: the peer asks faster than the RFC's pace (at most {Burst} answers every {Interval}); {Dropped} answers dropped so far, the latest a {Code}",
                            _engine.Name, budget.Burst, budget.Every * budget.Burst, _repliesDropped, (ControlCode)send.Packet[0]);
                    }

                    break;
                case SendControl send:
                    _framing.Tell(new FramingProtocol.SendFrame(send.Protocol, send.Packet));
                    break;
                case StartRestartTimer start:
                    Timers.StartSingleTimer(RestartTimerFired.Instance, RestartTimerFired.Instance, start.After);
                    break;
                case StopRestartTimer:
                    Timers.Cancel(RestartTimerFired.Instance);
                    break;
                case ThisLayerUp when _engine.Policy is IUpCheck check && check.CheckUp() is { } refusal:
                    // The options were agreed but are not acceptable (pppd's link_established: the peer
                    // would not authenticate; an NCP without a usable address): never report the layer up.
                    _supervisor.Tell(new ControlProtocol.LayerRefused(_engine.Protocol, _engine.Name, refusal, check.RefusalKind));
                    Carry(_engine.Close(refusal));
                    break;
                case ThisLayerUp:
                    _supervisor.Tell(new ControlProtocol.LayerUp(_engine.Protocol, _engine.Name, _snapshot(_engine.Policy), _engine.Policy.Describe()));
                    StartEcho();
                    break;
                case ThisLayerDown:
                    StopEcho();
                    // RTR in Opened (RFC 1661 §4.1: tld,zrc,sta): the peer ended the layer, not us.
                    _supervisor.Tell(new ControlProtocol.LayerDown(_engine.Protocol, _engine.Name,
                        _engine.LastStep?.Event == ControlEvent.Rtr ? _engine.LastFailureReason ?? "peer requested termination" : null));
                    break;
                case ThisLayerStarted:
                    _supervisor.Tell(new ControlProtocol.LayerStarted(_engine.Protocol, _engine.Name));
                    break;
                case ThisLayerFinished finished:
                    _supervisor.Tell(new ControlProtocol.LayerFinished(_engine.Protocol, _engine.Name, finished.Reason, finished.ByPeer));
                    break;
                case ProtocolRejectReceived rejected:
                    _supervisor.Tell(new ControlProtocol.ProtocolRejectReceived(rejected.Protocol));
                    break;
                case EchoReplyReceived:
                    _echoUnanswered = 0;
                    _supervisor.Tell(new ControlProtocol.EchoAnswered(Context.System.Scheduler.Now - _echoSentAt));
                    break;
                case LoopbackSuspected loop:
                    _supervisor.Tell(new ControlProtocol.LoopbackDetected(loop.Magic));
                    break;
                case CodeRejectReceived code:
                    _log.Warning("{Protocol}: the peer rejected our code {Code}", _engine.Name, code.RejectedCode);
                    break;
            }
        }
    }

    private void StartEcho()
    {
        if (!_echo.Enabled)
            return;
        _echoUnanswered = 0;
        _activitySinceEcho = false;
        _framing.Tell(new FramingProtocol.WatchActivity(Self));
        Timers.StartPeriodicTimer(EchoTimerFired.Instance, EchoTimerFired.Instance, _echo.Interval);
    }

    private void StopEcho() => Timers.Cancel(EchoTimerFired.Instance);

    /// <summary>pppd's LCP echo: a request every interval; lcp-echo-failure unanswered in a row ends the link.</summary>
    private void OnEchoTimer()
    {
        if (_engine.State != ControlState.Opened)
            return;
        if (_echo.Adaptive && _activitySinceEcho)
        {
            // lcp-echo-adaptive: the peer has shown it is alive since the last echo.
            _activitySinceEcho = false;
            _echoUnanswered = 0;
            _framing.Tell(FramingProtocol.RearmActivity.Instance);
            return;
        }
        if (_echo.Failure > 0 && _echoUnanswered >= _echo.Failure)
        {
            _log.Warning("LCP: no reply to {Count} echo requests", _echoUnanswered);
            _supervisor.Tell(new ControlProtocol.EchoFailed(_echoUnanswered));
            StopEcho();
            return;
        }
        _echoUnanswered++;
        _echoSentAt = Context.System.Scheduler.Now;
        _activitySinceEcho = false;
        _framing.Tell(FramingProtocol.RearmActivity.Instance);
        Run(() => _engine.SendEchoRequest([]));
    }

    protected override void PostStop()
    {
        Timers.CancelAll();
        base.PostStop();
    }

    public static Props Props(Func<IControlPolicy> policyFactory, ControlEngineSettings settings, IActorRef framing, IActorRef supervisor,
        EchoSettings? echo = null, Func<IControlPolicy, object?>? snapshot = null) =>
        Akka.Actor.Props.Create(() => new ControlProtocolActor(policyFactory, settings, framing, supervisor, echo, snapshot));
}
