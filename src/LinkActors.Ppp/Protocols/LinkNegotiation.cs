using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Protocols;

/// <summary>
/// One end of a link's negotiation, pure: an LCP engine, the authentication machines of both roles,
/// and the NCP engines (IPCP, IPV6CP), moved through the phases of RFC 1661 §3.2 as pppd does
/// (auth.c): LCP up, then Authenticate when either side asked for it, then Network, where the NCPs
/// open; LCP down takes everything above it down. Frames are routed by <see cref="LinkPhaseRules"/>.
/// Every call returns what the owner must do; time comes in as <see cref="TimerFired"/>.
/// Not thread-safe: one owner calls it.
/// </summary>
public sealed class LinkNegotiation
{
    private readonly LinkNegotiationSettings _settings;
    private readonly IRandomSource _random;
    private readonly ControlEngine _lcp;
    private readonly ControlEngine? _ipcp;
    private readonly ControlEngine? _ipv6cp;
    private readonly AuthSetup _auth;
    private readonly HashSet<ushort> _up = [];
    private List<LinkOutput> _outputs = [];

    private IAuthMachine? _papClient;
    private IAuthMachine? _chapClient;
    private IAuthMachine? _papServer;
    private IAuthMachine? _chapServer;
    private bool _clientDone;
    private bool _serverDone;
    private bool _inNetwork;
    private bool _lowerUp;

    public LinkNegotiation(LinkNegotiationSettings settings, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(random);
        _settings = settings;
        _random = random;

        _auth = new AuthSetup(settings);
        var lcpSettings = _auth.LcpSettings;

        Lcp = new LcpPolicy(lcpSettings, random);
        _lcp = new ControlEngine(Lcp, settings.Engine);
        if (settings.Ipcp is { } ipcp)
        {
            Ipcp = new IpcpPolicy(ipcp);
            _ipcp = new ControlEngine(Ipcp, settings.Engine);
        }
        if (settings.Ipv6cp is { } ipv6cp)
        {
            Ipv6cp = new Ipv6cpPolicy(ipv6cp, random);
            _ipv6cp = new ControlEngine(Ipv6cp, settings.Engine);
        }
    }

    public LcpPolicy Lcp { get; }
    public IpcpPolicy? Ipcp { get; }
    public Ipv6cpPolicy? Ipv6cp { get; }
    public ControlEngine LcpEngine => _lcp;
    public ControlEngine? IpcpEngine => _ipcp;
    public ControlEngine? Ipv6cpEngine => _ipv6cp;

    public LinkPhase Phase { get; private set; } = LinkPhase.Dead;

    /// <summary>The name the peer authenticated as, when it had to.</summary>
    public string? PeerName { get; private set; }

    /// <summary>Why the link last failed (authentication, a refused result, a loop), or null.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Frames dropped by the phase rules (RFC 1661 §3.4-3.5).</summary>
    public long DiscardedFrames { get; private set; }

    /// <summary>True when the control protocol is Opened and its result was accepted.</summary>
    public bool IsUp(ushort protocol) => _up.Contains(protocol);

    /// <summary>Whether a data frame of <paramref name="protocol"/> may pass: its NCP is up (RFC 1661 §3.6).</summary>
    public bool AcceptsData(ushort protocol) =>
        Phase == LinkPhase.Network && LinkPhaseRules.NetworkControlProtocolFor(protocol) is { } ncp && _up.Contains(ncp);

    /// <summary>The link is administratively allowed up (LCP Open).</summary>
    public IReadOnlyList<LinkOutput> Open()
    {
        Begin();
        ApplyEngine(_lcp, LinkTimer.Lcp, _lcp.Open());
        return End();
    }

    /// <summary>The physical link is up (the modem said CONNECT): LCP Up.</summary>
    public IReadOnlyList<LinkOutput> LowerUp()
    {
        Begin();
        _lowerUp = true;
        ApplyEngine(_lcp, LinkTimer.Lcp, _lcp.Up());
        return End();
    }

    /// <summary>The physical link is gone (carrier lost): LCP Down.</summary>
    public IReadOnlyList<LinkOutput> LowerDown()
    {
        Begin();
        _lowerUp = false;
        ApplyEngine(_lcp, LinkTimer.Lcp, _lcp.Down());
        return End();
    }

    /// <summary>Take the link down: LCP Close, which first takes everything above it down.</summary>
    public IReadOnlyList<LinkOutput> Close(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Begin();
        ApplyEngine(_lcp, LinkTimer.Lcp, _lcp.Close(reason));
        return End();
    }

    /// <summary>Sends an LCP Echo-Request (keepalive); nothing unless LCP is Opened.</summary>
    public IReadOnlyList<LinkOutput> SendEchoRequest(ReadOnlySpan<byte> data)
    {
        Begin();
        ApplyEngine(_lcp, LinkTimer.Lcp, _lcp.SendEchoRequest(data));
        return End();
    }

    /// <summary>A frame arrived: its protocol field and information field.</summary>
    public IReadOnlyList<LinkOutput> Receive(ushort protocol, ReadOnlySpan<byte> information)
    {
        Begin();
        switch (LinkPhaseRules.Classify(Phase, protocol, Supports(protocol)))
        {
            case FrameDisposition.Discard:
                DiscardedFrames++;
                break;
            case FrameDisposition.ProtocolReject:
                // RFC 1661 §5.7: the rejected information is truncated to the peer's MRU.
                ApplyEngine(_lcp, LinkTimer.Lcp, _lcp.SendProtocolReject(protocol, information, Lcp.PeerMru));
                break;
            default:
                Deliver(protocol, information);
                break;
        }
        return End();
    }

    /// <summary>A timer the owner started has fired.</summary>
    public IReadOnlyList<LinkOutput> TimerFired(LinkTimer timer)
    {
        Begin();
        switch (timer)
        {
            case LinkTimer.Lcp:
                ApplyEngine(_lcp, timer, _lcp.Timeout());
                break;
            case LinkTimer.Ipcp when _ipcp is not null:
                ApplyEngine(_ipcp, timer, _ipcp.Timeout());
                break;
            case LinkTimer.Ipv6cp when _ipv6cp is not null:
                ApplyEngine(_ipv6cp, timer, _ipv6cp.Timeout());
                break;
            case LinkTimer.AuthClient:
                if (_papClient is not null)
                    ApplyAuth(AuthRole.Client, AuthMethod.Pap, _papClient.Timeout());
                else if (_chapClient is not null)
                    ApplyAuth(AuthRole.Client, AuthMethod.ChapMd5, _chapClient.Timeout());
                break;
            case LinkTimer.AuthServer:
                if (_papServer is not null)
                    ApplyAuth(AuthRole.Server, AuthMethod.Pap, _papServer.Timeout());
                else if (_chapServer is not null)
                    ApplyAuth(AuthRole.Server, AuthMethod.ChapMd5, _chapServer.Timeout());
                break;
        }
        return End();
    }

    private bool Supports(ushort protocol) => protocol switch
    {
        PppProtocol.Lcp => true,
        // Like pppd, PAP and CHAP are always heard; a machine that is not running ignores the packet.
        PppProtocol.Pap or PppProtocol.Chap => true,
        PppProtocol.Ipcp or PppProtocol.Ipv4 => _ipcp is not null,
        PppProtocol.Ipv6cp or PppProtocol.Ipv6 => _ipv6cp is not null,
        _ => false,
    };

    private void Deliver(ushort protocol, ReadOnlySpan<byte> information)
    {
        switch (protocol)
        {
            case PppProtocol.Lcp:
                ApplyEngine(_lcp, LinkTimer.Lcp, _lcp.Receive(information));
                if (Lcp.LoopbackDetected && _lcp.State is ControlState.ReqSent or ControlState.AckRcvd or ControlState.AckSent)
                {
                    // RFC 1661 §6.4; pppd: "Serial line is looped back."
                    FailureReason = "serial line is looped back";
                    ApplyEngine(_lcp, LinkTimer.Lcp, _lcp.Close("Loopback detected"));
                }
                break;
            case PppProtocol.Pap:
                if (_papClient is not null)
                    ApplyAuth(AuthRole.Client, AuthMethod.Pap, _papClient.Receive(information));
                if (_papServer is not null)
                    ApplyAuth(AuthRole.Server, AuthMethod.Pap, _papServer.Receive(information));
                break;
            case PppProtocol.Chap:
                if (_chapClient is not null)
                    ApplyAuth(AuthRole.Client, AuthMethod.ChapMd5, _chapClient.Receive(information));
                if (_chapServer is not null)
                    ApplyAuth(AuthRole.Server, AuthMethod.ChapMd5, _chapServer.Receive(information));
                break;
            case PppProtocol.Ipcp when _ipcp is not null:
                ApplyEngine(_ipcp, LinkTimer.Ipcp, _ipcp.Receive(information));
                break;
            case PppProtocol.Ipv6cp when _ipv6cp is not null:
                ApplyEngine(_ipv6cp, LinkTimer.Ipv6cp, _ipv6cp.Receive(information));
                break;
            // Data frames are the owner's: it asks AcceptsData.
        }
    }

    private void ApplyEngine(ControlEngine engine, LinkTimer timer, IReadOnlyList<EngineOutput> outputs)
    {
        bool isLcp = ReferenceEquals(engine, _lcp);
        foreach (var output in outputs)
        {
            switch (output)
            {
                case SendControl send:
                    Emit(new SendFrame(send.Protocol, send.Packet));
                    break;
                case StartRestartTimer start:
                    Emit(new StartTimer(timer, start.After));
                    break;
                case StopRestartTimer:
                    Emit(new StopTimer(timer));
                    break;
                case ThisLayerUp when isLcp:
                    LcpUp();
                    break;
                case ThisLayerUp:
                    NcpUp(engine, timer);
                    break;
                case ThisLayerDown when isLcp:
                    LcpDown();
                    break;
                case ThisLayerDown:
                    if (_up.Remove(engine.Protocol))
                        Emit(new ProtocolDown(engine.Protocol));
                    break;
                case ThisLayerStarted when isLcp:
                    Emit(new PhysicalLayerNeeded());
                    break;
                case ThisLayerFinished finished when isLcp:
                    FailureReason ??= _lcp.LastFailureReason;
                    Emit(new LinkFinished(finished.Reason));
                    break;
                case ThisLayerFinished:
                    NcpFinished();
                    break;
                case ProtocolRejectReceived rejected:
                    ProtocolRejected(rejected.Protocol);
                    break;
                case ThisLayerStarted:
                    // An NCP needs LCP, which is up whenever an NCP runs.
                    break;
                default:
                    Emit(new EngineReport(engine.Protocol, output));
                    break;
            }
        }
        UpdatePhase();
    }

    private void ApplyAuth(AuthRole role, AuthMethod method, IReadOnlyList<EngineOutput> outputs)
    {
        var timer = role == AuthRole.Client ? LinkTimer.AuthClient : LinkTimer.AuthServer;
        foreach (var output in outputs)
        {
            switch (output)
            {
                case SendControl send:
                    Emit(new SendFrame(send.Protocol, send.Packet));
                    break;
                case StartRestartTimer start:
                    Emit(new StartTimer(timer, start.After));
                    break;
                case StopRestartTimer:
                    Emit(new StopTimer(timer));
                    break;
                case AuthSucceeded success:
                    AuthenticationSucceeded(role, method, success);
                    break;
                case AuthFailed failure:
                    AuthenticationFailedWith(role, method, failure.Reason);
                    break;
            }
        }
        UpdatePhase();
    }

    private void LcpUp()
    {
        // RFC 1661 §5.6-5.8: replies of every protocol must fit the peer's MRU.
        foreach (var engine in Engines())
            engine.PeerMru = Lcp.PeerMru;
        if (Lcp.CheckUp() is { } reason)
        {
            FailureReason = reason;
            ApplyEngine(_lcp, LinkTimer.Lcp, _lcp.Close(reason));
            return;
        }
        _up.Add(PppProtocol.Lcp);
        Emit(new ProtocolUp(PppProtocol.Lcp));
        UpdatePhase();
        StartAuthentication();
    }

    private void StartAuthentication()
    {
        // RFC 1661 §3.5: authentication follows LCP, in both directions at once when both asked.
        _clientDone = Lcp.AuthWeMustDo == AuthMethod.None;
        _serverDone = Lcp.AuthPeerMustDo == AuthMethod.None;
        switch (Lcp.AuthWeMustDo)
        {
            case AuthMethod.Pap:
                _papClient = _auth.CreateClient(AuthMethod.Pap)!;
                ApplyAuth(AuthRole.Client, AuthMethod.Pap, _papClient.Start());
                break;
            case AuthMethod.ChapMd5:
                _chapClient = _auth.CreateClient(AuthMethod.ChapMd5)!;
                ApplyAuth(AuthRole.Client, AuthMethod.ChapMd5, _chapClient.Start());
                break;
        }
        switch (Lcp.AuthPeerMustDo)
        {
            case AuthMethod.Pap:
                _papServer = _auth.CreateServer(AuthMethod.Pap, _random)!;
                ApplyAuth(AuthRole.Server, AuthMethod.Pap, _papServer.Start());
                break;
            case AuthMethod.ChapMd5:
                _chapServer = _auth.CreateServer(AuthMethod.ChapMd5, _random)!;
                ApplyAuth(AuthRole.Server, AuthMethod.ChapMd5, _chapServer.Start());
                break;
        }
        EnterNetworkWhenAuthenticated();
    }

    private void AuthenticationSucceeded(AuthRole role, AuthMethod method, AuthSucceeded success)
    {
        if (role == AuthRole.Server)
        {
            _serverDone = true;
            PeerName = success.PeerName;
            Ipcp?.AuthorizePeer(success.Addresses);
        }
        else
        {
            _clientDone = true;
        }
        Emit(new Authenticated(role, method, success.PeerName));
        EnterNetworkWhenAuthenticated();
    }

    private void AuthenticationFailedWith(AuthRole role, AuthMethod method, string reason)
    {
        FailureReason = reason;
        Emit(new AuthenticationFailed(role, method, reason));
        // pppd's auth_peer_fail and auth_withpeer_fail close LCP with these words.
        string close = role == AuthRole.Server ? "Authentication failed" : "Failed to authenticate ourselves to peer";
        ApplyEngine(_lcp, LinkTimer.Lcp, _lcp.Close(close));
    }

    private void EnterNetworkWhenAuthenticated()
    {
        if (_inNetwork || !_clientDone || !_serverDone || _lcp.State != ControlState.Opened)
            return;
        _inNetwork = true;
        UpdatePhase();
        var ncps = Ncps().ToList();
        if (ncps.Count == 0)
        {
            // pppd: with no network protocol enabled there is nothing to carry.
            FailureReason = "no network protocols running";
            ApplyEngine(_lcp, LinkTimer.Lcp, _lcp.Close("No network protocols running"));
            return;
        }
        foreach (var (engine, timer) in ncps)
        {
            ApplyEngine(engine, timer, engine.Up());
            ApplyEngine(engine, timer, engine.Open());
        }
    }

    private void NcpUp(ControlEngine engine, LinkTimer timer)
    {
        if (engine.Policy is IUpCheck check && check.CheckUp() is { } reason)
        {
            FailureReason = $"{engine.Name}: {reason}";
            ApplyEngine(engine, timer, engine.Close(reason));
            return;
        }
        _up.Add(engine.Protocol);
        Emit(new ProtocolUp(engine.Protocol));
    }

    private void NcpFinished()
    {
        // pppd (np_finished): when the last network protocol is finished, the link has no purpose.
        if (!_inNetwork || _lcp.State != ControlState.Opened)
            return;
        bool anyAlive = Ncps().Any(n => n.Engine.State is ControlState.Closing or ControlState.Stopping
            or ControlState.ReqSent or ControlState.AckRcvd or ControlState.AckSent or ControlState.Opened);
        if (!anyAlive)
            ApplyEngine(_lcp, LinkTimer.Lcp, _lcp.Close("No network protocols running"));
    }

    private void ProtocolRejected(ushort protocol)
    {
        switch (protocol)
        {
            case PppProtocol.Ipcp when _ipcp is not null:
                ApplyEngine(_ipcp, LinkTimer.Ipcp, _ipcp.ProtocolRejected());
                break;
            case PppProtocol.Ipv6cp when _ipv6cp is not null:
                ApplyEngine(_ipv6cp, LinkTimer.Ipv6cp, _ipv6cp.ProtocolRejected());
                break;
            case PppProtocol.Pap or PppProtocol.Chap:
                if (AuthRules.ProtocolRejected(protocol, Lcp.AuthPeerMustDo, _serverDone, Lcp.AuthWeMustDo, _clientDone) is { } failed)
                    AuthenticationFailedWith(failed.Role, AuthRules.MethodOf(protocol), failed.Reason);
                break;
        }
    }

    private void LcpDown()
    {
        // RFC 1661 §3.7 and pppd's link_down: everything above LCP goes down with it.
        foreach (var (engine, timer) in Ncps())
            ApplyEngine(engine, timer, engine.Down());
        StopAuthentication();
        _inNetwork = false;
        if (_up.Remove(PppProtocol.Lcp))
            Emit(new ProtocolDown(PppProtocol.Lcp));
    }

    private void StopAuthentication()
    {
        if (_papClient is not null)
            ApplyAuth(AuthRole.Client, AuthMethod.Pap, _papClient.Stop());
        if (_chapClient is not null)
            ApplyAuth(AuthRole.Client, AuthMethod.ChapMd5, _chapClient.Stop());
        if (_papServer is not null)
            ApplyAuth(AuthRole.Server, AuthMethod.Pap, _papServer.Stop());
        if (_chapServer is not null)
            ApplyAuth(AuthRole.Server, AuthMethod.ChapMd5, _chapServer.Stop());
        _papClient = null;
        _chapClient = null;
        _papServer = null;
        _chapServer = null;
    }

    private void UpdatePhase()
    {
        var phase = !_lowerUp ? LinkPhase.Dead : _lcp.State switch
        {
            ControlState.Opened => _inNetwork ? LinkPhase.Network : LinkPhase.Authenticate,
            ControlState.ReqSent or ControlState.AckRcvd or ControlState.AckSent => LinkPhase.Establish,
            ControlState.Closing or ControlState.Stopping => LinkPhase.Terminate,
            _ => LinkPhase.Dead,
        };
        if (phase == Phase)
            return;
        Phase = phase;
        Emit(new PhaseChanged(phase));
    }

    private IEnumerable<ControlEngine> Engines()
    {
        yield return _lcp;
        foreach (var (engine, _) in Ncps())
            yield return engine;
    }

    private IEnumerable<(ControlEngine Engine, LinkTimer Timer)> Ncps()
    {
        if (_ipcp is not null)
            yield return (_ipcp, LinkTimer.Ipcp);
        if (_ipv6cp is not null)
            yield return (_ipv6cp, LinkTimer.Ipv6cp);
    }

    private void Begin() => _outputs = [];

    private List<LinkOutput> End()
    {
        UpdatePhase();
        return _outputs;
    }

    private void Emit(LinkOutput output) => _outputs.Add(output);

}
