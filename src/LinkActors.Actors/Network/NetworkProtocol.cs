using LinkActors.Actors.Link;

namespace LinkActors.Actors.Network;

/// <summary>
/// What the link supervisor tells its network side (a <see cref="TunActor"/> or a <see cref="PacketEndpointActor"/>)
/// as network protocols come and go: data of a protocol flows only while its NCP is Opened (RFC 1661 §3.6).
/// </summary>
public static class NetworkProtocol
{
    /// <summary>IPCP reached Opened: addresses and DNS servers as negotiated (RFC 1332, RFC 1877).</summary>
    /// <param name="Lcp">What LCP agreed, for the interface MTU (the peer's MRU, RFC 1661 §6.1); null if unknown.</param>
    /// <param name="PeerName">The name the peer authenticated with, or null.</param>
    public sealed record Ipv4Up(Negotiated.Ipcp Ipcp, Negotiated.Lcp? Lcp, string? PeerName);

    /// <summary>IPv6CP reached Opened: the interface identifiers of both ends (RFC 5072 §4.1).</summary>
    public sealed record Ipv6Up(Negotiated.Ipv6cp Ipv6cp, Negotiated.Lcp? Lcp, string? PeerName);

    /// <summary>IPCP left Opened: stop IPv4 and undo what its up did.</summary>
    public sealed record Ipv4Down(string Reason);

    /// <summary>IPv6CP left Opened: stop IPv6 and undo what its up did.</summary>
    public sealed record Ipv6Down(string Reason);
}
