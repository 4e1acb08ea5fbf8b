using System.Net;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Actors.Link;

/// <summary>Immutable snapshots of what each protocol negotiated, taken when it reaches Opened.</summary>
public static class Negotiated
{
    /// <param name="InterfaceMtu">The network interface's MTU as LCP decided it (<see cref="LcpPolicy.InterfaceMtu"/>, pppd's lcp_up).</param>
    public sealed record Lcp(int LocalMru, int PeerMru, uint OurAccm, uint PeerAccm, bool PeerAcceptsPfc, bool PeerAcceptsAcfc,
        AuthMethod AuthWeMustDo, AuthMethod AuthPeerMustDo, uint LocalMagic, uint PeerMagic, int InterfaceMtu);

    public sealed record Ipcp(IPAddress? Local, IPAddress? Remote, IPAddress? Dns1, IPAddress? Dns2);

    public sealed record Ipv6cp(ulong LocalInterfaceId, ulong PeerInterfaceId);

    public static object? Snapshot(IControlPolicy policy) => policy switch
    {
        LcpPolicy p => new Lcp(p.LocalMru, p.PeerMru, p.OurAccm, p.PeerAccm, p.PeerAcceptsPfc, p.PeerAcceptsAcfc,
            p.AuthWeMustDo, p.AuthPeerMustDo, p.LocalMagic, p.PeerMagic, p.InterfaceMtu),
        IpcpPolicy p => new Ipcp(p.LocalAddress, p.RemoteAddress, p.Dns1, p.Dns2),
        Ipv6cpPolicy p => new Ipv6cp(p.LocalInterfaceId, p.PeerInterfaceId),
        _ => null,
    };
}
