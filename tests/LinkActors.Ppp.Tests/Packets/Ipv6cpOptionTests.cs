using System.Net;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Tests.Packets;

public class Ipv6cpOptionTests
{
    [Fact]
    public void WriteInterfaceIdentifier_WritesRfc5072Layout()
    {
        var writer = new OptionWriter();
        Ipv6cpOption.WriteInterfaceIdentifier(writer, 0x0211_22FF_FE33_4455);
        byte[] expected =
        [
            0x01,                                           // Type: Interface-Identifier
            0x0A,                                           // Length
            0x02, 0x11, 0x22, 0xFF, 0xFE, 0x33, 0x44, 0x55, // Interface-Identifier
        ];
        Assert.Equal(expected, writer.ToArray());
        Assert.True(Ipv6cpOption.TryReadInterfaceIdentifier(writer.WrittenSpan[2..], out ulong identifier));
        Assert.Equal(0x0211_22FF_FE33_4455ul, identifier);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7 })]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    public void TryReadInterfaceIdentifier_LyingLength_ReturnsFalse(byte[] data) =>
        Assert.False(Ipv6cpOption.TryReadInterfaceIdentifier(data, out _));

    [Fact]
    public void WriteIpv6CompressionProtocol_KeepsParameters()
    {
        var writer = new OptionWriter();
        Ipv6cpOption.WriteIpv6CompressionProtocol(writer, 0x004F, [0x00, 0x0F]);
        byte[] expected =
        [
            0x02,       // Type: IPv6-Compression-Protocol
            0x06,       // Length
            0x00, 0x4F, // IPHC (RFC 2507)
            0x00, 0x0F, // parameters, kept raw
        ];
        Assert.Equal(expected, writer.ToArray());
        Assert.True(Ipv6cpOption.TryReadIpv6CompressionProtocol(writer.WrittenSpan[2..], out ushort protocol, out var parameters));
        Assert.Equal(0x004F, protocol);
        Assert.Equal(new byte[] { 0x00, 0x0F }, parameters.ToArray());
        Assert.False(Ipv6cpOption.TryReadIpv6CompressionProtocol([0x00], out _, out _));
    }

    [Fact]
    public void LinkLocalAddress_PrefixesFe80() =>
        Assert.Equal(IPAddress.Parse("fe80::211:22ff:fe33:4455"), Ipv6cpOption.LinkLocalAddress(0x0211_22FF_FE33_4455));
}
