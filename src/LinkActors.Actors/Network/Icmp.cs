using System.Buffers.Binary;
using System.Net;

namespace LinkActors.Actors.Network;

/// <summary>Just enough IPv4 and ICMP to ping across a link without a kernel interface.</summary>
public static class Icmp
{
    private const int IpHeaderLength = 20;
    private const byte ProtocolIcmp = 1;
    private const byte EchoRequest = 8;
    private const byte EchoReply = 0;

    /// <summary>An IPv4 ICMP echo request (RFC 792) from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public static byte[] BuildEchoRequest(IPAddress source, IPAddress destination, ushort identifier, ushort sequence, ReadOnlySpan<byte> payload) =>
        Build(source, destination, EchoRequest, identifier, sequence, payload);

    /// <summary>When <paramref name="packet"/> is an echo request to <paramref name="local"/>, its reply; else null.</summary>
    public static byte[]? ReplyTo(ReadOnlySpan<byte> packet, IPAddress local)
    {
        if (!TryParseEcho(packet, out var source, out var destination, out byte type, out ushort id, out ushort seq, out var payload)
            || type != EchoRequest || !destination.Equals(local))
            return null;
        return Build(local, source, EchoReply, id, seq, payload);
    }

    /// <summary>Whether <paramref name="packet"/> is an echo reply with this identifier; gives its sequence number.</summary>
    public static bool IsEchoReply(ReadOnlySpan<byte> packet, ushort identifier, out ushort sequence, out IPAddress from)
    {
        sequence = 0;
        from = IPAddress.None;
        if (!TryParseEcho(packet, out var source, out _, out byte type, out ushort id, out ushort seq, out _) || type != EchoReply || id != identifier)
            return false;
        sequence = seq;
        from = source;
        return true;
    }

    /// <summary>
    /// Whether <paramref name="packet"/> is a whole (unfragmented) IPv4 ICMP echo reply to <paramref name="destination"/>
    /// (its 4 address bytes) carrying <paramref name="identifier"/>. Reads in place and allocates nothing: it runs on
    /// the receive path of every packet while someone listens for replies.
    /// </summary>
    public static bool IsEchoReplyTo(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> destination, ushort identifier)
    {
        if (packet.Length < IpHeaderLength + 8 || packet[0] >> 4 != 4 || packet[9] != ProtocolIcmp)
            return false;
        int headerLength = (packet[0] & 0x0F) * 4;
        // RFC 791 §3.1: a fragment (More Fragments set, or an offset) is not a whole reply.
        if (headerLength < IpHeaderLength || packet.Length < headerLength + 8 || (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3FFF) != 0)
            return false;
        // RFC 792 (Echo Reply): the identifier is what the sender uses to match replies to its requests.
        return packet[headerLength] == EchoReply
            && BinaryPrimitives.ReadUInt16BigEndian(packet[(headerLength + 4)..]) == identifier
            && packet.Slice(16, 4).SequenceEqual(destination);
    }

    private static bool TryParseEcho(ReadOnlySpan<byte> packet, out IPAddress source, out IPAddress destination,
        out byte type, out ushort identifier, out ushort sequence, out ReadOnlySpan<byte> payload)
    {
        source = destination = IPAddress.None;
        type = 0;
        identifier = sequence = 0;
        payload = default;
        if (packet.Length < IpHeaderLength + 8 || packet[0] >> 4 != 4)
            return false;
        int headerLength = (packet[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (headerLength < IpHeaderLength || totalLength > packet.Length || totalLength < headerLength + 8 || packet[9] != ProtocolIcmp)
            return false;
        source = new IPAddress(packet.Slice(12, 4));
        destination = new IPAddress(packet.Slice(16, 4));
        var icmp = packet[headerLength..totalLength];
        type = icmp[0];
        identifier = BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]);
        sequence = BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]);
        payload = icmp[8..];
        return true;
    }

    private static byte[] Build(IPAddress source, IPAddress destination, byte type, ushort identifier, ushort sequence, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[IpHeaderLength + 8 + payload.Length];
        var ip = packet.AsSpan(0, IpHeaderLength);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)packet.Length);
        ip[8] = 64;
        ip[9] = ProtocolIcmp;
        source.TryWriteBytes(ip[12..], out _);
        destination.TryWriteBytes(ip[16..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip));
        var icmp = packet.AsSpan(IpHeaderLength);
        icmp[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], sequence);
        payload.CopyTo(icmp[8..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Checksum(icmp));
        return packet;
    }

    /// <summary>The Internet checksum (RFC 1071).</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length)
            sum += (uint)(data[i] << 8);
        while (sum >> 16 != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
