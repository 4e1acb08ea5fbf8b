using System.Net;
using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Framing;
using LinkActors.Actors.Network;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Actors.Link;

public sealed partial class LinkSupervisor
{
    private readonly Dictionary<ushort, IActorRef> _control = [];
    private readonly Dictionary<ushort, IActorRef> _authActors = [];
    private readonly Dictionary<string, string> _layers = [];
    private readonly HashSet<ushort> _opened = [];
    private IActorRef? _framing;
    private IActorRef? _network;
    private IActorRef? _lcp;
    private Negotiated.Lcp? _lcpResult;
    private Negotiated.Ipcp? _ipcpResult;
    private bool _clientAuthDone;
    private bool _serverAuthDone;
    private const int EarlyFramesBound = 16;
    private readonly HashSet<ushort> _finishedNcps = [];
    private readonly List<FramingProtocol.FrameReceived> _earlyFrames = [];
    private long _discardedFrames;
    private AllowedAddresses? _peerAddresses;
    private string? _peerName;
    private int _authGeneration;

    private void Negotiating()
    {
        Receive<ControlProtocol.LayerStarted>(_ => { });
        Receive<ControlProtocol.LayerRefused>(r =>
        {
            // pppd exits 11 when the peer will not authenticate as required (auth.c, link_established).
            Fail(r.Kind == UpRefusalKind.PeerWillNotAuthenticate
                ? LinkFailure.PeerAuthFailed(LayerReason.Of(r.Name, r.Reason))
                : LinkFailure.NegotiationFailed(LayerReason.Of(r.Name, r.Reason)));
        });
        Receive<ControlProtocol.StateChanged>(c =>
        {
            _layers[c.Name] = c.To.ToString();
            Context.System.EventStream.Publish(new LinkProtocol.LayerChanged(Name, c.Name, c.From.ToString(), c.To.ToString()));
        });
        Receive<ControlProtocol.LayerUp>(u => u.Protocol == PppProtocol.Lcp, u => LcpUp((Negotiated.Lcp)u.Negotiated!, u.Description));
        Receive<ControlProtocol.LayerUp>(NcpUp);
        Receive<ControlProtocol.LayerDown>(d => d.Protocol == PppProtocol.Lcp, d =>
        {
            // pppd logs "LCP terminated by peer" on receipt. It is the reason unless a more precise one
            // comes with it (the peer's CHAP Failure travels through another actor and may arrive
            // just after); a line that vanishes right after (the peer hangs up) is its consequence.
            if (d.PeerTerminated is { } reason && _peerTerminated is null)
            {
                _peerTerminated = reason;
                _log.Warning("{Link}: the peer terminated the link: {Reason}", Name, reason);
            }
            LcpDown();
        });
        Receive<ControlProtocol.LayerDown>(NcpDown);
        Receive<ControlProtocol.LayerFinished>(f => f.Protocol == PppProtocol.Lcp, LcpFinished);
        Receive<ControlProtocol.LayerFinished>(f =>
        {
            _log.Info("{Link}: {Layer} finished: {Reason}", Name, f.Name, LayerReason.Strip(f.Name, f.Reason));
            // pppd (np_finished): once every network protocol that was started has finished, the link
            // has no purpose; one still negotiating (IPCP, while IPv6CP was Protocol-Rejected) keeps it.
            _finishedNcps.Add(f.Protocol);
            if (_phase == LinkProtocol.Phase.Network && _control.Keys.Where(p => p != PppProtocol.Lcp).All(_finishedNcps.Contains))
            {
                Fail(LinkFailure.NegotiationFailed(LayerReason.Of(f.Name, f.Reason)));
                Terminate("No network protocols running");
            }
        });
        Receive<ControlProtocol.ProtocolRejectReceived>(r =>
        {
            if (_control.TryGetValue(r.RejectedProtocol, out var actor) && r.RejectedProtocol != PppProtocol.Lcp)
                actor.Tell(ControlProtocol.PeerRejectedProtocol.Instance);
            else if (_phase == LinkProtocol.Phase.Authenticate && _lcpResult is { } lcp
                && AuthRules.ProtocolRejected(r.RejectedProtocol, lcp.AuthPeerMustDo, _serverAuthDone, lcp.AuthWeMustDo, _clientAuthDone) is { } failed)
                AuthFailed(new Authentication.Failed(failed.Protocol, failed.Role, failed.Reason));
        });
        Receive<ControlProtocol.EchoFailed>(e =>
        {
            Fail(LinkFailure.PeerDead($"No response to {e.Unanswered} echo-requests: the peer is not answering LCP echo"));
            Terminate("Peer not responding");
        });
        Receive<ControlProtocol.EchoAnswered>(e =>
        {
            _lastEchoAnswer = Context.System.Scheduler.Now;
            Context.System.EventStream.Publish(new LinkProtocol.EchoRoundTrip(Name, e.RoundTrip));
        });
        Receive<ControlProtocol.LoopbackDetected>(l =>
        {
            // A modem that restarted is in command mode with its echo back on: our own frames come
            // back, which is what a loop looks like (RFC 1661 §6.4). Say what happened.
            Fail(_modemRestartHeard
                ? ModemRestarted("it is back in command mode and echoes our frames")
                : LinkFailure.Loopback($"the line is looped back (our magic number 0x{l.Magic:x8} came back)"));
            Terminate("Loopback detected");
        });
        // An auth actor retired by LCP going down: only a failure still counts, as the link's reason.
        Receive<Authentication.Succeeded>(_ => !_authActors.ContainsValue(Sender), _ => { });
        Receive<Authentication.Failed>(_ => !_authActors.ContainsValue(Sender), f => Fail(f.Role == AuthRole.Server
            ? LinkFailure.PeerAuthFailed($"the peer failed to authenticate itself: {f.Reason}")
            : LinkFailure.AuthToPeerFailed($"we failed to authenticate ourselves to the peer: {f.Reason}")));
        Receive<Authentication.Succeeded>(AuthSucceeded);
        Receive<Authentication.Failed>(AuthFailed);
        Receive<FramingProtocol.FrameReceived>(Unrouted);
    }

    /// <summary>Establish: framing takes the line from chat, and LCP starts (RFC 1661 §3.3).</summary>
    private void Establish(ReadOnlyMemory<byte> unread)
    {
        _connectedAt = Context.System.Scheduler.Now;
        SetPhase(LinkProtocol.Phase.Establish, null);
        // Transmit as an unconfigured link (RFC 1662 §7.1), but receive with the ACCM we are about to
        // ask for: the peer starts using it once its LCP is Opened, which can be before ours, and its
        // first frames (a PAP Authenticate-Request right behind its Configure-Ack) would otherwise
        // lose their unescaped control octets (RFC 1662 §4.2) and their FCS with them.
        var framingSettings = FramingSettings.Default with
        {
            Mru = Math.Max(_settings.Lcp.Mru, FramingSettings.DefaultMru),
            ReceiveAccm = _settings.Lcp.DefaultAsyncmap ? FramingSettings.Default.ReceiveAccm : _settings.Lcp.Asyncmap,
        };
        _framing = Context.ActorOf(HdlcFramingActor.Props(FramingLine(), framingSettings, Self, _settings.Record, unread), "framing");
        Context.Watch(_framing);
        _lcp = StartControl(PppProtocol.Lcp, () => new LcpPolicy(_auth.LcpSettings, _dependencies.Random), _settings.Lcp.Counters,
            new EchoSettings(_settings.Lcp.EchoInterval, _settings.Lcp.EchoFailure, _settings.Lcp.EchoAdaptive));
        _lcp.Tell(ControlProtocol.Open.Instance);
        // pppd's connect-delay: after a connect script, wait (bounded) for the peer to speak first.
        if (!_settings.Connect.IsEmpty && _settings.ConnectDelay > TimeSpan.Zero)
            _lcp.Tell(new ControlProtocol.DelayedUp(_settings.ConnectDelay));
        else
            _lcp.Tell(ControlProtocol.Up.Instance);
    }

    private IActorRef StartControl(ushort protocol, Func<IControlPolicy> policy, CounterSettings counters, EchoSettings? echo = null, string? name = null)
    {
        var actor = Context.ActorOf(ControlProtocolActor.Props(policy, NegotiationSettingsMapping.Engine(counters, _settings), _framing!, Self,
            echo, Negotiated.Snapshot), name ?? PppProtocol.Name(protocol).ToLowerInvariant());
        _control[protocol] = actor;
        Context.Watch(actor);
        _framing!.Tell(new FramingProtocol.SetRoute(protocol, actor));
        return actor;
    }

    private void LcpUp(Negotiated.Lcp lcp, string description)
    {
        _opened.Add(PppProtocol.Lcp);
        _lcpResult = lcp;
        _log.Info("{Link}: LCP up: {Negotiated}", Name, description);
        // RFC 1662 §7.1: the negotiated ACCM (and ACFC/PFC, RFC 1661 §6.5-6.6) apply once LCP is Opened.
        _framing!.Tell(new FramingProtocol.Configure(new FramingSettings(
            Math.Max(lcp.LocalMru, FramingSettings.DefaultMru), lcp.OurAccm, lcp.PeerAccm, lcp.PeerAcceptsAcfc, lcp.PeerAcceptsPfc)));
        foreach (var actor in _control.Values)
            actor.Tell(new ControlProtocol.SetPeerMru(lcp.PeerMru));
        _clientAuthDone = lcp.AuthWeMustDo == AuthMethod.None;
        _serverAuthDone = lcp.AuthPeerMustDo == AuthMethod.None;
        if (_clientAuthDone && _serverAuthDone)
        {
            EnterNetwork();
            return;
        }
        // RFC 1661 §3.5: authentication in both directions at once when both sides asked for it.
        SetPhase(LinkProtocol.Phase.Authenticate, null);
        foreach (var protocol in new[] { PppProtocol.Pap, PppProtocol.Chap })
        {
            var method = protocol == PppProtocol.Pap ? AuthMethod.Pap : AuthMethod.ChapMd5;
            bool client = lcp.AuthWeMustDo == method, server = lcp.AuthPeerMustDo == method;
            if (!client && !server)
                continue;
            // One retired by an earlier LCP down may still be finishing its mailbox under the plain name.
            var name = PppProtocol.Name(protocol).ToLowerInvariant();
            if (!Context.Child(name).IsNobody())
                name = $"{name}-{++_authGeneration}";
            var actor = Context.ActorOf(AuthActor.Props(protocol,
                () => client ? _auth.CreateClient(method) : null,
                () => server ? _auth.CreateServer(method, _dependencies.Random) : null,
                _framing!, Self), name);
            _authActors[protocol] = actor;
            _framing.Tell(new FramingProtocol.SetRoute(protocol, actor));
            actor.Tell(Authentication.Start.Instance);
        }
        ReplayEarlyFrames();
    }

    private void AuthSucceeded(Authentication.Succeeded ok)
    {
        _log.Info("{Link}: {Protocol} authentication {Direction} succeeded (peer {Peer})", Name, PppProtocol.Name(ok.Protocol),
            ok.Role == AuthRole.Server ? "of the peer" : "to the peer", ok.PeerName);
        Context.System.EventStream.Publish(new LinkProtocol.Authenticated(Name, PppProtocol.Name(ok.Protocol), ok.Role.ToString(), ok.PeerName));
        if (ok.Role == AuthRole.Server)
        {
            _serverAuthDone = true;
            _peerAddresses = ok.Addresses;
            _peerName = ok.PeerName;
        }
        else
        {
            _clientAuthDone = true;
        }
        if (_clientAuthDone && _serverAuthDone && _phase == LinkProtocol.Phase.Authenticate)
            EnterNetwork();
    }

    private void AuthFailed(Authentication.Failed f)
    {
        Fail(f.Role == AuthRole.Server
            ? LinkFailure.PeerAuthFailed($"the peer failed to authenticate itself: {f.Reason}")
            : LinkFailure.AuthToPeerFailed($"we failed to authenticate ourselves to the peer: {f.Reason}"));
        // pppd's auth_peer_fail / auth_withpeer_fail close LCP with these words.
        Terminate(f.Role == AuthRole.Server ? "Authentication failed" : "Failed to authenticate ourselves to peer");
    }

    /// <summary>Network: the NCPs start; data flows once each is Opened (RFC 1661 §3.6).</summary>
    private void EnterNetwork()
    {
        _finishedNcps.Clear();
        SetPhase(LinkProtocol.Phase.Network, null);
        _network ??= Context.Watch(Context.ActorOf(_dependencies.NetworkProps(_framing!), "network"));
        var started = new List<IActorRef>();
        if (_negotiation.Ipcp is { } ipcp)
        {
            var peerAddresses = _peerAddresses;
            started.Add(_control.GetValueOrDefault(PppProtocol.Ipcp) ?? StartControl(PppProtocol.Ipcp, () =>
            {
                var policy = new IpcpPolicy(ipcp);
                policy.AuthorizePeer(peerAddresses);
                return policy;
            }, _settings.Ipcp.Counters));
        }
        if (_negotiation.Ipv6cp is { } ipv6cp)
            started.Add(_control.GetValueOrDefault(PppProtocol.Ipv6cp) ?? StartControl(PppProtocol.Ipv6cp,
                () => new Ipv6cpPolicy(ipv6cp, _dependencies.Random), _settings.Ipv6cp.Counters));
        if (started.Count == 0)
        {
            Fail(LinkFailure.NegotiationFailed("no network protocols are enabled"));
            Terminate("No network protocols running");
            return;
        }
        foreach (var actor in started)
        {
            if (_lcpResult is { } lcp)
                actor.Tell(new ControlProtocol.SetPeerMru(lcp.PeerMru));
            actor.Tell(ControlProtocol.Open.Instance);
            actor.Tell(ControlProtocol.Up.Instance);
        }
        ReplayEarlyFrames();
    }

    private void NcpUp(ControlProtocol.LayerUp up)
    {
        _opened.Add(up.Protocol);
        _log.Info("{Link}: {Layer} up: {Negotiated}", Name, up.Name, up.Description);
        switch (up.Negotiated)
        {
            case Negotiated.Ipcp ipcp:
                _ipcpResult = ipcp;
                _ipcpAddress = ipcp.Local;
                _upSince ??= Context.System.Scheduler.Now;
                _framing!.Tell(new FramingProtocol.SetRoute(PppProtocol.Ipv4, _network!));
                _network!.Tell(new NetworkProtocol.Ipv4Up(ipcp, _lcpResult, _peerName));
                Context.System.EventStream.Publish(new LinkProtocol.Up(Name, ipcp.Local, ipcp.Remote, ipcp.Dns1, ipcp.Dns2, up.Description));
                StartWatching(ipcp);
                break;
            case Negotiated.Ipv6cp ipv6:
                _upSince ??= Context.System.Scheduler.Now;
                _framing!.Tell(new FramingProtocol.SetRoute(PppProtocol.Ipv6, _network!));
                _network!.Tell(new NetworkProtocol.Ipv6Up(ipv6, _lcpResult, _peerName));
                Context.System.EventStream.Publish(new LinkProtocol.Ipv6Up(Name, ipv6.LocalInterfaceId, ipv6.PeerInterfaceId));
                break;
        }
    }

    private void NcpDown(ControlProtocol.LayerDown down)
    {
        _opened.Remove(down.Protocol);
        _log.Info("{Link}: {Layer} down", Name, down.Name);
        if (down.Protocol == PppProtocol.Ipcp)
        {
            StopWatching();
            _framing?.Tell(new FramingProtocol.RemoveRoute(PppProtocol.Ipv4));
            _network?.Tell(new NetworkProtocol.Ipv4Down($"{down.Name} down"));
            _ipcpResult = null;
        }
        else if (down.Protocol == PppProtocol.Ipv6cp)
        {
            _framing?.Tell(new FramingProtocol.RemoveRoute(PppProtocol.Ipv6));
            _network?.Tell(new NetworkProtocol.Ipv6Down($"{down.Name} down"));
        }
    }

    /// <summary>LCP left Opened: everything above it goes down; LCP may renegotiate (RFC 1661 §3.7).</summary>
    private void LcpDown()
    {
        _earlyFrames.Clear();
        _opened.Remove(PppProtocol.Lcp);
        _lcpResult = null;
        foreach (var (protocol, actor) in _control)
            if (protocol != PppProtocol.Lcp)
                actor.Tell(ControlProtocol.Down.Instance);
        // Stopped behind what they already hold: the peer's CHAP Failure or PAP Nak comes with its
        // Terminate-Request, often in the same read, and is the more precise reason (pppd's
        // auth_withpeer_fail). Context.Stop would overtake it in the mailbox and lose it.
        foreach (var actor in _authActors.Values)
            actor.Tell(PoisonPill.Instance);
        _authActors.Clear();
        // Send as an unconfigured link does (RFC 1662 §7.1), but receive laxly: the peer's last frames
        // (its Terminate-Request or -Ack) still come with the ACCM we agreed, unescaped control bytes and all.
        _framing?.Tell(new FramingProtocol.Configure(FramingSettings.Default with
        {
            Mru = Math.Max(_settings.Lcp.Mru, FramingSettings.DefaultMru),
            ReceiveAccm = 0,
        }));
        if (_phase is LinkProtocol.Phase.Authenticate or LinkProtocol.Phase.Network)
            SetPhase(LinkProtocol.Phase.Establish, "LCP down");
    }

    /// <summary>LCP is finished with the line: the attempt is over (RFC 1661 §3.7 Link Termination).</summary>
    private void LcpFinished(ControlProtocol.LayerFinished finished)
    {
        _log.Info("{Link}: LCP finished: {Reason}", Name, LayerReason.Strip("LCP", finished.Reason));
        Fail(finished.ByPeer || _peerTerminated is not null
            ? PeerTerminated(finished.Reason)
            : LinkFailure.NegotiationFailed(LayerReason.Of("LCP", finished.Reason)));
        Disconnect();
    }

    /// <summary>Frames no layer has claimed: judged by phase (RFC 1661 §3.4-3.6, §5.7).</summary>
    private void Unrouted(FramingProtocol.FrameReceived frame)
    {
        if (_phase == LinkProtocol.Phase.Establish && frame.Protocol != PppProtocol.Lcp)
        {
            // The peer has our Configure-Ack and may already speak the next layer; its frame can
            // reach us before our LCP actor reports Opened, even before it reports the Configure-Ack
            // it sent (the frames and the LCP's reports come through different actors). Hold a few
            // and judge them once the phase has moved on: in Network phase they are delivered or
            // Protocol-Rejected; if LCP never opens they are discarded with the link (RFC 1661 §3.4).
            if (_earlyFrames.Count < EarlyFramesBound)
                _earlyFrames.Add(frame);
            else
                _discardedFrames++;
            return;
        }
        var phase = _phase switch
        {
            LinkProtocol.Phase.Establish => LinkPhase.Establish,
            LinkProtocol.Phase.Authenticate => LinkPhase.Authenticate,
            LinkProtocol.Phase.Network => LinkPhase.Network,
            LinkProtocol.Phase.Terminate => LinkPhase.Terminate,
            _ => LinkPhase.Dead,
        };
        bool supported = frame.Protocol is PppProtocol.Ipv4 && _negotiation.Ipcp is not null
            || frame.Protocol is PppProtocol.Ipv6 && _negotiation.Ipv6cp is not null
            || _control.ContainsKey(frame.Protocol) || _authActors.ContainsKey(frame.Protocol);
        switch (LinkPhaseRules.Classify(phase, frame.Protocol, supported))
        {
            case FrameDisposition.Deliver when (_control.GetValueOrDefault(frame.Protocol) ?? _authActors.GetValueOrDefault(frame.Protocol)) is { } layer:
                layer.Tell(frame);
                break;
            case FrameDisposition.ProtocolReject when _lcp is not null && _opened.Contains(PppProtocol.Lcp):
                _log.Debug("{Link}: Protocol-Reject for {Protocol}", Name, PppProtocol.Name(frame.Protocol));
                _lcp.Tell(new ControlProtocol.SendProtocolReject(frame.Protocol, frame.Information));
                break;
            default:
                // A supported data protocol whose NCP is not Opened yet is discarded too (§3.6).
                _discardedFrames++;
                break;
        }
    }

    /// <summary>Frames held while LCP was opening, judged now that the phase has moved on.</summary>
    private void ReplayEarlyFrames()
    {
        if (_earlyFrames.Count == 0)
            return;
        var early = _earlyFrames.ToArray();
        _earlyFrames.Clear();
        foreach (var frame in early)
            Unrouted(frame);
    }

    /// <summary>The line is gone under PPP: tell LCP (RFC 1661 §4.3 Down).</summary>
    private void LowerDown() => _lcp?.Tell(ControlProtocol.Down.Instance);

    private void StopNegotiationLayers()
    {
        StopWatching();
        foreach (var actor in _control.Values.Concat(_authActors.Values))
            Context.Stop(actor);
        _control.Clear();
        _authActors.Clear();
        _opened.Clear();
        _lcp = null;
        if (_network is not null)
        {
            Context.Unwatch(_network);
            Context.Stop(_network);
            _network = null;
        }
        // The framing is not stopped here: Disconnect drains it, so its last frames reach the line.
    }

    private bool IsOpened(IActorRef child) => _control.Any(c => c.Value.Equals(child) && _opened.Contains(c.Key));


    private LinkProtocol.Status Status() => new(Name, _phase, new Dictionary<string, string>(_layers),
        _ipcpResult?.Local, _ipcpResult?.Remote, _ipcpResult?.Dns1, _ipcpResult?.Dns2,
        _lcpResult?.ToString(), _modem, _failure, _upSince);
}
