using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Chat;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Framing;
using LinkActors.Actors.Serial;
using LinkActors.Ppp.Chat;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Actors.Link;

/// <summary>What a link needs from outside: its port, its network side, randomness.</summary>
/// <param name="PortProps">The port actor, given its owner (the supervisor gets its events).</param>
/// <param name="NetworkProps">The network side, given the framing actor it sends through.</param>
public sealed record LinkDependencies(Func<IActorRef, Props> PortProps, Func<IActorRef, Props> NetworkProps, IRandomSource Random);

/// <summary>
/// One attempt of one link, from opening the port to hanging up: runs the phases (RFC 1661 §3.2),
/// builds a child per layer, routes frames by protocol and phase, and reports how it ended to its
/// parent (the link manager redials). A layer that owns an OS resource (the port) failing ends the
/// attempt; a control protocol that throws before Opened is restarted clean.
/// </summary>
public sealed partial class LinkSupervisor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan PortCloseBound = TimeSpan.FromSeconds(5);
    // How long the framing's last writes may take on the way down: a line that takes nothing (a full pty,
    // a stuck modem) does not hold the hang-up for the port's whole write timeout.
    private static readonly TimeSpan FramingDrainBound = TimeSpan.FromSeconds(3);
    private readonly LinkSettings _settings;
    private readonly LinkDependencies _dependencies;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LinkNegotiationSettings _negotiation;
    private readonly AuthSetup _auth;
    private IActorRef? _port;
    private IActorRef? _chat;
    private LinkProtocol.Phase _phase = LinkProtocol.Phase.Dead;
    private LinkFailure? _failure;
    private ModemInfo? _modem;
    private DateTimeOffset? _upSince;
    private DateTimeOffset _connectedAt;

    /// <param name="resetModem">Send the modem its reset command before dialing (the escalation ladder asked for it).</param>
    public LinkSupervisor(LinkSettings settings, LinkDependencies dependencies, bool resetModem = false)
    {
        _settings = settings;
        _dependencies = dependencies;
        _resetModem = resetModem;
        _negotiation = settings.ToNegotiation();
        _auth = new AuthSetup(_negotiation);
        Dialing();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private string Name => _settings.Name;

    public static Props Props(LinkSettings settings, LinkDependencies dependencies) =>
        Akka.Actor.Props.Create(() => new LinkSupervisor(settings, dependencies, false));

    /// <param name="resetModem">Send the modem its reset command before dialing.</param>
    public static Props Props(LinkSettings settings, LinkDependencies dependencies, bool resetModem) =>
        Akka.Actor.Props.Create(() => new LinkSupervisor(settings, dependencies, resetModem));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        maxNrOfRetries: 3,
        withinTimeRange: TimeSpan.FromMinutes(1),
        localOnlyDecider: e =>
        {
            var child = Sender;
            // An owner of an OS resource, or a protocol already carrying the link, is not restarted
            // from scratch underneath the peer: the attempt ends and the manager rebuilds it.
            if (child.Equals(_port) || child.Equals(_framing) || child.Equals(_network) || IsOpened(child))
            {
                Fail(LinkFailure.Internal($"{child.Path.Name} failed: {e.Message}"));
                return Directive.Stop;
            }
            _log.Warning("{Link}: {Layer} failed and restarts clean: {Reason}", Name, child.Path.Name, e.Message);
            return Directive.Restart;
        });

    protected override void PreStart()
    {
        SetPhase(LinkProtocol.Phase.Dial, _settings.Device);
        OpenPortWhenPresent();
        if (_settings.MaxConnect > TimeSpan.Zero)
            Timers.StartSingleTimer(MaxConnectReached.Instance, MaxConnectReached.Instance, _settings.MaxConnect);
    }

    /// <summary>Dial: the port opens, then the connect script runs while the chat actor is its reader.</summary>
    private void Dialing()
    {
        Preparing();
        Watching();
        AskingModem();
        Receive<SerialPort.Opened>(_ => PortOpened());
        Receive<ChatProtocol.ChatCompleted>(c => c.Script == "connect", c =>
        {
            _chat = null;
            UpdateModem(c.Modem);
            if (c.Outcome.Kind == ChatOutcomeKind.Success)
            {
                _log.Info("{Link}: connect script finished: {Outcome}", Name, c.Outcome);
                Establish(c.Unread);
            }
            else
            {
                Fail(LinkFailure.ConnectFailed($"connect script failed: {c.Outcome}"));
                Disconnect();
            }
        });
        Receive<ChatProtocol.ChatCompleted>(c => c.Script == "disconnect", c =>
        {
            _chat = null;
            _log.Info("{Link}: disconnect script finished: {Outcome}", Name, c.Outcome);
            AskModemThenClosePort();
        });
        Receive<ChatProtocol.ModemReported>(r => _log.Info("{Link}: modem reports {Line}", Name, r.Line));
        Receive<SerialPort.DeviceVanished>(v =>
        {
            Fail(_phase == LinkProtocol.Phase.Dial && !_settings.Connect.IsEmpty && _chat is null
                ? LinkFailure.OpenFailed($"{_settings.Device}: {v.Reason}")
                : HangupOrPeerTerminated($"Modem hangup: {v.Reason}"));
            LowerDown();
            End();
        });
        Receive<SerialPort.OpenFailed>(f =>
        {
            Fail(f.Cause is LinkActors.Linux.Locking.DeviceLockedException
                ? LinkFailure.LockFailed($"{f.Device}: {f.Cause.Message}")
                : LinkFailure.OpenFailed($"{f.Device}: {f.Cause.Message}"));
            End();
        });
        Receive<SerialPort.CarrierChanged>(c => !c.Present, _ =>
        {
            Context.System.EventStream.Publish(new LinkProtocol.CarrierLost(Name, "DCD dropped"));
            Fail(HangupOrPeerTerminated("Modem hangup: carrier lost"));
            LowerDown();
            Disconnect();
        });
        Receive<SerialPort.CommandFailed>(f => _log.Warning("{Link}: port command {Command} failed: {Reason}", Name, f.Command.GetType().Name, f.Cause.Message));
        Receive<SerialPort.Closed>(_ => End());
        Receive<Terminated>(t => t.ActorRef.Equals(_port), _ =>
        {
            _port = null;
            Fail(HangupOrPeerTerminated("the serial port stopped"));
            End();
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_framing) && _phase == LinkProtocol.Phase.Disconnect, _ =>
        {
            // The framing drained: its last write (our Terminate-Ack) is on the line.
            _framing = null;
            AfterFramingEnded();
        });
        Receive<FramingDrainBoundReached>(_ =>
        {
            if (_framing is null)
                return;
            _log.Warning("{Link}: the framing did not finish its last writes within {Bound}; closing the line anyway", Name, FramingDrainBound);
            Context.Unwatch(_framing);
            Context.Stop(_framing);
            _framing = null;
            AfterFramingEnded();
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_framing) || t.ActorRef.Equals(_network), t =>
        {
            if (t.ActorRef.Equals(_framing))
                _framing = null;
            else
                _network = null;
            Fail(LinkFailure.Internal($"{t.ActorRef.Path.Name} stopped"));
            Disconnect();
        });
        Receive<Terminated>(t => _control.ContainsValue(t.ActorRef), t =>
        {
            // The supervisor strategy gave up on a layer that kept failing (or it stopped on its own).
            var layer = _control.First(c => c.Value.Equals(t.ActorRef));
            _control.Remove(layer.Key);
            if (layer.Key == PppProtocol.Lcp)
                _lcp = null;
            Fail(LinkFailure.Internal($"{PppProtocol.Name(layer.Key)} failed repeatedly and was stopped"));
            Terminate($"{PppProtocol.Name(layer.Key)} failed");
        });
        Receive<Terminated>(_ => { });
        Receive<LinkProtocol.Stop>(s =>
        {
            Fail(LinkFailure.UserRequest(s.Reason));
            Terminate(s.Reason);
        });
        Receive<MaxConnectReached>(_ =>
        {
            Fail(LinkFailure.ConnectTime($"connect time limit of {_settings.MaxConnect} reached"));
            Terminate("Connect time expired");
        });
        Receive<TerminateBoundReached>(_ => Disconnect());
        Receive<PortCloseBoundReached>(_ => End());
        Receive<LinkProtocol.GetStatus>(_ => Sender.Tell(Status()));
        Receive<LinkProtocol.GetNetworkSide>(_ => Sender.Tell(new LinkProtocol.NetworkSide(_network)));
        Negotiating();
    }

    /// <summary>Terminate: ask LCP to close; when it is finished (or the bound passes) hang up.</summary>
    private void Terminate(string reason)
    {
        if (_lcp is null || _phase is LinkProtocol.Phase.Terminate or LinkProtocol.Phase.Disconnect)
        {
            if (_phase != LinkProtocol.Phase.Disconnect)
                Disconnect();
            return;
        }
        SetPhase(LinkProtocol.Phase.Terminate, reason);
        _lcp.Tell(new ControlProtocol.Close(reason));
        // RFC 1661 §4.6: Max-Terminate requests a restart interval apart, then give up on the TermAck.
        var bound = _settings.Lcp.Counters.Restart * (_settings.Lcp.Counters.MaxTerminate + 1) + TimeSpan.FromSeconds(1);
        Timers.StartSingleTimer(TerminateBoundReached.Instance, TerminateBoundReached.Instance, bound);
    }

    /// <summary>Disconnect: PPP is over; run the disconnect script while the port is still there, then close it.</summary>
    private void Disconnect()
    {
        if (_phase == LinkProtocol.Phase.Disconnect)
            return;
        Timers.Cancel(TerminateBoundReached.Instance);
        StopNegotiationLayers();
        SetPhase(LinkProtocol.Phase.Disconnect, _failure?.Message);
        if (_chat is not null)
        {
            Context.Stop(_chat);
            _chat = null;
        }
        if (_framing is not null)
        {
            // Stopped behind its mailbox: frames already asked for (our Terminate-Ack to the peer's
            // Terminate-Request, RFC 1661 §4.1 RTR in Closing: sta) are written before the line is
            // closed. Context.Stop would overtake them; the port closing under them would lose them.
            _framing.Tell(FramingProtocol.Drain.Instance);
            Timers.StartSingleTimer(FramingDrainBoundReached.Instance, FramingDrainBoundReached.Instance, FramingDrainBound);
            return;
        }
        AfterFramingEnded();
    }

    /// <summary>The framing has ended (or was never there): the disconnect script, then the port closes.</summary>
    private void AfterFramingEnded()
    {
        Timers.Cancel(FramingDrainBoundReached.Instance);
        if (_port is not null && !_settings.Disconnect.IsEmpty)
        {
            _chat = Context.ActorOf(ChatActor.Props(_port, _settings.Disconnect, "disconnect"), "disconnect");
            return;
        }
        AskModemThenClosePort();
    }

    private void ClosePort()
    {
        if (_port is null)
        {
            End();
            return;
        }
        // With modem control lines, drop DTR first so the modem hangs up (pppd `modem`).
        if (!_settings.Local)
            _port.Tell(SerialPort.HangUp.Instance);
        _port.Tell(SerialPort.Close.Instance);
        // The port's own close may hang on a vanished device; the link does not wait for it forever.
        Timers.StartSingleTimer(PortCloseBoundReached.Instance, PortCloseBoundReached.Instance, PortCloseBound);
    }

    private void End()
    {
        var reason = _failure ?? (_peerTerminated is { } peer ? PeerTerminated(peer) : LinkFailure.UserRequest("link closed"));
        var connectTime = _upSince is { } up ? Context.System.Scheduler.Now - up : TimeSpan.Zero;
        SetPhase(LinkProtocol.Phase.Dead, reason.Message);
        var ended = new LinkProtocol.Ended(Name, reason, connectTime);
        Context.System.EventStream.Publish(ended);
        Context.Parent.Tell(ended);
        Context.Stop(Self);
    }

    /// <summary>The peer's Terminate-Request, once received: the reason when nothing more precise is known.</summary>
    private string? _peerTerminated;

    private static LinkFailure PeerTerminated(string reason) => LinkFailure.Hangup($"the peer terminated the link: {reason}");

    /// <summary>A line lost after the peer's Terminate-Request is that termination, not a modem fault.</summary>
    private LinkFailure HangupOrPeerTerminated(string modemReason) =>
        _peerTerminated is { } peer ? PeerTerminated(peer) : LinkFailure.Hangup(modemReason);

    /// <summary>The first failure is the one reported: later ones are consequences of it.</summary>
    private void Fail(LinkFailure failure)
    {
        if (_failure is not null)
            return;
        _failure = failure;
        _log.Warning("{Link}: {Failure}", Name, failure.ToString());
    }

    private void UpdateModem(ModemInfo? modem)
    {
        if (modem is null)
            return;
        _modem = _modem is null ? modem : _modem.Merge(modem);
        _log.Info("{Link}: modem: {Modem}", Name, _modem.Describe());
        Context.System.EventStream.Publish(new LinkProtocol.ModemInfoUpdated(Name, _modem));
    }

    private void SetPhase(LinkProtocol.Phase phase, string? detail)
    {
        if (_phase == phase)
            return;
        _phase = phase;
        _log.Info("{Link}: phase {Phase}{Detail}", Name, phase, detail is null ? "" : $" ({detail})");
        Context.System.EventStream.Publish(new LinkProtocol.PhaseChanged(Name, phase, detail));
    }

    private sealed record MaxConnectReached
    {
        public static MaxConnectReached Instance { get; } = new();
    }

    private sealed record TerminateBoundReached
    {
        public static TerminateBoundReached Instance { get; } = new();
    }

    private sealed record FramingDrainBoundReached
    {
        public static FramingDrainBoundReached Instance { get; } = new();
    }

    private sealed record PortCloseBoundReached
    {
        public static PortCloseBoundReached Instance { get; } = new();
    }
}
