using Akka.Actor;
using LinkActors.Actors.Link;
using LinkActors.Ppp.Packets;

namespace LinkActors.Actors.Network;

/// <summary>
/// The contract of a link's network side, whichever it is (a <see cref="TunActor"/> or a <see cref="PacketEndpointActor"/>):
/// what the link supervisor tells it as network protocols come and go (data of a protocol flows only while its
/// NCP is Opened, RFC 1661 §3.6), and what the watchdog, the ping probe and the demo ask of it.
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

    /// <summary>
    /// Send an IP packet made inside the process over the link (IPv4 or IPv6, by its version nibble), paced
    /// like any other: the TUN side gives it a slot of its Ack window or drops it with a count, never queues without bound.
    /// </summary>
    public sealed record SendPacket(ReadOnlyMemory<byte> Packet)
    {
        public override string ToString() => $"SendPacket {{ Length = {Packet.Length} }}";
    }

    /// <summary>
    /// Where packets received over the link go, as <see cref="PacketReceived"/>, until the subscriber stops.
    /// Without <paramref name="EchoIdentifier"/>: every packet, and it still goes on to the host as usual.
    /// With it: only ICMP echo replies (RFC 792) to the link's own address carrying that identifier, and those
    /// go to the subscriber alone (they answer a request the host never sent). With <paramref name="UdpPort"/>:
    /// only UDP datagrams to the link's own address on that port (the DNS probe's answers), to the subscriber alone.
    /// </summary>
    public sealed record Subscribe(IActorRef Subscriber, ushort? EchoIdentifier = null, ushort? UdpPort = null);

    /// <summary>An IP packet arrived over the link.</summary>
    public sealed record PacketReceived(ushort Protocol, ReadOnlyMemory<byte> Packet)
    {
        public override string ToString() => $"PacketReceived {{ Protocol = {PppProtocol.Name(Protocol)}, Length = {Packet.Length} }}";
    }

    /// <summary>Asks for <see cref="Traffic"/>.</summary>
    public sealed record GetTraffic
    {
        public static GetTraffic Instance { get; } = new();
    }

    /// <summary>IP packets and bytes carried by the link since the network side started, as pppd's "Sent n bytes, received m bytes".</summary>
    /// <param name="PacketsSent">Packets handed to the framing to go over the link.</param>
    /// <param name="PacketsReceived">Packets that arrived over the link.</param>
    public sealed record Traffic(long PacketsSent, long BytesSent, long PacketsReceived, long BytesReceived);
}
