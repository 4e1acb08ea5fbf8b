using System.Buffers.Binary;
using System.Net;

namespace LinkActors.Actors.Network;

/// <summary>
/// The watchdog's DNS probe: one fixed, small query over UDP to port 53 (RFC 1035 §4.1), for the root's
/// address record ("." IN A), which any resolver answers from its own knowledge with a short reply. Any
/// answer with our id proves the data path: the point-to-point address of many carriers never answers
/// ICMP, their DNS servers do.
/// </summary>
public static class DnsProbePacket
{
    private const int IpHeaderLength = 20;
    private const int UdpHeaderLength = 8;
    private const byte ProtocolUdp = 17;
    public const ushort DnsPort = 53;

    // RFC 1035 §4.1.1 header: ID, flags (RD set), QDCOUNT 1; §4.1.2 question: QNAME "." (one zero octet), QTYPE A, QCLASS IN.
    private static ReadOnlySpan<byte> QueryAfterId => [0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01];

    /// <summary>Length of the query as an IP packet: 20 (IPv4) + 8 (UDP) + 17 (DNS).</summary>
    public const int Length = IpHeaderLength + UdpHeaderLength + 2 + 15;

    /// <summary>An IPv4 UDP packet carrying the fixed query with <paramref name="id"/> from <paramref name="sourcePort"/>.</summary>
    public static byte[] Build(IPAddress source, IPAddress server, ushort sourcePort, ushort id)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(server);
        var packet = new byte[Length];
        var ip = packet.AsSpan(0, IpHeaderLength);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)packet.Length);
        ip[8] = 64;
        ip[9] = ProtocolUdp;
        source.TryWriteBytes(ip[12..], out _);
        server.TryWriteBytes(ip[16..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Icmp.Checksum(ip));
        var udp = packet.AsSpan(IpHeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], DnsPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udp.Length);
        BinaryPrimitives.WriteUInt16BigEndian(udp[8..], id);
        QueryAfterId.CopyTo(udp[10..]);
        // RFC 768: the checksum covers a pseudo header of both addresses, the protocol and the UDP length.
        Span<byte> pseudo = stackalloc byte[12 + udp.Length];
        ip[12..20].CopyTo(pseudo);
        pseudo[9] = ProtocolUdp;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo[10..], (ushort)udp.Length);
        udp.CopyTo(pseudo[12..]);
        ushort checksum = Icmp.Checksum(pseudo);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], checksum == 0 ? (ushort)0xFFFF : checksum);
        return packet;
    }

    /// <summary>
    /// Whether <paramref name="packet"/> is a whole IPv4 UDP datagram to <paramref name="destination"/> (its 4
    /// address bytes) on <paramref name="port"/>: a reply to a query we sent from that port. Allocates nothing.
    /// </summary>
    public static bool IsUdpTo(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> destination, ushort port)
    {
        if (packet.Length < IpHeaderLength + UdpHeaderLength || packet[0] >> 4 != 4 || packet[9] != ProtocolUdp)
            return false;
        int headerLength = (packet[0] & 0x0F) * 4;
        if (headerLength < IpHeaderLength || packet.Length < headerLength + UdpHeaderLength || (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3FFF) != 0)
            return false;
        return BinaryPrimitives.ReadUInt16BigEndian(packet[(headerLength + 2)..]) == port && packet.Slice(16, 4).SequenceEqual(destination);
    }

    /// <summary>Whether <paramref name="packet"/> is a DNS response (QR set, RFC 1035 §4.1.1) from port 53 carrying <paramref name="id"/>.</summary>
    public static bool IsAnswer(ReadOnlySpan<byte> packet, ushort id)
    {
        if (packet.Length < IpHeaderLength + UdpHeaderLength + 12 || packet[0] >> 4 != 4 || packet[9] != ProtocolUdp)
            return false;
        int headerLength = (packet[0] & 0x0F) * 4;
        if (packet.Length < headerLength + UdpHeaderLength + 12)
            return false;
        var udp = packet[headerLength..];
        return BinaryPrimitives.ReadUInt16BigEndian(udp) == DnsPort
            && BinaryPrimitives.ReadUInt16BigEndian(udp[8..]) == id
            && (udp[10] & 0x80) != 0;
    }
}
