using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Tests.Packets;

public class LcpOptionTests
{
    [Fact]
    public void WriteMru_1500_WritesRfc1661Layout()
    {
        var writer = new OptionWriter();
        LcpOption.WriteMru(writer, 1500);
        byte[] expected =
        [
            0x01,       // Type: Maximum-Receive-Unit
            0x04,       // Length
            0x05, 0xDC, // MRU 1500
        ];
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void TryReadMru_TwoOctets_ReturnsValue()
    {
        Assert.True(LcpOption.TryReadMru([0x05, 0xDC], out ushort mru));
        Assert.Equal(1500, mru);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x05 })]
    [InlineData(new byte[] { 0x05, 0xDC, 0x00 })]
    public void TryReadMru_LyingLength_ReturnsFalse(byte[] data) => Assert.False(LcpOption.TryReadMru(data, out _));

    [Fact]
    public void WriteAccm_Zero_WritesRfc1662Layout()
    {
        var writer = new OptionWriter();
        LcpOption.WriteAccm(writer, 0x000A0000);
        byte[] expected =
        [
            0x02,                   // Type: Async-Control-Character-Map
            0x06,                   // Length
            0x00, 0x0A, 0x00, 0x00, // map: XON (0x11) and XOFF (0x13)
        ];
        Assert.Equal(expected, writer.ToArray());
        Assert.True(LcpOption.TryReadAccm(writer.WrittenSpan[2..], out uint accm));
        Assert.Equal(0x000A0000u, accm);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 0 })]
    public void TryReadAccm_LyingLength_ReturnsFalse(byte[] data) => Assert.False(LcpOption.TryReadAccm(data, out _));

    [Fact]
    public void WriteMagicNumber_WritesBigEndian()
    {
        var writer = new OptionWriter();
        LcpOption.WriteMagicNumber(writer, 0x12345678);
        byte[] expected =
        [
            0x05,                   // Type: Magic-Number
            0x06,                   // Length
            0x12, 0x34, 0x56, 0x78, // Magic-Number
        ];
        Assert.Equal(expected, writer.ToArray());
        Assert.True(LcpOption.TryReadMagicNumber(writer.WrittenSpan[2..], out uint magic));
        Assert.Equal(0x12345678u, magic);
    }

    [Fact]
    public void TryReadMagicNumber_LyingLength_ReturnsFalse() => Assert.False(LcpOption.TryReadMagicNumber([1, 2], out _));

    [Fact]
    public void WriteAuthProtocol_ChapMd5_WritesAlgorithmOctet()
    {
        var writer = new OptionWriter();
        LcpOption.WriteAuthProtocol(writer, PppProtocol.Chap, LcpOption.ChapMd5);
        byte[] expected =
        [
            0x03,       // Type: Authentication-Protocol
            0x05,       // Length
            0xC2, 0x23, // Protocol: CHAP
            0x05,       // Algorithm: MD5
        ];
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void WriteAuthProtocol_Pap_WritesNoAlgorithm()
    {
        var writer = new OptionWriter();
        LcpOption.WriteAuthProtocol(writer, PppProtocol.Pap, null);
        byte[] expected =
        [
            0x03,       // Type: Authentication-Protocol
            0x04,       // Length
            0xC0, 0x23, // Protocol: PAP
        ];
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void TryReadAuthProtocol_ChapMd5_ReturnsProtocolAndAlgorithm()
    {
        Assert.True(LcpOption.TryReadAuthProtocol([0xC2, 0x23, 0x05], out ushort protocol, out byte? algorithm));
        Assert.Equal(PppProtocol.Chap, protocol);
        Assert.Equal(LcpOption.ChapMd5, algorithm);
    }

    [Fact]
    public void TryReadAuthProtocol_Pap_ReturnsNoAlgorithm()
    {
        Assert.True(LcpOption.TryReadAuthProtocol([0xC0, 0x23], out ushort protocol, out byte? algorithm));
        Assert.Equal(PppProtocol.Pap, protocol);
        Assert.Null(algorithm);
    }

    [Theory]
    [InlineData(new byte[] { 0xC2 })]                   // shorter than a protocol
    [InlineData(new byte[] { 0xC2, 0x23 })]             // CHAP without its algorithm
    [InlineData(new byte[] { 0xC2, 0x23, 0x05, 0x00 })] // CHAP with an extra octet
    [InlineData(new byte[] { 0xC0, 0x23, 0x05 })]       // PAP with an algorithm
    [InlineData(new byte[] { 0x12, 0x35, 0x01, 0x02 })] // unknown protocol, too long
    public void TryReadAuthProtocol_LyingLength_ReturnsFalse(byte[] data) =>
        Assert.False(LcpOption.TryReadAuthProtocol(data, out _, out _));

    [Fact]
    public void WriteQualityProtocol_Lqr_RoundTrips()
    {
        var writer = new OptionWriter();
        LcpOption.WriteQualityProtocol(writer, PppProtocol.Lqr, 1000);
        byte[] expected =
        [
            0x04,                   // Type: Quality-Protocol
            0x08,                   // Length
            0xC0, 0x25,             // Protocol: LQR
            0x00, 0x00, 0x03, 0xE8, // Reporting-Period: 10 s in hundredths
        ];
        Assert.Equal(expected, writer.ToArray());
        Assert.True(LcpOption.TryReadQualityProtocol(writer.WrittenSpan[2..], out ushort protocol, out uint period));
        Assert.Equal(PppProtocol.Lqr, protocol);
        Assert.Equal(1000u, period);
    }

    [Fact]
    public void WritePfcAndAcfc_WriteEmptyOptions()
    {
        var writer = new OptionWriter();
        LcpOption.WritePfc(writer);
        LcpOption.WriteAcfc(writer);
        byte[] expected =
        [
            0x07, 0x02, // Protocol-Field-Compression, Length 2
            0x08, 0x02, // Address-and-Control-Field-Compression, Length 2
        ];
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void TryReadPfc_NonEmpty_ReturnsFalse()
    {
        Assert.True(LcpOption.TryReadPfc([]));
        Assert.False(LcpOption.TryReadPfc([0x00]));
        Assert.True(LcpOption.TryReadAcfc([]));
        Assert.False(LcpOption.TryReadAcfc([0x00]));
    }

    [Fact]
    public void ConfReqOptions_ParsedThroughOptionList_ReadBackTyped()
    {
        var writer = new OptionWriter();
        LcpOption.WriteMru(writer, 1500);
        LcpOption.WriteAccm(writer, 0);
        LcpOption.WriteAuthProtocol(writer, PppProtocol.Chap, LcpOption.ChapMd5);
        LcpOption.WriteMagicNumber(writer, 0xCAFEBABE);
        LcpOption.WritePfc(writer);
        LcpOption.WriteAcfc(writer);

        Assert.True(OptionList.TryParse(writer.WrittenSpan, out var options));
        Assert.Equal([LcpOption.Mru, LcpOption.Accm, LcpOption.AuthProtocol, LcpOption.MagicNumber, LcpOption.Pfc, LcpOption.Acfc],
            options.Select(o => o.Type));
        Assert.True(LcpOption.TryReadMru(options[0].Data.Span, out ushort mru));
        Assert.Equal(1500, mru);
        Assert.True(LcpOption.TryReadAuthProtocol(options[2].Data.Span, out ushort auth, out byte? algorithm));
        Assert.Equal((PppProtocol.Chap, (byte?)5), (auth, algorithm));
        Assert.True(LcpOption.TryReadMagicNumber(options[3].Data.Span, out uint magic));
        Assert.Equal(0xCAFEBABEu, magic);
    }
}
