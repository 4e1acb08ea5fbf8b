using System.Globalization;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Protocols;

/// <summary>
/// IPV6CP's option logic (RFC 5072 §4.1, pppd's ipv6cp.c): each side proposes a 64-bit
/// Interface-Identifier for its link-local address; a zero identifier, or one equal to ours, is
/// Nak'd with a different non-zero one. Random identifiers come from the caller's source.
/// </summary>
public sealed class Ipv6cpPolicy : IControlPolicy, IUpCheck
{
    private readonly Ipv6cpSettings _settings;
    private readonly IRandomSource _random;
    private readonly ulong _initialLocal;
    private readonly ulong _configuredRemote;

    private bool _wantNeg;
    private ulong _wantId;
    private bool _oursNeg;
    private ulong _oursId;
    private bool _peerNeg;
    private ulong _peerId;
    // pppd's go->hisid: what we last suggested to the peer; zero until we did.
    private ulong _suggestedRemote;

    public Ipv6cpPolicy(Ipv6cpSettings settings, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(random);
        if (settings.LocalInterfaceId == 0)
            throw new ArgumentOutOfRangeException(nameof(settings), "a configured local interface identifier must not be zero (RFC 5072 §4.1)");
        _settings = settings;
        _random = random;
        // Chosen once, so a renegotiation keeps the same link-local address.
        _initialLocal = settings.LocalInterfaceId ?? random.NextUInt64NonZero();
        _configuredRemote = settings.RemoteInterfaceId ?? 0;
        Reset();
    }

    public ushort Protocol => PppProtocol.Ipv6cp;
    public string Name => "IPV6CP";

    private bool AcceptLocal => _settings.AcceptLocal || _settings.LocalInterfaceId is null;

    /// <summary>Our identifier: the one the peer Acked, else the one we wanted.</summary>
    public ulong LocalInterfaceId => _oursNeg ? _oursId : _wantId;

    /// <summary>The peer's identifier as we Acked it, else the configured one; zero when unknown.</summary>
    public ulong PeerInterfaceId => _peerNeg ? _peerId : _configuredRemote;

    public void Reset()
    {
        _wantNeg = true;
        _wantId = _initialLocal;
        _oursNeg = false;
        _oursId = 0;
        _peerNeg = false;
        _peerId = 0;
        _suggestedRemote = 0;
    }

    public void WriteRequest(OptionWriter request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_wantNeg)
            Ipv6cpOption.WriteInterfaceIdentifier(request, _wantId);
    }

    public RequestVerdict JudgeRequest(IReadOnlyList<RawOption> options, OptionWriter reply, bool rejectInsteadOfNak)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reply);
        var answer = new ReplyBuilder(rejectInsteadOfNak);
        bool neg = false;
        ulong id = 0;
        foreach (var option in options)
        {
            if (option.Type != Ipv6cpOption.InterfaceIdentifier || neg
                || !Ipv6cpOption.TryReadInterfaceIdentifier(option.Data.Span, out ulong requested))
            {
                // IPv6-Compression-Protocol is not implemented; unknown options likewise (RFC 1661 §5.4).
                answer.Reject(option);
                continue;
            }
            ulong ours = LocalInterfaceId;
            if (_configuredRemote != 0 && requested != _configuredRemote && _suggestedRemote == 0)
            {
                // pppd: a configured remote identifier is suggested once; after that the peer's choice stands.
                _suggestedRemote = _configuredRemote;
                answer.Nak(option, w => Ipv6cpOption.WriteInterfaceIdentifier(w, _configuredRemote));
            }
            else if (requested == 0 || requested == ours)
            {
                // RFC 5072 §4.1: zero means "give me one"; equal to ours would make both link-local
                // addresses the same. Suggest a non-zero identifier different from ours.
                ulong suggestion = _suggestedRemote == 0 ? _configuredRemote : 0;
                for (int attempt = 0; suggestion == 0 || suggestion == ours; attempt++)
                {
                    if (attempt == 64)
                        throw new InvalidOperationException("the random source keeps returning unusable interface identifiers");
                    suggestion = _random.NextUInt64();
                }
                _suggestedRemote = suggestion;
                answer.Nak(option, w => Ipv6cpOption.WriteInterfaceIdentifier(w, suggestion));
            }
            else
            {
                neg = true;
                id = requested;
            }
        }
        var verdict = answer.Finish(reply);
        if (verdict == RequestVerdict.Ack)
            (_peerNeg, _peerId) = (neg, id);
        return verdict;
    }

    public void ApplyAck(IReadOnlyList<RawOption> acked)
    {
        ArgumentNullException.ThrowIfNull(acked);
        (_oursNeg, _oursId) = (false, 0);
        foreach (var option in acked)
        {
            if (option.Type == Ipv6cpOption.InterfaceIdentifier && Ipv6cpOption.TryReadInterfaceIdentifier(option.Data.Span, out ulong id))
                (_oursNeg, _oursId) = (true, id);
        }
    }

    public void ApplyNak(IReadOnlyList<RawOption> nakked)
    {
        ArgumentNullException.ThrowIfNull(nakked);
        foreach (var option in nakked)
        {
            if (option.Type != Ipv6cpOption.InterfaceIdentifier || !_wantNeg
                || !Ipv6cpOption.TryReadInterfaceIdentifier(option.Data.Span, out ulong id) || !AcceptLocal)
                continue;
            // pppd (ipv6cp_nakci): take the suggestion unless it is zero or what we gave the peer.
            for (int attempt = 0; id == 0 || id == _suggestedRemote; attempt++)
            {
                if (attempt == 64)
                    throw new InvalidOperationException("the random source keeps returning unusable interface identifiers");
                id = _random.NextUInt64();
            }
            _wantId = id;
        }
    }

    public void ApplyReject(IReadOnlyList<RawOption> rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        if (rejected.Any(option => option.Type == Ipv6cpOption.InterfaceIdentifier))
            _wantNeg = false;
    }

    public string? CheckUp()
    {
        // pppd's ipv6cp_up.
        if (PeerInterfaceId == 0)
            return "could not determine remote link-local address";
        if (LocalInterfaceId == 0)
            return "could not determine local link-local address";
        if (LocalInterfaceId == PeerInterfaceId)
            return "local and remote link-local addresses are equal";
        return null;
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"local {Ipv6cpOption.LinkLocalAddress(LocalInterfaceId)}, remote {Ipv6cpOption.LinkLocalAddress(PeerInterfaceId)}");
}
