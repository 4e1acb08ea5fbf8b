using LinkActors.Ppp.Framing;
using LinkActors.Ppp.Packets;

namespace LinkActors.Emulator.Tests.Support;

/// <summary>HDLC-framed PPP packets for the black-hole tests, and a decoder that lists what got through.</summary>
internal static class Frames
{
    // LCP Echo-Request: code 9, id 1, length 8, magic number 0x12345678 (RFC 1661 §5.8).
    public static readonly byte[] LcpEchoRequest = [0x09, 0x01, 0x00, 0x08, 0x12, 0x34, 0x56, 0x78];

    // IPCP Configure-Request: code 1, id 1, length 10, IP-Address 0.0.0.0 (RFC 1332 §3.3).
    public static readonly byte[] IpcpConfigureRequest = [0x01, 0x01, 0x00, 0x0A, 0x03, 0x06, 0x00, 0x00, 0x00, 0x00];

    // An IPv4 header (version 4, IHL 5, length 28, ICMP, 10.43.124.1 -> 10.0.0.1) and an echo request.
    public static readonly byte[] Ipv4Ping =
    [
        0x45, 0x00, 0x00, 0x1C, 0x00, 0x01, 0x00, 0x00, 0x40, 0x01, 0x00, 0x00,
        0x0A, 0x2B, 0x7C, 0x01, 0x0A, 0x00, 0x00, 0x01,
        0x08, 0x00, 0xF7, 0xFE, 0x00, 0x01, 0x00, 0x00,
    ];

    // An IPv6 header: version 6, no payload, hop limit 64, fe80::1 -> fe80::2; 0x7D and 0x7E inside force escapes.
    public static readonly byte[] Ipv6Empty =
    [
        0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3B, 0x40,
        0xFE, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x7D, 0x7E, 0, 0x01,
        0xFE, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
    ];

    public static byte[] Encode(ushort protocol, byte[] information, bool compressed = false)
    {
        var encoder = new HdlcEncoder { Pfc = compressed, Acfc = compressed };
        byte[] buffer = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
        int n = encoder.Encode(protocol, information, buffer);
        return buffer[..n];
    }

    /// <summary>
    /// LCP, IPv4, IPCP, IPv4 with one-octet protocol (PFC) and no address/control, IPv6, LCP: what a black
    /// hole must reduce to the control frames, with each dropped frame leaving its two flags.
    /// </summary>
    public static (byte[] Sent, byte[] ExpectedThroughBlackHole) MixedStream()
    {
        var frames = new (byte[] Bytes, bool Dropped)[]
        {
            (Encode(PppProtocol.Lcp, LcpEchoRequest), false),
            (Encode(PppProtocol.Ipv4, Ipv4Ping), true),
            (Encode(PppProtocol.Ipcp, IpcpConfigureRequest), false),
            (Encode(PppProtocol.Ipv4, Ipv4Ping, compressed: true), true),
            (Encode(PppProtocol.Ipv6, Ipv6Empty), true),
            (Encode(PppProtocol.Lcp, LcpEchoRequest), false),
        };
        byte[] sent = [.. frames.SelectMany(f => f.Bytes)];
        byte[] expected = [.. frames.SelectMany(f => f.Dropped ? [Hdlc.Flag, Hdlc.Flag] : f.Bytes)];
        return (sent, expected);
    }

    public static List<ushort> Protocols(byte[] stream)
    {
        var sink = new ProtocolList();
        new HdlcDecoder().Decode(stream, sink);
        return sink.Seen;
    }

    private sealed class ProtocolList : IHdlcFrameSink
    {
        public List<ushort> Seen { get; } = [];

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => Seen.Add(protocol);
    }
}
