using System.Buffers.Binary;
using System.Net;

namespace LinkActors.Linux.Tests.Support;

/// <summary>Just enough IPv4/ICMP to build an echo reply and to recognise an echo request.</summary>
internal static class Icmp
{
    public const byte EchoReply = 0;
    public const byte EchoRequest = 8;
    private const int IpHeaderLength = 20;

    public static byte[] EchoMessage(byte type, ushort identifier, ushort sequence, ReadOnlySpan<byte> data)
    {
        var message = new byte[8 + data.Length];
        message[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), sequence);
        data.CopyTo(message.AsSpan(8));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), Checksum(message));
        return message;
    }

    /// <summary>An IPv4 packet (no options) carrying <paramref name="icmp"/>.</summary>
    public static byte[] Ipv4Packet(IPAddress source, IPAddress destination, ReadOnlySpan<byte> icmp)
    {
        var packet = new byte[IpHeaderLength + icmp.Length];
        packet[0] = 0x45;                                   // version 4, IHL 5
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;                                     // TTL
        packet[9] = 1;                                      // ICMP
        source.TryWriteBytes(packet.AsSpan(12), out _);
        destination.TryWriteBytes(packet.AsSpan(16), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum(packet.AsSpan(0, IpHeaderLength)));
        icmp.CopyTo(packet.AsSpan(IpHeaderLength));
        return packet;
    }

    public static (IPAddress Source, IPAddress Destination, byte Protocol, ReadOnlyMemory<byte> Payload) ParseIpv4(ReadOnlyMemory<byte> packet)
    {
        var span = packet.Span;
        var headerLength = (span[0] & 0x0F) * 4;
        return (new IPAddress(span.Slice(12, 4)), new IPAddress(span.Slice(16, 4)), span[9], packet[headerLength..]);
    }

    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if ((data.Length & 1) != 0)
            sum += (uint)(data[^1] << 8);
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
