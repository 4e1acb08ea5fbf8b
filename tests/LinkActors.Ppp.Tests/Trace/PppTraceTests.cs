using System.Text;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Trace;

namespace LinkActors.Ppp.Tests.Trace;

public class PppTraceTests
{
    [Fact]
    public void Format_LcpConfReq_PrintsEveryOption()
    {
        byte[] packet =
        [
            0x01, 0x01, 0x00, 0x18,             // Configure-Request, id 1, Length 24
            0x01, 0x04, 0x05, 0xDC,             // MRU 1500
            0x02, 0x06, 0x00, 0x00, 0x00, 0x00, // ACCM 0
            0x05, 0x06, 0x12, 0x34, 0x56, 0x78, // Magic-Number
            0x07, 0x02,                         // PFC
            0x08, 0x02,                         // ACFC
        ];
        Assert.Equal("sent [LCP ConfReq id=0x1 <mru 1500> <asyncmap 0x0> <magic 0x12345678> <pcomp> <accomp>]",
            PppTrace.Format(sent: true, PppProtocol.Lcp, packet));
    }

    [Fact]
    public void Format_LcpAuthProtocols_NameChapAlgorithmAndPap()
    {
        byte[] packet =
        [
            0x02, 0x07, 0x00, 0x11,             // Configure-Ack, id 7, Length 17
            0x03, 0x05, 0xC2, 0x23, 0x05,       // Auth: CHAP MD5
            0x03, 0x04, 0xC0, 0x23,             // Auth: PAP
            0x03, 0x04, 0xC2, 0x27,             // Auth: EAP
        ];
        Assert.Equal("rcvd [LCP ConfAck id=0x7 <auth chap MD5> <auth pap> <auth eap>]",
            PppTrace.Format(sent: false, PppProtocol.Lcp, packet));
    }

    [Fact]
    public void FormatPacket_ChapWithUnknownAlgorithm_PrintsAlgorithmInHex()
    {
        byte[] packet = [0x01, 0x01, 0x00, 0x09, 0x03, 0x05, 0xC2, 0x23, 0x06]; // Auth: CHAP, algorithm 6
        Assert.Equal("[LCP ConfReq id=0x1 <auth chap 06>]", PppTrace.FormatPacket(PppProtocol.Lcp, packet));
    }

    [Fact]
    public void FormatPacket_UnknownLcpOption_PrintsWholeOptionInHex()
    {
        byte[] packet =
        [
            0x01, 0x02, 0x00, 0x0C,       // Configure-Request, id 2, Length 12
            0x1F, 0x05, 0xAA, 0xBB, 0xCC, // unassigned type 31
            0x01, 0x03, 0x05,             // MRU with a lying Length of 3
        ];
        Assert.Equal("[LCP ConfReq id=0x2 < 1f 05 aa bb cc> < 01 03 05>]", PppTrace.FormatPacket(PppProtocol.Lcp, packet));
    }

    [Fact]
    public void FormatPacket_LcpMultilinkOptions_Named()
    {
        byte[] packet =
        [
            0x01, 0x03, 0x00, 0x1C,                               // Configure-Request, id 3, Length 28
            0x11, 0x04, 0x05, 0xDC,                               // MRRU 1500
            0x12, 0x02,                                           // Short sequence numbers
            0x13, 0x09, 0x03, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, // Endpoint: MAC
            0x13, 0x06, 0x01, 0xAA, 0xBB, 0xCC,                   // Endpoint: local
            0x0D, 0x03, 0x06,                                     // Callback: CBCP
        ];
        Assert.Equal("[LCP ConfReq id=0x3 <mrru 1500> <ssnhf> <endpoint [MAC:00:11:22:33:44:55]> <endpoint [local:aa.bb.cc]> <callback CBCP>]",
            PppTrace.FormatPacket(PppProtocol.Lcp, packet));
    }

    [Fact]
    public void FormatPacket_OptionRunningPastEnd_PrintsRestInHex()
    {
        byte[] packet =
        [
            0x01, 0x01, 0x00, 0x0A, // Configure-Request, id 1, Length 10
            0x01, 0x04, 0x05, 0xDC, // MRU 1500
            0x05, 0x06,             // Magic-Number claiming 6 octets, 2 present
        ];
        Assert.Equal("[LCP ConfReq id=0x1 <mru 1500> 05 06]", PppTrace.FormatPacket(PppProtocol.Lcp, packet));
    }

    [Fact]
    public void FormatPacket_OptionLengthZero_PrintsRestInHex()
    {
        byte[] packet = [0x01, 0x01, 0x00, 0x06, 0x05, 0x00]; // option with Length 0
        Assert.Equal("[LCP ConfReq id=0x1 05 00]", PppTrace.FormatPacket(PppProtocol.Lcp, packet));
    }

    [Theory]
    [InlineData(new byte[0], "[LCP]")]
    [InlineData(new byte[] { 0x01, 0x01 }, "[LCP] 01 01")]                          // shorter than a header
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0xFF, 0x01, 0x04 }, "[LCP] 01 01 00 ff 01 04")] // Length past the end
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x02 }, "[LCP] 01 01 00 02")]        // Length below 4
    public void FormatPacket_MalformedHeader_PrintsAllInHex(byte[] packet, string expected) =>
        Assert.Equal(expected, PppTrace.FormatPacket(PppProtocol.Lcp, packet));

    [Fact]
    public void Format_EchoReq_PrintsMagic()
    {
        byte[] packet = [0x09, 0x00, 0x00, 0x08, 0x12, 0x34, 0x56, 0x78]; // Echo-Request, id 0, magic
        Assert.Equal("rcvd [LCP EchoReq id=0x0 magic=0x12345678]", PppTrace.Format(sent: false, PppProtocol.Lcp, packet));
    }

    [Fact]
    public void FormatPacket_EchoRepWithPaddingAndData_PrintsDataInsideAndPaddingAfter()
    {
        byte[] packet =
        [
            0x0A, 0x04, 0x00, 0x0A,             // Echo-Reply, id 4, Length 10
            0x00, 0x00, 0x00, 0x01,             // magic 1
            0xDE, 0xAD,                         // data
            0x00, 0x00,                         // padding past Length (RFC 1661 §5)
        ];
        Assert.Equal("[LCP EchoRep id=0x4 magic=0x1 de ad] 00 00", PppTrace.FormatPacket(PppProtocol.Lcp, packet));
    }

    [Fact]
    public void FormatPacket_TermReqWithReason_QuotesAndEscapes()
    {
        byte[] reason = Encoding.ASCII.GetBytes("a\"b\\\n\u0001");
        byte[] packet = [0x05, 0x02, 0x00, (byte)(4 + reason.Length), .. reason];
        Assert.Equal("[LCP TermReq id=0x2 \"a\\\"b\\\\\\n\\001\"]", PppTrace.FormatPacket(PppProtocol.Lcp, packet));
    }

    [Fact]
    public void FormatPacket_TermAckWithBinaryData_PrintsHex()
    {
        byte[] packet = [0x06, 0x02, 0x00, 0x06, 0x00, 0x01];
        Assert.Equal("[LCP TermAck id=0x2 00 01]", PppTrace.FormatPacket(PppProtocol.Lcp, packet));
    }

    [Fact]
    public void FormatPacket_UnknownCode_PrintsCodeNumber()
    {
        byte[] packet = [0x20, 0x01, 0x00, 0x05, 0x7F];
        Assert.Equal("[LCP code=0x20 id=0x1 7f]", PppTrace.FormatPacket(PppProtocol.Lcp, packet));
    }

    [Fact]
    public void FormatPacket_ProtRejOfIpv6cp_PrintsProtocolAndRejectedPacket()
    {
        byte[] packet =
        [
            0x08, 0x03, 0x00, 0x0A, // Protocol-Reject, id 3, Length 10
            0x80, 0x57,             // rejected protocol IPV6CP
            0x01, 0x01, 0x00, 0x04, // the rejected packet
        ];
        Assert.Equal("[LCP ProtRej id=0x3 proto=0x8057 01 01 00 04]", PppTrace.FormatPacket(PppProtocol.Lcp, packet));
    }

    [Fact]
    public void FormatPacket_ProtRejOfPap_HidesRejectedPacket()
    {
        byte[] packet =
        [
            0x08, 0x03, 0x00, 0x13,                   // Protocol-Reject, id 3, Length 19
            0xC0, 0x23,                               // rejected protocol PAP
            0x01, 0x01, 0x00, 0x0D, 0x01, (byte)'u',  // our Authenticate-Request...
            0x06, (byte)'s', (byte)'e', (byte)'c', (byte)'r', (byte)'e', (byte)'t', // ...with its password
        ];
        string text = PppTrace.FormatPacket(PppProtocol.Lcp, packet);
        Assert.Equal("[LCP ProtRej id=0x3 proto=0xc023 <13 octets hidden>]", text);
    }

    [Fact]
    public void FormatPacket_IdentificationAndTimeRemaining_PrintMagicSecondsMessage()
    {
        byte[] ident = [0x0C, 0x01, 0x00, 0x0B, 0x00, 0x00, 0x00, 0x01, (byte)'h', (byte)'e', (byte)'y'];
        byte[] time = [0x0D, 0x02, 0x00, 0x0E, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, (byte)'o', (byte)'k'];
        Assert.Equal("[LCP Ident id=0x1 magic=0x1 \"hey\"]", PppTrace.FormatPacket(PppProtocol.Lcp, ident));
        Assert.Equal("[LCP TimeRem id=0x2 magic=0x1 seconds=60 \"ok\"]", PppTrace.FormatPacket(PppProtocol.Lcp, time));
    }

    [Fact]
    public void Format_IpcpConfNak_PrintsAddress()
    {
        byte[] packet =
        [
            0x03, 0x01, 0x00, 0x0A,             // Configure-Nak, id 1, Length 10
            0x03, 0x06, 0xC0, 0x00, 0x02, 0x02, // IP-Address 192.0.2.2
        ];
        Assert.Equal("rcvd [IPCP ConfNak id=0x1 <addr 192.0.2.2>]", PppTrace.Format(sent: false, PppProtocol.Ipcp, packet));
    }

    [Fact]
    public void FormatPacket_IpcpConfReq_PrintsCompressionAndServers()
    {
        byte[] packet =
        [
            0x01, 0x01, 0x00, 0x24,             // Configure-Request, id 1, Length 36
            0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01, // VJ, max slot 15, slot compression
            0x03, 0x06, 0x00, 0x00, 0x00, 0x00, // IP-Address 0.0.0.0
            0x81, 0x06, 0x00, 0x00, 0x00, 0x00, // Primary DNS
            0x83, 0x06, 0x00, 0x00, 0x00, 0x00, // Secondary DNS
            0x82, 0x06, 0x0A, 0x00, 0x00, 0x01, // Primary NBNS
            0x01, 0x02,                         // IP-Addresses with a wrong length
        ];
        Assert.Equal("[IPCP ConfReq id=0x1 <compress VJ 0f 01> <addr 0.0.0.0> <ms-dns1 0.0.0.0> <ms-dns2 0.0.0.0> <ms-wins 10.0.0.1> < 01 02>]",
            PppTrace.FormatPacket(PppProtocol.Ipcp, packet));
    }

    [Fact]
    public void FormatPacket_IpcpLcpOnlyCode_PrintsCodeNumber()
    {
        byte[] packet = [0x09, 0x01, 0x00, 0x08, 0x12, 0x34, 0x56, 0x78]; // Echo-Request is LCP only
        Assert.Equal("[IPCP code=0x9 id=0x1 12 34 56 78]", PppTrace.FormatPacket(PppProtocol.Ipcp, packet));
    }

    [Fact]
    public void FormatPacket_Ipv6cpConfReq_PrintsLinkLocalAddress()
    {
        byte[] packet =
        [
            0x01, 0x01, 0x00, 0x0E,                         // Configure-Request, id 1, Length 14
            0x01, 0x0A, 0x02, 0x11, 0x22, 0xFF, 0xFE, 0x33, 0x00, 0x05, // Interface-Identifier
        ];
        Assert.Equal("[IPV6CP ConfReq id=0x1 <addr fe80::0211:22ff:fe33:0005>]", PppTrace.FormatPacket(PppProtocol.Ipv6cp, packet));
    }

    [Fact]
    public void FormatPacket_Ipv6cpCompressionAndUnknown_PrintsProtocolThenHex()
    {
        byte[] packet =
        [
            0x04, 0x01, 0x00, 0x0D,             // Configure-Reject, id 1, Length 13
            0x02, 0x06, 0x00, 0x4F, 0x00, 0x0F, // IPv6-Compression-Protocol IPHC
            0x09, 0x03, 0x01,                   // unknown type 9
        ];
        Assert.Equal("[IPV6CP ConfRej id=0x1 <compress 0x4f 00 0f> < 09 03 01>]", PppTrace.FormatPacket(PppProtocol.Ipv6cp, packet));
    }

    [Fact]
    public void FormatPacket_Ccp_PrintsOptionsInHexAndResetCodes()
    {
        byte[] request = [0x01, 0x01, 0x00, 0x08, 0x1A, 0x04, 0x78, 0x00];
        byte[] reset = [0x0E, 0x05, 0x00, 0x04];
        Assert.Equal("[CCP ConfReq id=0x1 < 1a 04 78 00>]", PppTrace.FormatPacket(PppProtocol.Ccp, request));
        Assert.Equal("[CCP ResetReq id=0x5]", PppTrace.FormatPacket(PppProtocol.Ccp, reset));
    }

    [Fact]
    public void Format_PapAuthReq_HidesPassword()
    {
        byte[] packet =
        [
            0x01, 0x01, 0x00, 0x0D,  // Authenticate-Request, id 1, Length 13
            0x01, (byte)'u',         // Peer-ID "u"
            0x06, (byte)'s', (byte)'e', (byte)'c', (byte)'r', (byte)'e', (byte)'t', // Password
        ];
        string text = PppTrace.Format(sent: true, PppProtocol.Pap, packet);
        Assert.Equal("sent [PAP AuthReq id=0x1 user=\"u\" password=<hidden>]", text);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatPacket_PapAuthReqTruncated_HidesEverythingUndecoded()
    {
        byte[] packet =
        [
            0x01, 0x01, 0x00, 0x0A,           // Authenticate-Request, id 1, Length 10
            0x01, (byte)'u',                  // Peer-ID "u"
            0x06, (byte)'s', (byte)'e', (byte)'c', // Password claiming 6 octets, 3 present
        ];
        string text = PppTrace.FormatPacket(PppProtocol.Pap, packet);
        Assert.Equal("[PAP AuthReq id=0x1 <6 octets hidden>]", text);
        Assert.DoesNotContain("73", text, StringComparison.Ordinal); // 's' in hex
    }

    [Fact]
    public void FormatPacket_PapBrokenHeaderOrPadding_HidesOctets()
    {
        byte[] broken = [0x01, 0x01, 0x00, 0x40, 0x01, (byte)'u', 0x01, (byte)'p'];
        byte[] padded = [0x02, 0x01, 0x00, 0x05, 0x00, (byte)'p', (byte)'w'];
        Assert.Equal("[PAP] <8 octets hidden>", PppTrace.FormatPacket(PppProtocol.Pap, broken));
        Assert.Equal("[PAP AuthAck id=0x1 \"\"] <2 octets hidden>", PppTrace.FormatPacket(PppProtocol.Pap, padded));
    }

    [Fact]
    public void FormatPacket_PapAuthAckAndNak_QuoteMessage()
    {
        byte[] ack = [0x02, 0x01, 0x00, 0x0A, 0x05, (byte)'H', (byte)'e', (byte)'l', (byte)'l', (byte)'o'];
        byte[] nak = [0x03, 0x02, 0x00, 0x05, 0x00];
        Assert.Equal("[PAP AuthAck id=0x1 \"Hello\"]", PppTrace.FormatPacket(PppProtocol.Pap, ack));
        Assert.Equal("[PAP AuthNak id=0x2 \"\"]", PppTrace.FormatPacket(PppProtocol.Pap, nak));
    }

    [Fact]
    public void FormatPacket_ChapChallengeAndResponse_HideValue()
    {
        byte[] value = [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10];
        byte[] challenge = [0x01, 0x02, 0x00, 0x1B, 0x10, .. value, .. "server"u8];
        byte[] response = [0x02, 0x02, 0x00, 0x1B, 0x10, .. value, .. "client"u8];

        string challengeText = PppTrace.Format(sent: false, PppProtocol.Chap, challenge);
        string responseText = PppTrace.Format(sent: true, PppProtocol.Chap, response);

        Assert.Equal("rcvd [CHAP Challenge id=0x2 <hidden>, name = \"server\"]", challengeText);
        Assert.Equal("sent [CHAP Response id=0x2 <hidden>, name = \"client\"]", responseText);
        Assert.DoesNotContain("0123", responseText, StringComparison.Ordinal);
        Assert.DoesNotContain("01 23", responseText, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatPacket_ChapResponseValueSizeLies_HidesBody()
    {
        byte[] response = [0x02, 0x02, 0x00, 0x08, 0x10, 0x01, 0x23, 0x45]; // Value-Size 16, 3 present
        Assert.Equal("[CHAP Response id=0x2 <4 octets hidden>]", PppTrace.FormatPacket(PppProtocol.Chap, response));
    }

    [Fact]
    public void FormatPacket_ChapSuccessAndFailure_QuoteMessage()
    {
        byte[] success = [0x03, 0x02, 0x00, 0x0B, .. "Welcome"u8];
        byte[] failure = [0x04, 0x02, 0x00, 0x04];
        Assert.Equal("[CHAP Success id=0x2 \"Welcome\"]", PppTrace.FormatPacket(PppProtocol.Chap, success));
        Assert.Equal("[CHAP Failure id=0x2 \"\"]", PppTrace.FormatPacket(PppProtocol.Chap, failure));
    }

    [Fact]
    public void FormatPacket_ChapUnknownCode_HidesBody()
    {
        byte[] packet = [0x07, 0x02, 0x00, 0x06, 0xAB, 0xCD];
        Assert.Equal("[CHAP code=0x7 id=0x2 <2 octets hidden>]", PppTrace.FormatPacket(PppProtocol.Chap, packet));
    }

    [Fact]
    public void FormatPacket_Eap_HidesBody()
    {
        byte[] packet = [0x01, 0x09, 0x00, 0x06, 0x01, 0x41]; // Request, id 9, Identity
        Assert.Equal("[EAP Request id=0x9 <2 octets hidden>]", PppTrace.FormatPacket(PppProtocol.Eap, packet));
    }

    [Fact]
    public void FormatPacket_UnknownProtocol_PrintsNumberThenHex()
    {
        byte[] packet = [0x01, 0x02, 0x03];
        Assert.Equal("[proto=0x8207] 01 02 03", PppTrace.FormatPacket(0x8207, packet));
        Assert.Equal("[proto=0x2d] 01 02 03", PppTrace.FormatPacket(PppProtocol.VjCompressedTcp, packet));
    }

    [Fact]
    public void FormatPacket_LongUnknownPacket_CutsHexAt32Octets()
    {
        var packet = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        string text = PppTrace.FormatPacket(0xC025, packet);
        Assert.StartsWith("[proto=0xc025] 00 01 02", text, StringComparison.Ordinal);
        Assert.EndsWith(" 1e 1f ...", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatPacket_Ipv4Icmp_Summarised()
    {
        byte[] packet =
        [
            0x45, 0x00, 0x00, 0x54,  // version 4, IHL 5, total length 84
            0x12, 0x34, 0x40, 0x00,  // id, don't fragment
            0x40, 0x01, 0x00, 0x00,  // TTL 64, ICMP, checksum
            0xC0, 0x00, 0x02, 0x01,  // source 192.0.2.1
            0xC0, 0x00, 0x02, 0x02,  // destination 192.0.2.2
            0x08, 0x00, 0x00, 0x00,  // echo request
        ];
        Assert.Equal("sent [IP data 192.0.2.1 > 192.0.2.2 icmp len=84]", PppTrace.Format(sent: true, PppProtocol.Ipv4, packet));
    }

    [Fact]
    public void FormatPacket_Ipv4Udp_ShowsPorts()
    {
        byte[] packet =
        [
            0x45, 0x00, 0x00, 0x3C, 0x00, 0x00, 0x00, 0x00,
            0x40, 0x11, 0x00, 0x00,  // TTL 64, UDP
            0xC0, 0x00, 0x02, 0x01,
            0xC6, 0x33, 0x64, 0x01,  // 198.51.100.1
            0x9C, 0x40, 0x00, 0x35,  // ports 40000 -> 53
        ];
        Assert.Equal("[IP data 192.0.2.1:40000 > 198.51.100.1:53 udp len=60]", PppTrace.FormatPacket(PppProtocol.Ipv4, packet));
    }

    [Fact]
    public void FormatPacket_Ipv4Fragment_MarkedWithoutPorts()
    {
        byte[] packet =
        [
            0x45, 0x00, 0x00, 0x3C, 0x00, 0x00, 0x00, 0x10, // fragment offset 16
            0x40, 0x11, 0x00, 0x00,
            0xC0, 0x00, 0x02, 0x01, 0xC0, 0x00, 0x02, 0x02,
            0x9C, 0x40, 0x00, 0x35,
        ];
        Assert.Equal("[IP data 192.0.2.1 > 192.0.2.2 udp len=60 frag]", PppTrace.FormatPacket(PppProtocol.Ipv4, packet));
    }

    [Fact]
    public void FormatPacket_Ipv4Truncated_FallsBackToHex()
    {
        byte[] packet = [0x45, 0x00, 0x00, 0x54, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01];
        Assert.Equal("[IP data] 45 00 00 54 12 34 40 00 ...", PppTrace.FormatPacket(PppProtocol.Ipv4, packet));
        Assert.Equal("[IP data] 45 00", PppTrace.FormatPacket(PppProtocol.Ipv4, [0x45, 0x00]));
    }

    [Fact]
    public void FormatPacket_Ipv6_Summarised()
    {
        byte[] packet = new byte[48];
        packet[0] = 0x60;                 // version 6
        packet[5] = 0x08;                 // payload length 8
        packet[6] = 58;                   // ICMPv6
        packet[8] = 0xFE; packet[9] = 0x80; packet[23] = 0x01;   // fe80::1
        packet[24] = 0xFF; packet[25] = 0x02; packet[39] = 0x02; // ff02::2
        Assert.Equal("[IPV6 data fe80::1 > ff02::2 icmpv6 len=48]", PppTrace.FormatPacket(PppProtocol.Ipv6, packet));
    }

    [Fact]
    public void FormatPacket_AnyBytesAnyProtocol_NeverThrows()
    {
        ushort[] protocols =
        [
            PppProtocol.Lcp, PppProtocol.Ipcp, PppProtocol.Ipv6cp, PppProtocol.Ccp, PppProtocol.Pap,
            PppProtocol.Chap, PppProtocol.Eap, PppProtocol.Ipv4, PppProtocol.Ipv6, PppProtocol.Lqr, 0x0001, 0xFFFF,
        ];
        var random = new Random(1661);
        for (int i = 0; i < 20_000; i++)
        {
            var packet = new byte[random.Next(0, 80)];
            random.NextBytes(packet);
            // Half the time give the packet a plausible code and a Length that fits, to reach the option walkers.
            if (packet.Length >= 4 && random.Next(2) == 0)
            {
                packet[0] = (byte)random.Next(0, 16);
                packet[2] = 0;
                packet[3] = (byte)random.Next(0, packet.Length + 1);
            }
            foreach (ushort protocol in protocols)
                Assert.NotNull(PppTrace.FormatPacket(protocol, packet));
        }
    }
}
