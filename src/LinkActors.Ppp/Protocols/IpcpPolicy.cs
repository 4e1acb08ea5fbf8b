using System.Net;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Protocols;

/// <summary>
/// IPCP's option logic (RFC 1332, RFC 1877) with pppd's choices (ipcp.c): both roles at once, since
/// each side judges the other's request. As a client we ask for our address (0.0.0.0 to learn it)
/// and, with usepeerdns, for DNS servers; as a server we assign the peer's address and hand out
/// ms-dns. VJ compression is always rejected. <see cref="CheckUp"/> refuses unusable results.
/// </summary>
public sealed class IpcpPolicy : IControlPolicy, IUpCheck
{
    private readonly IpcpSettings _settings;
    private readonly uint _configuredLocal;
    private readonly uint _dns1ToGive;
    private readonly uint _dns2ToGive;
    private uint _configuredRemote;
    private bool _acceptRemoteAfterAuth;
    private AllowedAddresses? _allowed;

    private Options _want;
    private Options _ours;
    private bool _peerNegAddr;
    private uint _peerAddr;
    private bool _mayAssignRemote;

    public IpcpPolicy(IpcpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _configuredLocal = Ipv4Address.ToUInt32(settings.LocalAddress);
        _configuredRemote = Ipv4Address.ToUInt32(settings.RemoteAddress);
        _dns1ToGive = Ipv4Address.ToUInt32(settings.PrimaryDns);
        _dns2ToGive = Ipv4Address.ToUInt32(settings.SecondaryDns);
        Reset();
    }

    public ushort Protocol => PppProtocol.Ipcp;
    public string Name => "IPCP";
    public IpcpSettings Settings => _settings;

    /// <summary>pppd resetci: an address we were not given is not insisted on.</summary>
    private bool AcceptLocal => _settings.IpcpAcceptLocal || _configuredLocal == 0;

    private bool AcceptRemote => _settings.IpcpAcceptRemote || _configuredRemote == 0 || _acceptRemoteAfterAuth;

    /// <summary>Our address: Acked by the peer, else the one configured; null while unknown.</summary>
    public IPAddress? LocalAddress => Ipv4Address.ToAddress(LocalValue);

    /// <summary>
    /// The peer's address: the one we Acked, else the configured one; null with noremoteip when none,
    /// else pppd's stand-in 10.64.64.64.
    /// </summary>
    public IPAddress? RemoteAddress => Ipv4Address.ToAddress(RemoteValue);

    /// <summary>The primary DNS server the peer gave us (usepeerdns), or null.</summary>
    public IPAddress? Dns1 => _ours.ReqDns1 ? Ipv4Address.ToAddress(_ours.Dns1) : null;

    /// <summary>The secondary DNS server the peer gave us (usepeerdns), or null.</summary>
    public IPAddress? Dns2 => _ours.ReqDns2 ? Ipv4Address.ToAddress(_ours.Dns2) : null;

    private uint LocalValue => _ours.NegAddr ? _ours.Addr : _configuredLocal;

    private uint RemoteValue
    {
        get
        {
            uint remote = _peerNegAddr ? _peerAddr : _configuredRemote;
            return remote == 0 && !_settings.NoRemoteIp ? Ipv4Address.DefaultRemote : remote;
        }
    }

    /// <summary>
    /// The peer authenticated with a secrets entry: it may only use these addresses, and a single
    /// address among them is what we assign when none is configured (pppd's set_allowed_addrs).
    /// Call before IPCP starts.
    /// </summary>
    public void AuthorizePeer(AllowedAddresses? addresses)
    {
        _allowed = addresses;
        if (addresses?.SuggestedAddress is { } suggested
            && (_configuredRemote == 0 || !addresses.Permits(_configuredRemote)))
        {
            _configuredRemote = suggested;
            // Insist on it only when it is the one address the entry allows.
            _acceptRemoteAfterAuth = addresses.AllowsOthersThanSuggested;
        }
    }

    public void Reset()
    {
        _want = new Options
        {
            NegAddr = true,
            Addr = _configuredLocal,
            ReqDns1 = _settings.UsePeerDns,
            ReqDns2 = _settings.UsePeerDns,
        };
        _ours = default;
        _peerNegAddr = false;
        _peerAddr = 0;
        _mayAssignRemote = _configuredRemote != 0 && !_settings.NoRemoteIp;
    }

    public void WriteRequest(OptionWriter request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_want.NegAddr)
            IpcpOption.WriteIpAddress(request, _want.Addr);
        if (_want.ReqDns1)
            request.WriteUInt32(IpcpOption.PrimaryDns, _want.Dns1);
        if (_want.ReqDns2)
            request.WriteUInt32(IpcpOption.SecondaryDns, _want.Dns2);
    }

    public RequestVerdict JudgeRequest(IReadOnlyList<RawOption> options, OptionWriter reply, bool rejectInsteadOfNak)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reply);
        var answer = new ReplyBuilder(rejectInsteadOfNak);
        bool negAddr = false;
        bool sawAddr = false;
        uint addr = 0;
        foreach (var option in options)
        {
            var data = option.Data.Span;
            switch (option.Type)
            {
                case IpcpOption.IpAddress:
                    bool duplicate = sawAddr;
                    sawAddr = true;
                    if (duplicate || !IpcpOption.TryReadIpAddress(data, out uint requested))
                    {
                        answer.Reject(option);
                        break;
                    }
                    JudgeAddress(option, requested, answer, ref negAddr, ref addr);
                    break;

                case IpcpOption.PrimaryDns or IpcpOption.SecondaryDns:
                    uint give = option.Type == IpcpOption.PrimaryDns ? _dns1ToGive : _dns2ToGive;
                    // RFC 1877 §1: we Reject what we have no server for, Nak with ours otherwise.
                    if (give == 0 || !IpcpOption.TryReadIpAddress(data, out uint dns))
                        answer.Reject(option);
                    else if (dns != give)
                        answer.Nak(option, w => w.WriteUInt32(option.Type, give));
                    break;

                default:
                    // IP-Compression-Protocol (VJ, RFC 1332 §3.2) is not implemented; the deprecated
                    // IP-Addresses, NBNS and anything unknown are not negotiated either (RFC 1661 §5.4).
                    answer.Reject(option);
                    break;
            }
        }

        // pppd (ipcp_reqci): a peer that asked for no address is told, once, the one we assign it.
        if (!answer.HasRejects && !sawAddr && _mayAssignRemote
            && answer.NakUnrequested(w => IpcpOption.WriteIpAddress(w, _configuredRemote)))
            _mayAssignRemote = false;

        var verdict = answer.Finish(reply);
        if (verdict == RequestVerdict.Ack)
            (_peerNegAddr, _peerAddr) = (negAddr, addr);
        return verdict;
    }

    private void JudgeAddress(RawOption option, uint requested, ReplyBuilder answer, ref bool negAddr, ref uint addr)
    {
        // RFC 1332 §3.3: 0.0.0.0 asks us for an address. A nonsense address is treated the same: a
        // loopback, multicast or class E address can never be the peer's end of a link.
        bool unusable = Ipv4Address.IsUnusable(requested);
        if (requested == 0 && _configuredRemote == 0)
        {
            // Neither side knows the peer's address: pppd rejects the option, and does not suggest
            // one later either.
            answer.Reject(option);
            _mayAssignRemote = false;
            return;
        }
        if (requested != _configuredRemote && (unusable || !AcceptRemote))
        {
            if (_configuredRemote != 0)
                answer.Nak(option, w => IpcpOption.WriteIpAddress(w, _configuredRemote));
            else
                answer.Reject(option);
            return;
        }
        negAddr = true;
        addr = requested;
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
                case IpcpOption.IpAddress when IpcpOption.TryReadIpAddress(data, out uint addr):
                    (ours.NegAddr, ours.Addr) = (true, addr);
                    break;
                case IpcpOption.PrimaryDns when IpcpOption.TryReadIpAddress(data, out uint dns):
                    (ours.ReqDns1, ours.Dns1) = (true, dns);
                    break;
                case IpcpOption.SecondaryDns when IpcpOption.TryReadIpAddress(data, out uint dns):
                    (ours.ReqDns2, ours.Dns2) = (true, dns);
                    break;
            }
        }
        _ours = ours;
    }

    public void ApplyNak(IReadOnlyList<RawOption> nakked)
    {
        ArgumentNullException.ThrowIfNull(nakked);
        foreach (var option in nakked)
        {
            var data = option.Data.Span;
            switch (option.Type)
            {
                case IpcpOption.IpAddress when IpcpOption.TryReadIpAddress(data, out uint addr):
                    // pppd (ipcp_nakci): take the peer's idea of our address only when we may. An
                    // unusable one is ignored: asking again is better than configuring nonsense.
                    if (AcceptLocal && !Ipv4Address.IsUnusable(addr))
                        (_want.NegAddr, _want.Addr) = (true, addr);
                    break;
                case IpcpOption.PrimaryDns when _settings.UsePeerDns && IpcpOption.TryReadIpAddress(data, out uint dns):
                    (_want.ReqDns1, _want.Dns1) = (true, dns);
                    break;
                case IpcpOption.SecondaryDns when _settings.UsePeerDns && IpcpOption.TryReadIpAddress(data, out uint dns):
                    (_want.ReqDns2, _want.Dns2) = (true, dns);
                    break;
            }
        }
    }

    public void ApplyReject(IReadOnlyList<RawOption> rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        foreach (var option in rejected)
        {
            switch (option.Type)
            {
                case IpcpOption.IpAddress:
                    _want.NegAddr = false;
                    break;
                case IpcpOption.PrimaryDns:
                    _want.ReqDns1 = false;
                    break;
                case IpcpOption.SecondaryDns:
                    _want.ReqDns2 = false;
                    break;
            }
        }
    }

    public string? CheckUp()
    {
        // pppd's ipcp_up, in its order.
        if (!_ours.NegAddr && _configuredLocal != 0)
            return "peer refused to agree to our IP address";
        uint local = LocalValue;
        if (local == 0)
            return "could not determine local IP address";
        if (Ipv4Address.IsUnusable(local))
            return $"local IP address {Ipv4Address.Format(local)} is not usable";
        uint remote = _peerNegAddr ? _peerAddr : _configuredRemote;
        if (remote != 0 && (Ipv4Address.IsUnusable(remote) || (_allowed is not null && !_allowed.Permits(remote))))
            return $"peer is not authorized to use remote address {Ipv4Address.Format(remote)}";
        return null;
    }

    public string Describe()
    {
        string text = $"local {Format(LocalValue)}, remote {Format(RemoteValue)}";
        if (Dns1 is not null || Dns2 is not null)
            text += $", dns {Dns1?.ToString() ?? "-"} {Dns2?.ToString() ?? "-"}";
        return text;
    }

    private static string Format(uint address) => address == 0 ? "none" : Ipv4Address.Format(address);

    /// <summary>Our side's options (pppd's ipcp_options, the parts we use).</summary>
    private struct Options
    {
        public bool NegAddr;
        public uint Addr;
        public bool ReqDns1;
        public uint Dns1;
        public bool ReqDns2;
        public uint Dns2;
    }
}
