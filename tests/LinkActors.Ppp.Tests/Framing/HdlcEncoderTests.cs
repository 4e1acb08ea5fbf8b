using LinkActors.Ppp.Framing;

namespace LinkActors.Ppp.Tests.Framing;

public class HdlcEncoderTests
{
    // "sent [LCP ConfReq id=0x1 <asyncmap 0x0> <magic 0x5a6e2d1f> <pcomp> <accomp>]"
    internal static readonly byte[] LcpConfReqInformation = Reference.Hex(
        "01 01 0014" +          // Code Configure-Request, Identifier 1, Length 20
        "02 06 00000000" +      // Async-Control-Character-Map 0x00000000
        "05 06 5A6E2D1F" +      // Magic-Number 0x5a6e2d1f
        "07 02" +               // Protocol-Field-Compression
        "08 02");               // Address-and-Control-Field-Compression

    // The same packet as framed on the wire before LCP is up: every control character escaped.
    internal static readonly byte[] LcpConfReqFrame = Reference.Hex(
        "7E" +                  // Flag
        "FF" +                  // Address: All-Stations
        "7D 23" +               // Control 0x03, escaped by the default ACCM
        "C0 21" +               // Protocol LCP
        "7D 21 7D 21 7D 20 7D 34" +              // Code 1, Identifier 1, Length 0x0014
        "7D 22 7D 26 7D 20 7D 20 7D 20 7D 20" +  // ACCM option: 02 06 00 00 00 00
        "7D 25 7D 26 5A 6E 2D 7D 3F" +           // Magic-Number option: 05 06 5a 6e 2d 1f
        "7D 27 7D 22" +                          // PFC option: 07 02
        "7D 28 7D 22" +                          // ACFC option: 08 02
        "D2 45" +               // FCS 0x45d2, least significant octet first
        "7E");                  // Flag

    internal static readonly byte[] IpInformation = Reference.Hex(
        "45 00 001C 0001 0000 40 01 7D7E 0A000001 0A000002");  // IPv4 header; the checksum field holds 7D 7E

    // IPv4 after LCP agreed on ACCM 0, ACFC and PFC.
    internal static readonly byte[] IpCompressedFrame = Reference.Hex(
        "7E" +                  // Flag
        "21" +                  // Protocol 0x0021 in one octet; no Address or Control
        "45 00 00 1C 00 01 00 00 40 01" +
        "7D 5D 7D 5E" +         // 0x7D and 0x7E are escaped whatever the ACCM
        "0A 00 00 01 0A 00 00 02" +
        "32 ED" +               // FCS
        "7E");                  // Flag

    private static byte[] Encode(HdlcEncoder encoder, ushort protocol, ReadOnlySpan<byte> information)
    {
        var buffer = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
        int written = encoder.Encode(protocol, information, buffer);
        return buffer.AsSpan(0, written).ToArray();
    }

    [Fact]
    public void Encode_LcpConfReqWithDefaultAccm_MatchesPppdFrame() =>
        Assert.Equal(LcpConfReqFrame, Encode(new HdlcEncoder(), 0xC021, LcpConfReqInformation));

    [Fact]
    public void Encode_LcpWithAcfcAndPfcAgreed_StillSendsFullHeader()
    {
        var encoder = new HdlcEncoder { Acfc = true, Pfc = true };

        Assert.Equal(LcpConfReqFrame, Encode(encoder, 0xC021, LcpConfReqInformation));
    }

    [Fact]
    public void Encode_IpWithAccmZeroAcfcAndPfc_CompressesHeaderAndEscapesOnlyFlagAndEscape()
    {
        var encoder = new HdlcEncoder { TransmitAccm = 0, Acfc = true, Pfc = true };

        Assert.Equal(IpCompressedFrame, Encode(encoder, 0x0021, IpInformation));
    }

    [Fact]
    public void Encode_PfcWithTwoOctetProtocol_KeepsBothOctets()
    {
        var encoder = new HdlcEncoder { TransmitAccm = 0, Acfc = true, Pfc = true };

        byte[] frame = Encode(encoder, 0x8021, [0x01, 0x01, 0x00, 0x04]);

        Assert.Equal(new byte[] { 0x7E, 0x80, 0x21, 0x01, 0x01, 0x00, 0x04 }, frame[..7]);
    }

    [Fact]
    public void Encode_EmptyPacketWithAcfcAndPfc_KeepsTwoOctetProtocolSoTheFrameIsNotARunt()
    {
        var encoder = new HdlcEncoder { TransmitAccm = 0, Acfc = true, Pfc = true };

        byte[] frame = Encode(encoder, 0x0021, []);

        Assert.Equal(6, frame.Length);
        Assert.Equal(new byte[] { 0x7E, 0x00, 0x21 }, frame[..3]);
    }

    [Fact]
    public void Encode_PfcOnly_KeepsAddressAndControl()
    {
        var encoder = new HdlcEncoder { TransmitAccm = 0, Pfc = true };

        byte[] frame = Encode(encoder, 0x0021, [0x45]);

        Assert.Equal(new byte[] { 0x7E, 0xFF, 0x03, 0x21, 0x45 }, frame[..5]);
    }

    [Fact]
    public void Encode_AccmWithOneBit_EscapesOnlyThatControlCharacter()
    {
        // XON (0x11) and XOFF (0x13) escaped, as for a link with software flow control.
        var encoder = new HdlcEncoder { TransmitAccm = 0x000A0000, Acfc = true, Pfc = true };

        byte[] frame = Encode(encoder, 0x0021, [0x10, 0x11, 0x12, 0x13, 0x00]);

        Assert.Equal(new byte[] { 0x7E, 0x21, 0x10, 0x7D, 0x31, 0x12, 0x7D, 0x33, 0x00 }, frame[..9]);
    }

    [Fact]
    public void Encode_ExtraEscape_EscapesThatOctetEverywhereIncludingAddress()
    {
        var encoder = new HdlcEncoder { TransmitAccm = 0 };
        encoder.AddExtraEscape(0xFF);

        byte[] frame = Encode(encoder, 0x0021, [0xFF, 0x01]);

        // Flag, Address FF escaped, Control, Protocol 00 21, information FF escaped and 01 raw.
        Assert.Equal(new byte[] { 0x7E, 0x7D, 0xDF, 0x03, 0x00, 0x21, 0x7D, 0xDF, 0x01 }, frame[..9]);
        Assert.True(encoder.IsEscaped(0xFF));
        encoder.ClearExtraEscapes();
        Assert.False(encoder.IsEscaped(0xFF));
    }

    [Theory]
    [InlineData(0x20)]
    [InlineData(0x3F)]
    [InlineData(0x5E)]
    public void AddExtraEscape_OctetThatWouldBreakFraming_Throws(byte value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HdlcEncoder().AddExtraEscape(value));

    [Fact]
    public void Encode_FcsOctetIsFlag_EscapesIt()
    {
        var encoder = new HdlcEncoder { TransmitAccm = 0 };
        byte[] information = [0, 0];
        // Search for information whose FCS has 0x7E as its first octet.
        for (int i = 0; ; i++)
        {
            information[0] = (byte)i;
            information[1] = (byte)(i >> 8);
            byte[] unescaped = [0xFF, 0x03, 0x00, 0x21, .. information];
            if ((byte)Fcs16.Compute(unescaped) == 0x7E)
                break;
        }

        byte[] frame = Encode(encoder, 0x0021, information);

        Assert.Equal(new byte[] { 0x7D, 0x5E }, frame[^4..^2]);
        Assert.Equal(Reference.Encode(0x0021, information, 0, false, false, []), frame);
    }

    [Fact]
    public void Encode_EveryLengthAndAccm_MatchesReferenceEncoder()
    {
        var random = new Random(1662);
        foreach (uint accm in new uint[] { 0xFFFFFFFF, 0, 0x000A0000 })
        {
            var encoder = new HdlcEncoder { TransmitAccm = accm, Acfc = true, Pfc = true };
            for (int length = 0; length < 400; length++)
            {
                var information = new byte[length];
                random.NextBytes(information);
                if (length % 3 == 0)
                {
                    // Dense runs of octets that need escaping, including pairs straddling a 32-octet block.
                    for (int k = 0; k < length; k += 1 + (k % 4))
                        information[k] = (byte)(0x7D + (k % 2));
                }

                Assert.Equal(Reference.Encode(0x0021, information, accm, true, true, []), Encode(encoder, 0x0021, information));
            }
        }
    }

    [Fact]
    public void Encode_DestinationSmallerThanMaxEncodedLength_Throws() =>
        Assert.Throws<ArgumentException>(() => new HdlcEncoder().Encode(0x0021, new byte[10], new byte[HdlcEncoder.MaxEncodedLength(10) - 1]));

    [Fact]
    public void MaxEncodedLength_AllOctetsEscaped_IsEnough()
    {
        var information = Enumerable.Repeat((byte)0x7E, 100).ToArray();
        var encoder = new HdlcEncoder();
        encoder.AddExtraEscape(0xFF);

        // Protocol 0x7D7D is not a valid protocol, but it makes the header all escapes.
        int written = encoder.Encode(0x7D7D, information, new byte[HdlcEncoder.MaxEncodedLength(information.Length)]);

        Assert.True(written <= HdlcEncoder.MaxEncodedLength(information.Length));
    }

    [Fact]
    public void Encode_SteadyState_AllocatesNothing()
    {
        var encoder = new HdlcEncoder();
        var information = new byte[1500];
        new Random(3).NextBytes(information);
        var destination = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
        encoder.Encode(0x0021, information, destination);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            encoder.Encode(0x0021, information, destination);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
