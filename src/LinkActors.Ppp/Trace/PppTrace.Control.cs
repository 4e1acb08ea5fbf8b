using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Trace;

// Control protocols that share the RFC 1661 §5 packet format: LCP, IPCP, IPV6CP, CCP.
public static partial class PppTrace
{
    /// <summary>
    /// Describes one option's Data. Returns how many Data octets the description used (the rest
    /// follow in hex), or <see cref="NotDescribed"/> when the type is unknown or its length is
    /// wrong, in which case the whole option, Type and Length included, is shown in hex.
    /// </summary>
    private delegate int OptionDescriber(StringBuilder text, byte type, ReadOnlySpan<byte> data);

    private const int NotDescribed = -1;
    private const int ControlHeaderLength = 4;

    private static readonly string[] LcpCodeNames =
    [
        "ConfReq", "ConfAck", "ConfNak", "ConfRej", "TermReq", "TermAck", "CodeRej",
        "ProtRej", "EchoReq", "EchoRep", "DiscReq", "Ident", "TimeRem",
    ];

    // RFC 1332 §2 and RFC 5072 §3: the network control protocols use codes 1-7 only.
    private static readonly string[] NcpCodeNames =
    [
        "ConfReq", "ConfAck", "ConfNak", "ConfRej", "TermReq", "TermAck", "CodeRej",
    ];

    // RFC 1962 §2.1: CCP adds Reset-Request (14) and Reset-Ack (15).
    private static readonly string[] CcpCodeNames =
    [
        "ConfReq", "ConfAck", "ConfNak", "ConfRej", "TermReq", "TermAck", "CodeRej",
        "", "", "", "", "", "", "ResetReq", "ResetAck",
    ];

    private static readonly string[] EndpointClassNames = ["null", "local", "IP", "MAC", "magic", "phone"];

    // RFC 1570 §2.4 and §2.5: LCP codes beyond those of RFC 1661.
    private const ControlCode Identification = (ControlCode)12;
    private const ControlCode TimeRemaining = (ControlCode)13;

    /// <summary>
    /// Appends code, identifier and body; returns the octets consumed (the packet's Length), or 0
    /// when the header is one RFC 1661 §5 says to discard, so the caller dumps it all in hex.
    /// </summary>
    private static int AppendControlPacket(StringBuilder text, ushort protocol, ReadOnlySpan<byte> information)
    {
        if (information.Length < ControlHeaderLength)
            return 0;
        int length = BinaryPrimitives.ReadUInt16BigEndian(information[2..]);
        if (length < ControlHeaderLength || length > information.Length)
            return 0;

        byte code = information[0];
        bool isLcp = protocol == PppProtocol.Lcp;
        string[] names = protocol switch
        {
            PppProtocol.Lcp => LcpCodeNames,
            PppProtocol.Ccp => CcpCodeNames,
            _ => NcpCodeNames,
        };
        OptionDescriber describe = protocol switch
        {
            PppProtocol.Lcp => DescribeLcpOption,
            PppProtocol.Ipcp => DescribeIpcpOption,
            PppProtocol.Ipv6cp => DescribeIpv6cpOption,
            _ => DescribeNothing,
        };
        AppendCodeName(text, code, names);
        text.Append(" id=0x").Append(Hex(information[1]));

        var body = information[ControlHeaderLength..length];
        int offset = 0;
        switch ((ControlCode)code)
        {
            case ControlCode.ConfReq or ControlCode.ConfAck or ControlCode.ConfNak or ControlCode.ConfRej:
                offset = AppendOptions(text, body, describe);
                break;
            case ControlCode.TermReq or ControlCode.TermAck:
                // RFC 1661 §5.5: the Data is opaque, but peers put a reason text there.
                if (body.Length > 0 && IsPrintable(body[0]))
                {
                    text.Append(' ');
                    AppendQuoted(text, body);
                    offset = body.Length;
                }
                break;
            case ControlCode.ProtRej when isLcp:
                offset = AppendProtocolReject(text, body);
                break;
            case ControlCode.EchoReq or ControlCode.EchoRep or ControlCode.DiscReq when isLcp:
                // RFC 1661 §5.8 and §5.9: the Data starts with the sender's Magic-Number.
                if (body.Length >= 4)
                {
                    text.Append(" magic=0x").Append(Hex(BinaryPrimitives.ReadUInt32BigEndian(body)));
                    offset = 4;
                }
                break;
            case Identification or TimeRemaining when isLcp:
                offset = AppendIdentificationOrTimeRemaining(text, code, body);
                break;
        }
        AppendHexCapped(text, body[offset..]);
        return length;
    }

    private static void AppendCodeName(StringBuilder text, byte code, string[] names)
    {
        if (code >= 1 && code <= names.Length && names[code - 1].Length > 0)
            text.Append(' ').Append(names[code - 1]);
        else
            text.Append(" code=0x").Append(Hex(code));
    }

    /// <summary>
    /// Each option as " &lt;...&gt;". Stops at the first option whose Length is below 2 or runs past
    /// the packet (RFC 1661 §6), returning how far it got so the rest is dumped in hex.
    /// </summary>
    private static int AppendOptions(StringBuilder text, ReadOnlySpan<byte> options, OptionDescriber describe)
    {
        int offset = 0;
        while (options.Length - offset >= 2)
        {
            byte type = options[offset];
            int optionLength = options[offset + 1];
            if (optionLength < 2 || optionLength > options.Length - offset)
                break;
            var option = options.Slice(offset, optionLength);
            text.Append(" <");
            int used = describe(text, type, option[2..]);
            AppendHexBytes(text, used == NotDescribed ? option : option[(2 + used)..]);
            text.Append('>');
            offset += optionLength;
        }
        return offset;
    }

    /// <summary>
    /// RFC 1661 §5.7: the rejected protocol, then the rejected packet. That packet is one we sent,
    /// and when it belongs to an authentication protocol it may hold our password, so it is hidden.
    /// </summary>
    private static int AppendProtocolReject(StringBuilder text, ReadOnlySpan<byte> body)
    {
        if (body.Length < 2)
            return 0;
        ushort rejected = BinaryPrimitives.ReadUInt16BigEndian(body);
        text.Append(" proto=0x").Append(Hex(rejected));
        if (rejected is PppProtocol.Pap or PppProtocol.Chap or PppProtocol.Eap)
        {
            AppendHidden(text, body.Length - 2);
            return body.Length;
        }
        return 2;
    }

    /// <summary>RFC 1570 §2.4 and §2.5: Magic-Number, for Time-Remaining the seconds, then a message.</summary>
    private static int AppendIdentificationOrTimeRemaining(StringBuilder text, byte code, ReadOnlySpan<byte> body)
    {
        int offset = 0;
        if (body.Length >= 4)
        {
            text.Append(" magic=0x").Append(Hex(BinaryPrimitives.ReadUInt32BigEndian(body)));
            offset = 4;
        }
        if ((ControlCode)code == TimeRemaining)
        {
            if (body.Length - offset < 4)
                return offset;
            text.Append(" seconds=").Append(BinaryPrimitives.ReadUInt32BigEndian(body[offset..]).ToString(CultureInfo.InvariantCulture));
            offset += 4;
        }
        if (body.Length > offset)
        {
            text.Append(' ');
            AppendQuoted(text, body[offset..]);
            offset = body.Length;
        }
        return offset;
    }

    private static int DescribeNothing(StringBuilder text, byte type, ReadOnlySpan<byte> data) => NotDescribed;

    private static int DescribeLcpOption(StringBuilder text, byte type, ReadOnlySpan<byte> data)
    {
        switch (type)
        {
            case LcpOption.Mru when LcpOption.TryReadMru(data, out ushort mru):
                text.Append("mru ").Append(mru.ToString(CultureInfo.InvariantCulture));
                return data.Length;
            case LcpOption.Accm when LcpOption.TryReadAccm(data, out uint accm):
                text.Append("asyncmap 0x").Append(Hex(accm));
                return data.Length;
            case LcpOption.AuthProtocol when data.Length >= 2:
                return DescribeAuthProtocol(text, data);
            case LcpOption.QualityProtocol when data.Length >= 2:
                ushort quality = BinaryPrimitives.ReadUInt16BigEndian(data);
                text.Append("quality ").Append(quality == PppProtocol.Lqr ? "lqr" : "0x" + Hex(quality));
                return 2;
            case LcpOption.Callback when data.Length >= 1:
                text.Append("callback ").Append(data[0] == LcpOption.CallbackCbcp ? "CBCP" : "0x" + Hex(data[0]));
                return 1;
            case LcpOption.MagicNumber when LcpOption.TryReadMagicNumber(data, out uint magic):
                text.Append("magic 0x").Append(Hex(magic));
                return data.Length;
            case LcpOption.Pfc when LcpOption.TryReadPfc(data):
                text.Append("pcomp");
                return 0;
            case LcpOption.Acfc when LcpOption.TryReadAcfc(data):
                text.Append("accomp");
                return 0;
            case LcpOption.Mrru when LcpOption.TryReadMrru(data, out ushort mrru):
                text.Append("mrru ").Append(mrru.ToString(CultureInfo.InvariantCulture));
                return data.Length;
            case LcpOption.ShortSequenceNumberHeaderFormat when data.IsEmpty:
                text.Append("ssnhf");
                return 0;
            case LcpOption.EndpointDiscriminator when data.Length >= 1:
                text.Append("endpoint [");
                AppendEndpointDiscriminator(text, data[0], data[1..]);
                text.Append(']');
                return data.Length;
            default:
                return NotDescribed;
        }
    }

    /// <summary>"auth pap", "auth chap MD5", "auth eap" or "auth 0x..." (RFC 1661 §6.2, RFC 1994 §3).</summary>
    private static int DescribeAuthProtocol(StringBuilder text, ReadOnlySpan<byte> data)
    {
        ushort protocol = BinaryPrimitives.ReadUInt16BigEndian(data);
        text.Append("auth ");
        switch (protocol)
        {
            case PppProtocol.Pap:
                text.Append("pap");
                return 2;
            case PppProtocol.Eap:
                text.Append("eap");
                return 2;
            case PppProtocol.Chap:
                text.Append("chap");
                string? algorithm = data.Length > 2
                    ? data[2] switch
                    {
                        LcpOption.ChapMd5 => "MD5",
                        LcpOption.ChapMicrosoft => "MS",
                        LcpOption.ChapMicrosoftV2 => "MS-v2",
                        _ => null,
                    }
                    : null;
                if (algorithm is null)
                    return 2;
                text.Append(' ').Append(algorithm);
                return 3;
            default:
                text.Append("0x").Append(Hex(protocol));
                return 2;
        }
    }

    /// <summary>
    /// RFC 1990 §5.1.3 classes: null, local, IP, MAC, magic, phone. Octets are joined by "." (by
    /// ":" for a MAC address, in groups of four for magic-number blocks).
    /// </summary>
    private static void AppendEndpointDiscriminator(StringBuilder text, byte endpointClass, ReadOnlySpan<byte> address)
    {
        const byte Null = 0, Ip = 2, Mac = 3, Magic = 4, Phone = 5;
        if (endpointClass == Null && address.IsEmpty)
        {
            text.Append("null");
            return;
        }
        if (endpointClass == Ip && address.Length == 4)
        {
            text.Append("IP:").Append(new System.Net.IPAddress(address).ToString());
            return;
        }
        text.Append(endpointClass <= Phone ? EndpointClassNames[endpointClass] : endpointClass.ToString(CultureInfo.InvariantCulture));
        char separator = endpointClass == Mac && address.Length == 6 ? ':' : '.';
        int group = endpointClass == Magic && address.Length % 4 == 0 ? 4 : 1;
        for (int i = 0; i < address.Length; i++)
        {
            if (i % group == 0)
                text.Append(i == 0 ? ':' : separator);
            text.Append(address[i].ToString("x2", CultureInfo.InvariantCulture));
        }
    }

    private static int DescribeIpcpOption(StringBuilder text, byte type, ReadOnlySpan<byte> data)
    {
        switch (type)
        {
            // RFC 1172 §5.1: the sender's address, then the receiver's.
            case IpcpOption.IpAddresses when data.Length == 8:
                text.Append("addrs ").Append(new System.Net.IPAddress(data[..4]).ToString())
                    .Append(' ').Append(new System.Net.IPAddress(data[4..]).ToString());
                return data.Length;
            case IpcpOption.IpCompressionProtocol when IpcpOption.TryReadIpCompressionProtocol(data, out ushort protocol, out _):
                text.Append("compress ").Append(protocol switch
                {
                    IpcpOption.VjCompression => "VJ",
                    IpcpOption.VjCompressionOld => "old-VJ",
                    _ => "0x" + Hex(protocol),
                });
                return 2;
            case IpcpOption.IpAddress when IpcpOption.TryReadAddress(data, out var address):
                text.Append("addr ").Append(address.ToString());
                return data.Length;
            // As pppd 2.4.9 logs them (seen in its debug log): primary "ms-dns1", secondary "ms-dns2".
            case IpcpOption.PrimaryDns or IpcpOption.SecondaryDns when IpcpOption.TryReadAddress(data, out var dns):
                text.Append(type == IpcpOption.PrimaryDns ? "ms-dns1 " : "ms-dns2 ").Append(dns.ToString());
                return data.Length;
            case IpcpOption.PrimaryNbns or IpcpOption.SecondaryNbns when IpcpOption.TryReadAddress(data, out var nbns):
                text.Append("ms-wins ").Append(nbns.ToString());
                return data.Length;
            default:
                return NotDescribed;
        }
    }

    private static int DescribeIpv6cpOption(StringBuilder text, byte type, ReadOnlySpan<byte> data)
    {
        switch (type)
        {
            case Ipv6cpOption.Ipv6CompressionProtocol when Ipv6cpOption.TryReadIpv6CompressionProtocol(data, out ushort protocol, out _):
                text.Append("compress 0x").Append(Hex(protocol));
                return 2;
            // The identifier as a link-local address (RFC 5072 §5), each 16-bit group in full.
            case Ipv6cpOption.InterfaceIdentifier when Ipv6cpOption.TryReadInterfaceIdentifier(data, out _):
                text.Append("addr fe80::");
                for (int i = 0; i < 8; i += 2)
                {
                    if (i > 0)
                        text.Append(':');
                    text.Append(data[i].ToString("x2", CultureInfo.InvariantCulture))
                        .Append(data[i + 1].ToString("x2", CultureInfo.InvariantCulture));
                }
                return data.Length;
            default:
                return NotDescribed;
        }
    }
}
