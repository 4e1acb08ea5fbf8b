using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Trace;

/// <summary>
/// One-line text for a PPP packet in the wording of pppd's debug log, so a trace of this project
/// reads like the pppd logs operators already know:
/// <c>sent [LCP ConfReq id=0x1 &lt;mru 1500&gt; &lt;magic 0x12345678&gt;]</c>.
/// <para>
/// The formatter never throws on malformed input: it prints what it could decode, then the
/// remaining octets in hex (at most 32, then " ..."). Secrets never reach the text: a PAP
/// password, a CHAP challenge or response value, and any undecoded octets of an authentication
/// packet are shown as hidden.
/// </para>
/// </summary>
public static partial class PppTrace
{
    /// <summary>How many trailing octets are dumped in hex before the dump is cut with " ...".</summary>
    private const int MaxHexDump = 32;

    /// <summary>How many octets of an unsummarised data packet are shown.</summary>
    private const int MaxDataDump = 8;

    /// <summary>The line pppd logs for a packet: "sent [...]" or "rcvd [...]".</summary>
    public static string Format(bool sent, ushort protocol, ReadOnlySpan<byte> information)
    {
        var text = new StringBuilder(96);
        text.Append(sent ? "sent " : "rcvd ");
        AppendPacket(text, protocol, information);
        return text.ToString();
    }

    /// <summary>The packet text without the direction prefix.</summary>
    public static string FormatPacket(ushort protocol, ReadOnlySpan<byte> information)
    {
        var text = new StringBuilder(96);
        AppendPacket(text, protocol, information);
        return text.ToString();
    }

    private static void AppendPacket(StringBuilder text, ushort protocol, ReadOnlySpan<byte> information)
    {
        int consumed;
        switch (protocol)
        {
            case PppProtocol.Lcp:
            case PppProtocol.Ipcp:
            case PppProtocol.Ipv6cp:
            case PppProtocol.Ccp:
                text.Append('[').Append(PppProtocol.Name(protocol));
                consumed = AppendControlPacket(text, protocol, information);
                text.Append(']');
                break;
            case PppProtocol.Pap:
            case PppProtocol.Chap:
            case PppProtocol.Eap:
                text.Append('[').Append(PppProtocol.Name(protocol));
                consumed = AppendAuthPacket(text, protocol, information);
                text.Append(']');
                // Octets past the packet's Length, or all of a packet whose header is broken, may
                // still be a password or a CHAP value: count them, never show them.
                AppendHidden(text, information.Length - consumed);
                return;
            case PppProtocol.Ipv4 when TryAppendIpv4Summary(text, information):
            case PppProtocol.Ipv6 when TryAppendIpv6Summary(text, information):
                return;
            default:
                consumed = AppendUnknownProtocol(text, protocol, information);
                break;
        }
        AppendHexCapped(text, information[consumed..]);
    }

    /// <summary>
    /// A data protocol whose control protocol is known (0x0021 for IPCP's 0x8021, RFC 1661 §2)
    /// shows its first octets; anything else is only numbered, and its octets follow in hex.
    /// </summary>
    private static int AppendUnknownProtocol(StringBuilder text, ushort protocol, ReadOnlySpan<byte> information)
    {
        string? dataName = (ushort)(protocol | 0x8000) switch
        {
            PppProtocol.Ipcp => "IP",
            PppProtocol.Ipv6cp => "IPV6",
            PppProtocol.Ccp => "Compressed",
            _ => null,
        };
        if (dataName is null || PppProtocol.IsControl(protocol))
        {
            text.Append("[proto=0x").Append(Hex(protocol)).Append(']');
            return 0;
        }
        text.Append('[').Append(dataName).Append(" data]");
        AppendHexBytes(text, information[..Math.Min(information.Length, MaxDataDump)]);
        if (information.Length > MaxDataDump)
            text.Append(" ...");
        return information.Length;
    }

    /// <summary>
    /// Summarises an IPv4 packet (RFC 791 §3.1) by addresses, transport, ports and length, which
    /// says more in a trace line than the first octets of its header. False for anything that is
    /// not a plausible IPv4 header, so the caller falls back to the raw form.
    /// </summary>
    private static bool TryAppendIpv4Summary(StringBuilder text, ReadOnlySpan<byte> packet)
    {
        const int MinHeaderLength = 20;
        if (packet.Length < MinHeaderLength || packet[0] >> 4 != 4)
            return false;
        int headerLength = (packet[0] & 0x0F) * 4;
        if (headerLength < MinHeaderLength || headerLength > packet.Length)
            return false;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        byte transport = packet[9];
        var source = new IPAddress(packet.Slice(12, 4));
        var destination = new IPAddress(packet.Slice(16, 4));
        // Only the first fragment (offset 0) carries the transport header with the ports.
        bool firstFragment = (fragment & 0x1FFF) == 0;
        AppendIpSummary(text, "IP", source, destination, transport,
            firstFragment ? packet[headerLength..] : [], totalLength);
        if ((fragment & 0x3FFF) != 0)
            text.Insert(text.Length - 1, " frag");
        return true;
    }

    /// <summary>Summarises an IPv6 packet (RFC 8200 §3); false when the fixed header is incomplete.</summary>
    private static bool TryAppendIpv6Summary(StringBuilder text, ReadOnlySpan<byte> packet)
    {
        const int HeaderLength = 40;
        if (packet.Length < HeaderLength || packet[0] >> 4 != 6)
            return false;
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        byte nextHeader = packet[6];
        var source = new IPAddress(packet.Slice(8, 16));
        var destination = new IPAddress(packet.Slice(24, 16));
        AppendIpSummary(text, "IPV6", source, destination, nextHeader, packet[HeaderLength..], HeaderLength + payloadLength);
        return true;
    }

    private static void AppendIpSummary(StringBuilder text, string name, IPAddress source, IPAddress destination,
        byte transport, ReadOnlySpan<byte> payload, int length)
    {
        const byte Tcp = 6;
        const byte Udp = 17;
        bool ports = transport is Tcp or Udp && payload.Length >= 4;
        text.Append('[').Append(name).Append(" data ").Append(source.ToString());
        if (ports)
            text.Append(':').Append(BinaryPrimitives.ReadUInt16BigEndian(payload).ToString(CultureInfo.InvariantCulture));
        text.Append(" > ").Append(destination.ToString());
        if (ports)
            text.Append(':').Append(BinaryPrimitives.ReadUInt16BigEndian(payload[2..]).ToString(CultureInfo.InvariantCulture));
        text.Append(' ').Append(TransportName(transport))
            .Append(" len=").Append(length.ToString(CultureInfo.InvariantCulture)).Append(']');
    }

    private static string TransportName(byte protocol) => protocol switch
    {
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        58 => "icmpv6",
        _ => "proto=" + protocol.ToString(CultureInfo.InvariantCulture),
    };

    private static string Hex(uint value) => value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Each octet as " xx", the form pppd uses for octets it does not decode.</summary>
    private static void AppendHexBytes(StringBuilder text, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
            text.Append(' ').Append(b.ToString("x2", CultureInfo.InvariantCulture));
    }

    private static void AppendHexCapped(StringBuilder text, ReadOnlySpan<byte> bytes)
    {
        AppendHexBytes(text, bytes[..Math.Min(bytes.Length, MaxHexDump)]);
        if (bytes.Length > MaxHexDump)
            text.Append(" ...");
    }

    private static void AppendHidden(StringBuilder text, int count)
    {
        if (count > 0)
            text.Append(" <").Append(count.ToString(CultureInfo.InvariantCulture)).Append(" octets hidden>");
    }

    private static bool IsPrintable(byte b) => b is >= 0x20 and < 0x7F;

    /// <summary>
    /// A string in double quotes with quote and backslash escaped and other non-printable octets
    /// as \n, \r, \t or three-digit octal, so a peer's message cannot break the log line.
    /// </summary>
    private static void AppendQuoted(StringBuilder text, ReadOnlySpan<byte> bytes)
    {
        text.Append('"');
        foreach (byte b in bytes)
        {
            switch (b)
            {
                case (byte)'"' or (byte)'\\':
                    text.Append('\\').Append((char)b);
                    break;
                case (byte)'\n':
                    text.Append("\\n");
                    break;
                case (byte)'\r':
                    text.Append("\\r");
                    break;
                case (byte)'\t':
                    text.Append("\\t");
                    break;
                default:
                    if (IsPrintable(b))
                        text.Append((char)b);
                    else
                        text.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                    break;
            }
        }
        text.Append('"');
    }
}
