using System.Globalization;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Protocols;

/// <summary>
/// LCP's option logic (RFC 1661 §6, RFC 1662 §7.1, RFC 1994 §3) with pppd's choices: what we ask
/// for (<see cref="WriteRequest"/>), how we judge the peer's request, and how we give in to its
/// Naks and Rejects. The "want" side is what we will ask next; "ours" is what the peer Acked;
/// "peer" is what we Acked.
/// </summary>
public sealed class LcpPolicy : ILcpPolicy, IUpCheck
{
    private const uint AllControlCharacters = 0xFFFFFFFF;

    private readonly LcpSettings _settings;
    private readonly IRandomSource _random;
    private Options _want;
    private Options _ours;
    private Options _peer;
    private int _loops;

    public LcpPolicy(LcpSettings settings, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(random);
        settings.Validate();
        _settings = settings;
        _random = random;
        Reset();
    }

    public ushort Protocol => PppProtocol.Lcp;
    public string Name => "LCP";
    public LcpSettings Settings => _settings;

    /// <summary>The MRU the peer Acked for us: the most it may send us (§6.1: 1500 when not negotiated).</summary>
    public ushort LocalMru => _ours.NegMru ? _ours.Mru : LcpSettings.DefaultMru;

    /// <summary>The peer's MRU as we Acked it: the most we may send (1500 when not negotiated).</summary>
    public ushort PeerMru => _peer.NegMru ? _peer.Mru : LcpSettings.DefaultMru;

    /// <summary>The MTU for the interface: the least of the peer's MRU, our MRU and "mtu" (pppd's lcp_up).</summary>
    public int InterfaceMtu => Math.Min(Math.Min(PeerMru, LocalMru), (int)(_settings.Mtu ?? LcpSettings.MaxMru));

    /// <summary>The ACCM the peer asked for: characters we must escape when sending (RFC 1662 §7.1; all until negotiated).</summary>
    public uint PeerAccm => _peer.NegAccm ? _peer.Accm : AllControlCharacters;

    /// <summary>The ACCM the peer Acked for us: characters it escapes towards us (all until negotiated).</summary>
    public uint OurAccm => _ours.NegAccm ? _ours.Accm : AllControlCharacters;

    /// <summary>The peer asked for PFC and we Acked: we may compress the protocol field we send (§6.5).</summary>
    public bool PeerAcceptsPfc => _peer.Pfc;

    /// <summary>The peer asked for ACFC and we Acked: we may omit address and control fields we send (§6.6).</summary>
    public bool PeerAcceptsAcfc => _peer.Acfc;

    /// <summary>We asked for PFC and the peer Acked: it may send us compressed protocol fields.</summary>
    public bool WeAcceptPfc => _ours.Pfc;

    /// <summary>We asked for ACFC and the peer Acked: it may send us frames without address and control.</summary>
    public bool WeAcceptAcfc => _ours.Acfc;

    /// <summary>What the peer requires of us (its Authentication-Protocol, Acked).</summary>
    public AuthMethod AuthWeMustDo => _peer.Auth;

    /// <summary>What we require of the peer (our Authentication-Protocol, Acked).</summary>
    public AuthMethod AuthPeerMustDo => _ours.Auth;

    public uint LocalMagic => _ours.NegMagic ? _ours.Magic : 0;

    public uint PeerMagic => _peer.NegMagic ? _peer.Magic : 0;

    /// <summary>Magic-Number collisions seen in a row (in the peer's requests and in its Naks of ours).</summary>
    public int MagicCollisions => _loops;

    /// <summary>
    /// RFC 1661 §6.4: our Magic-Number keeps coming back; after <see cref="LcpSettings.LoopbackFail"/>
    /// collisions in a row the line is taken to be looped back and LCP should be closed.
    /// </summary>
    public bool LoopbackDetected => _loops >= _settings.LoopbackFail;

    private bool MayDoPap => !_settings.RefusePap;
    private bool MayDoChap => !_settings.RefuseChap;

    public void Reset()
    {
        _want = new Options
        {
            NegMru = true,
            Mru = _settings.Mru,
            NegAccm = !_settings.DefaultAsyncmap,
            Accm = _settings.Asyncmap,
            WantChap = _settings.RequireChap,
            WantPap = _settings.RequirePap,
            NegMagic = !_settings.NoMagic,
            Magic = _settings.NoMagic ? 0 : _random.NextNonZeroUInt32(),
            Pfc = !_settings.NoPcomp,
            Acfc = !_settings.NoAccomp,
        };
        _want.Auth = RequestedAuth(_want);
        _ours = default;
        _peer = default;
        _loops = 0;
    }

    public void WriteRequest(OptionWriter request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // pppd's order (lcp_addci). The MRU and an all-ones ACCM are the defaults, so asking for them says nothing.
        if (_want.NegMru && _want.Mru != LcpSettings.DefaultMru)
            LcpOption.WriteMru(request, _want.Mru);
        if (_want.NegAccm && _want.Accm != AllControlCharacters)
            LcpOption.WriteAccm(request, _want.Accm);
        switch (RequestedAuth(_want))
        {
            case AuthMethod.ChapMd5:
                LcpOption.WriteAuthProtocol(request, PppProtocol.Chap, LcpOption.ChapMd5);
                break;
            case AuthMethod.Pap:
                LcpOption.WriteAuthProtocol(request, PppProtocol.Pap, null);
                break;
        }
        if (_want.NegMagic)
            LcpOption.WriteMagicNumber(request, _want.Magic);
        if (_want.Pfc)
            LcpOption.WritePfc(request);
        if (_want.Acfc)
            LcpOption.WriteAcfc(request);
    }

    public RequestVerdict JudgeRequest(IReadOnlyList<RawOption> options, OptionWriter reply, bool rejectInsteadOfNak)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reply);
        var answer = new ReplyBuilder(rejectInsteadOfNak);
        var peer = default(Options);
        bool collided = false;
        bool sawMagic = false;
        foreach (var option in options)
        {
            var data = option.Data.Span;
            switch (option.Type)
            {
                case LcpOption.Mru:
                    if (!LcpOption.TryReadMru(data, out ushort mru))
                        answer.Reject(option);
                    else if (mru < LcpSettings.MinMru)
                        // pppd: anything below MINMRU is Nak'd up to it; an MRU that small cannot carry LCP well.
                        answer.Nak(option, w => LcpOption.WriteMru(w, LcpSettings.MinMru));
                    else
                        (peer.NegMru, peer.Mru) = (true, mru);
                    break;

                case LcpOption.Accm:
                    // RFC 1662 §7.1. Our own transmit needs no extra characters escaped, so any map is fine.
                    if (_settings.DefaultAsyncmap || !LcpOption.TryReadAccm(data, out uint accm))
                        answer.Reject(option);
                    else
                        (peer.NegAccm, peer.Accm) = (true, accm);
                    break;

                case LcpOption.AuthProtocol:
                    JudgeAuth(option, answer, ref peer);
                    break;

                case LcpOption.MagicNumber:
                    if (_settings.NoMagic || !LcpOption.TryReadMagicNumber(data, out uint magic))
                    {
                        answer.Reject(option);
                    }
                    else if (magic == 0 || (_want.NegMagic && magic == _want.Magic))
                    {
                        // §6.4: zero is illegal and MUST be Nak'd; our own number means the peer
                        // picked the same, or the line is looped back. Either way suggest another.
                        sawMagic = true;
                        collided |= magic != 0;
                        uint suggestion = NewMagic(_want.Magic);
                        answer.Nak(option, w => LcpOption.WriteMagicNumber(w, suggestion));
                    }
                    else
                    {
                        sawMagic = true;
                        (peer.NegMagic, peer.Magic) = (true, magic);
                    }
                    break;

                case LcpOption.Pfc:
                    if (_settings.NoPcomp || !LcpOption.TryReadPfc(data))
                        answer.Reject(option);
                    else
                        peer.Pfc = true;
                    break;

                case LcpOption.Acfc:
                    if (_settings.NoAccomp || !LcpOption.TryReadAcfc(data))
                        answer.Reject(option);
                    else
                        peer.Acfc = true;
                    break;

                default:
                    // §5.4: options we do not recognise or do not negotiate (Quality, Callback,
                    // Multilink, ...) go back unchanged in a Configure-Reject.
                    answer.Reject(option);
                    break;
            }
        }

        if (collided)
            _loops++;
        else if (sawMagic)
            _loops = 0;

        var verdict = answer.Finish(reply);
        if (verdict == RequestVerdict.Ack)
            _peer = peer;
        return verdict;
    }

    private void JudgeAuth(RawOption option, ReplyBuilder answer, ref Options peer)
    {
        // RFC 1661 §6.2: only one Authentication-Protocol per request; we must be willing to do something.
        if (!(MayDoPap || MayDoChap) || peer.Auth != AuthMethod.None
            || !LcpOption.TryReadAuthProtocol(option.Data.Span, out ushort protocol, out byte? algorithm))
        {
            answer.Reject(option);
            return;
        }
        switch (protocol)
        {
            case PppProtocol.Pap when MayDoPap:
                peer.Auth = AuthMethod.Pap;
                break;
            case PppProtocol.Chap when MayDoChap && algorithm == LcpOption.ChapMd5:
                peer.Auth = AuthMethod.ChapMd5;
                break;
            case PppProtocol.Chap when MayDoChap:
                // MS-CHAP and MS-CHAPv2 (RFC 2433, 2759) are not done here: counter with MD5 (RFC 1994 §3).
                answer.Nak(option, w => LcpOption.WriteAuthProtocol(w, PppProtocol.Chap, LcpOption.ChapMd5));
                break;
            case PppProtocol.Chap:
                answer.Nak(option, w => LcpOption.WriteAuthProtocol(w, PppProtocol.Pap, null));
                break;
            default:
                // PAP when refused, EAP, or an unknown protocol: Nak with what we can do, CHAP first (pppd's order).
                answer.Nak(option, w => _ = MayDoChap
                    ? LcpOption.WriteAuthProtocol(w, PppProtocol.Chap, LcpOption.ChapMd5)
                    : LcpOption.WriteAuthProtocol(w, PppProtocol.Pap, null));
                break;
        }
    }

    public void ApplyAck(IReadOnlyList<RawOption> acked)
    {
        ArgumentNullException.ThrowIfNull(acked);
        var ours = default(Options);
        foreach (var option in acked)
        {
            var data = option.Data.Span;
            switch (option.Type)
            {
                case LcpOption.Mru when LcpOption.TryReadMru(data, out ushort mru):
                    (ours.NegMru, ours.Mru) = (true, mru);
                    break;
                case LcpOption.Accm when LcpOption.TryReadAccm(data, out uint accm):
                    (ours.NegAccm, ours.Accm) = (true, accm);
                    break;
                case LcpOption.AuthProtocol when LcpOption.TryReadAuthProtocol(data, out ushort protocol, out byte? algorithm):
                    ours.Auth = protocol switch
                    {
                        PppProtocol.Pap => AuthMethod.Pap,
                        PppProtocol.Chap when algorithm == LcpOption.ChapMd5 => AuthMethod.ChapMd5,
                        _ => AuthMethod.None,
                    };
                    break;
                case LcpOption.MagicNumber when LcpOption.TryReadMagicNumber(data, out uint magic):
                    (ours.NegMagic, ours.Magic) = (true, magic);
                    break;
                case LcpOption.Pfc:
                    ours.Pfc = true;
                    break;
                case LcpOption.Acfc:
                    ours.Acfc = true;
                    break;
            }
        }
        _ours = ours;
        _loops = 0;
    }

    public void ApplyNak(IReadOnlyList<RawOption> nakked)
    {
        ArgumentNullException.ThrowIfNull(nakked);
        bool loopedBack = false;
        bool sentMru = _want.NegMru && _want.Mru != LcpSettings.DefaultMru;
        foreach (var option in nakked)
        {
            var data = option.Data.Span;
            switch (option.Type)
            {
                case LcpOption.Mru when LcpOption.TryReadMru(data, out ushort mru) && mru >= LcpSettings.MinMru:
                    // pppd (lcp_nakci): take the peer's MRU when it is no more than we wanted or the
                    // default; unasked, only a smaller one (the peer cannot send 1500-octet frames).
                    if (sentMru ? mru <= _settings.Mru || mru <= LcpSettings.DefaultMru : mru < LcpSettings.DefaultMru)
                        (_want.NegMru, _want.Mru) = (true, mru);
                    break;
                case LcpOption.Accm when _want.NegAccm && LcpOption.TryReadAccm(data, out uint accm):
                    // RFC 1662 §7.1: the peer needs more characters escaped; add them to ours.
                    _want.Accm |= accm;
                    break;
                case LcpOption.AuthProtocol when _want.Auth != AuthMethod.None:
                    ApplyAuthNak(data);
                    break;
                case LcpOption.MagicNumber when _want.NegMagic:
                    // §6.4: the peer saw our number as its own; pick a new one rather than the peer's suggestion.
                    _want.Magic = NewMagic(_want.Magic);
                    loopedBack = true;
                    break;
                case LcpOption.Pfc:
                    _want.Pfc = false;
                    break;
                case LcpOption.Acfc:
                    _want.Acfc = false;
                    break;
            }
        }
        _loops = loopedBack ? _loops + 1 : 0;
        _want.Auth = RequestedAuth(_want);
    }

    private void ApplyAuthNak(ReadOnlySpan<byte> data)
    {
        bool understood = LcpOption.TryReadAuthProtocol(data, out ushort protocol, out byte? algorithm);
        if (understood && protocol == PppProtocol.Pap && _want.Auth == AuthMethod.ChapMd5 && _want.WantPap)
        {
            // The peer prefers PAP and we accept PAP too: stop asking for CHAP.
            _want.WantChap = false;
            return;
        }
        if (understood && protocol == PppProtocol.Chap && algorithm == LcpOption.ChapMd5 && _want.Auth == AuthMethod.ChapMd5)
            return;
        // Something we do not require: stop asking for what we asked (pppd); if nothing is left,
        // CheckUp reports that the peer refused to authenticate.
        if (_want.Auth == AuthMethod.ChapMd5)
            _want.WantChap = false;
        else
            _want.WantPap = false;
    }

    public void ApplyReject(IReadOnlyList<RawOption> rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        foreach (var option in rejected)
        {
            switch (option.Type)
            {
                case LcpOption.Mru:
                    _want.NegMru = false;
                    break;
                case LcpOption.Accm:
                    _want.NegAccm = false;
                    break;
                case LcpOption.AuthProtocol:
                    // Rejecting CHAP still leaves PAP to ask for, when we accept it (pppd).
                    if (_want.Auth == AuthMethod.ChapMd5)
                        _want.WantChap = false;
                    else
                        _want.WantPap = false;
                    break;
                case LcpOption.MagicNumber:
                    // §6.4: without the peer's agreement we send no Magic-Number (and cannot detect loops).
                    _want.NegMagic = false;
                    break;
                case LcpOption.Pfc:
                    _want.Pfc = false;
                    break;
                case LcpOption.Acfc:
                    _want.Acfc = false;
                    break;
            }
        }
        _want.Auth = RequestedAuth(_want);
    }

    /// <summary>LCP's only refusal is the peer's refusal to authenticate.</summary>
    public UpRefusalKind RefusalKind => UpRefusalKind.PeerWillNotAuthenticate;

    public string? CheckUp()
    {
        // pppd (auth.c, link_established): authentication is required but the peer would not agree to any.
        if ((_settings.RequirePap || _settings.RequireChap) && AuthPeerMustDo == AuthMethod.None)
            return "peer refused to authenticate";
        return null;
    }

    public string Describe()
    {
        var parts = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"mru {LocalMru}/{PeerMru}"),
            string.Create(CultureInfo.InvariantCulture, $"asyncmap 0x{OurAccm:x}/0x{PeerAccm:x}"),
            string.Create(CultureInfo.InvariantCulture, $"magic 0x{LocalMagic:x}/0x{PeerMagic:x}"),
        };
        if (WeAcceptPfc || PeerAcceptsPfc)
            parts.Add($"pcomp {(WeAcceptPfc ? "rx" : "")}{(PeerAcceptsPfc ? "tx" : "")}");
        if (WeAcceptAcfc || PeerAcceptsAcfc)
            parts.Add($"accomp {(WeAcceptAcfc ? "rx" : "")}{(PeerAcceptsAcfc ? "tx" : "")}");
        if (AuthPeerMustDo != AuthMethod.None)
            parts.Add($"peer auth {AuthPeerMustDo}");
        if (AuthWeMustDo != AuthMethod.None)
            parts.Add($"our auth {AuthWeMustDo}");
        return string.Join(", ", parts);
    }

    private uint NewMagic(uint avoid)
    {
        // Bounded: a broken source that keeps repeating our number must not hang the link.
        for (int attempt = 0; attempt < 64; attempt++)
        {
            uint magic = _random.NextNonZeroUInt32();
            if (magic != avoid)
                return magic;
        }
        throw new InvalidOperationException("the random source keeps returning the same Magic-Number");
    }

    private static AuthMethod RequestedAuth(in Options want) =>
        want.WantChap ? AuthMethod.ChapMd5 : want.WantPap ? AuthMethod.Pap : AuthMethod.None;

    /// <summary>One direction's options (pppd's lcp_options).</summary>
    private struct Options
    {
        public bool NegMru;
        public ushort Mru;
        public bool NegAccm;
        public uint Accm;
        public bool WantChap;
        public bool WantPap;
        public AuthMethod Auth;
        public bool NegMagic;
        public uint Magic;
        public bool Pfc;
        public bool Acfc;
    }
}
