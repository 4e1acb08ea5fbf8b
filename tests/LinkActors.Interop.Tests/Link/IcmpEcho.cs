using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace LinkActors.Interop.Tests.Link;

/// <summary>An echo request or reply found in an IP packet.</summary>
public sealed record IcmpEchoMessage(bool IsRequest, IPAddress Source, IPAddress Destination, ushort Identifier, ushort Sequence);

/// <summary>
/// ICMP (RFC 792) and ICMPv6 (RFC 4443) echo requests and replies, whole IP packets included: the
/// only traffic the interop tests send through the link.
/// </summary>
public static class IcmpEcho
{
    private const int Ipv4HeaderLength = 20;
    private const int Ipv6HeaderLength = 40;
    private const int EchoHeaderLength = 8;
    private const byte ProtocolIcmp = 1;
    private const byte ProtocolIcmpv6 = 58;

    /// <summary>An echo request of <paramref name="size"/> octets in all, IPv4 or IPv6 after the addresses.</summary>
    public static byte[] Request(IPAddress source, IPAddress destination, ushort identifier, ushort sequence, int size)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        bool v6 = destination.AddressFamily == AddressFamily.InterNetworkV6;
        int header = v6 ? Ipv6HeaderLength : Ipv4HeaderLength;
        var packet = new byte[Math.Max(size, header + EchoHeaderLength)];
        var echo = packet.AsSpan(header);
        echo[0] = v6 ? (byte)128 : (byte)8;
        BinaryPrimitives.WriteUInt16BigEndian(echo[4..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(echo[6..], sequence);
        // A payload of every octet value, so that the framing's escaping is exercised.
        for (int i = EchoHeaderLength; i < echo.Length; i++)
            echo[i] = (byte)i;
        Finish(packet, source, destination);
        return packet;
    }

    /// <summary>The echo request or reply in <paramref name="packet"/>, or null for anything else (fragments too).</summary>
    public static IcmpEchoMessage? TryParse(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 1)
            return null;
        int version = packet[0] >> 4;
        if (version == 4 && packet.Length >= Ipv4HeaderLength + EchoHeaderLength)
        {
            int ihl = (packet[0] & 0x0F) * 4;
            bool fragment = (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3FFF) != 0;
            if (packet[9] != ProtocolIcmp || fragment || packet.Length < ihl + EchoHeaderLength)
                return null;
            var echo = packet[ihl..];
            if (echo[0] is not (0 or 8) || echo[1] != 0)
                return null;
            return new IcmpEchoMessage(echo[0] == 8, new IPAddress(packet.Slice(12, 4)), new IPAddress(packet.Slice(16, 4)),
                BinaryPrimitives.ReadUInt16BigEndian(echo[4..]), BinaryPrimitives.ReadUInt16BigEndian(echo[6..]));
        }
        if (version == 6 && packet.Length >= Ipv6HeaderLength + EchoHeaderLength && packet[6] == ProtocolIcmpv6)
        {
            var echo = packet[Ipv6HeaderLength..];
            if (echo[0] is not (128 or 129) || echo[1] != 0)
                return null;
            return new IcmpEchoMessage(echo[0] == 128, new IPAddress(packet.Slice(8, 16)), new IPAddress(packet.Slice(24, 16)),
                BinaryPrimitives.ReadUInt16BigEndian(echo[4..]), BinaryPrimitives.ReadUInt16BigEndian(echo[6..]));
        }
        return null;
    }

    /// <summary>The reply to an echo request: addresses swapped, the same identifier, sequence and data.</summary>
    public static byte[] Reply(ReadOnlySpan<byte> request)
    {
        var reply = request.ToArray();
        bool v6 = reply[0] >> 4 == 6;
        IPAddress source, destination;
        if (v6)
        {
            source = new IPAddress(reply.AsSpan(8, 16));
            destination = new IPAddress(reply.AsSpan(24, 16));
            reply[Ipv6HeaderLength] = 129;
        }
        else
        {
            source = new IPAddress(reply.AsSpan(12, 4));
            destination = new IPAddress(reply.AsSpan(16, 4));
            int ihl = (reply[0] & 0x0F) * 4;
            if (ihl != Ipv4HeaderLength)
            {
                // Options are not echoed back: rebuild a plain header.
                reply = [.. reply.AsSpan(0, Ipv4HeaderLength), .. reply.AsSpan(ihl)];
                reply[0] = 0x45;
            }
            reply[Ipv4HeaderLength] = 0;
        }
        Finish(reply, destination, source);
        return reply;
    }

    private static void Finish(byte[] packet, IPAddress source, IPAddress destination)
    {
        if (destination.AddressFamily == AddressFamily.InterNetworkV6)
        {
            packet[0] = 0x60;
            packet[1] = packet[2] = packet[3] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(packet.Length - Ipv6HeaderLength));
            packet[6] = ProtocolIcmpv6;
            packet[7] = 64;
            source.TryWriteBytes(packet.AsSpan(8, 16), out _);
            destination.TryWriteBytes(packet.AsSpan(24, 16), out _);
            var echo = packet.AsSpan(Ipv6HeaderLength);
            echo[2] = echo[3] = 0;
            // RFC 4443 §2.3: the checksum covers the RFC 8200 §8.1 pseudo-header too.
            Span<byte> pseudo = stackalloc byte[40];
            packet.AsSpan(8, 32).CopyTo(pseudo);
            BinaryPrimitives.WriteUInt32BigEndian(pseudo[32..], (uint)echo.Length);
            pseudo[39] = ProtocolIcmpv6;
            BinaryPrimitives.WriteUInt16BigEndian(echo[2..], Checksum(pseudo, echo));
        }
        else
        {
            packet[0] = 0x45;
            packet[1] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 0x4C41);
            packet[6] = packet[7] = 0;
            packet[8] = 64;
            packet[9] = ProtocolIcmp;
            packet[10] = packet[11] = 0;
            source.TryWriteBytes(packet.AsSpan(12, 4), out _);
            destination.TryWriteBytes(packet.AsSpan(16, 4), out _);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum([], packet.AsSpan(0, Ipv4HeaderLength)));
            var echo = packet.AsSpan(Ipv4HeaderLength);
            echo[2] = echo[3] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(echo[2..], Checksum([], echo));
        }
    }

    /// <summary>The Internet checksum (RFC 1071) over two spans, the first of even length.</summary>
    private static ushort Checksum(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        uint sum = Sum(second, Sum(first, 0));
        while (sum >> 16 != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    private static uint Sum(ReadOnlySpan<byte> part, uint sum)
    {
        int i = 0;
        for (; i + 1 < part.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(part[i..]);
        if (i < part.Length)
            sum += (uint)part[i] << 8;
        return sum;
    }
}
