using System.Net;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Tests.Packets;

public class IpcpOptionTests
{
    [Fact]
    public void WriteIpAddress_IPAddress_WritesRfc1332Layout()
    {
        var writer = new OptionWriter();
        IpcpOption.WriteIpAddress(writer, IPAddress.Parse("192.0.2.1"));
        byte[] expected =
        [
            0x03,                   // Type: IP-Address
            0x06,                   // Length
            0xC0, 0x00, 0x02, 0x01, // 192.0.2.1
        ];
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void WriteIpAddress_UInt32_WritesNetworkOrder()
    {
        var writer = new OptionWriter();
        IpcpOption.WriteIpAddress(writer, 0xC0000202u);
        Assert.Equal(new byte[] { 0x03, 0x06, 0xC0, 0x00, 0x02, 0x02 }, writer.ToArray());
    }

    [Fact]
    public void TryReadIpAddress_FourOctets_ReturnsBothForms()
    {
        byte[] data = [0xC0, 0x00, 0x02, 0x02];
        Assert.True(IpcpOption.TryReadIpAddress(data, out IPAddress address));
        Assert.Equal(IPAddress.Parse("192.0.2.2"), address);
        Assert.True(IpcpOption.TryReadIpAddress(data, out uint value));
        Assert.Equal(0xC0000202u, value);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 192, 0, 2 })]
    [InlineData(new byte[] { 192, 0, 2, 1, 0 })]
    public void TryReadIpAddress_LyingLength_ReturnsFalse(byte[] data)
    {
        Assert.False(IpcpOption.TryReadIpAddress(data, out IPAddress _));
        Assert.False(IpcpOption.TryReadIpAddress(data, out uint _));
    }

    [Fact]
    public void WriteIpAddress_Ipv6Address_Throws()
    {
        var writer = new OptionWriter();
        Assert.Throws<ArgumentException>(() => IpcpOption.WriteIpAddress(writer, IPAddress.IPv6Loopback));
    }

    [Fact]
    public void WriteDnsAndNbns_WriteRfc1877Types()
    {
        var writer = new OptionWriter();
        IpcpOption.WritePrimaryDns(writer, IPAddress.Parse("198.51.100.1"));
        IpcpOption.WritePrimaryNbns(writer, IPAddress.Parse("198.51.100.2"));
        IpcpOption.WriteSecondaryDns(writer, IPAddress.Parse("198.51.100.3"));
        IpcpOption.WriteSecondaryNbns(writer, IPAddress.Parse("198.51.100.4"));
        byte[] expected =
        [
            0x81, 0x06, 198, 51, 100, 1, // Primary-DNS-Server-Address (129)
            0x82, 0x06, 198, 51, 100, 2, // Primary-NBNS-Server-Address (130)
            0x83, 0x06, 198, 51, 100, 3, // Secondary-DNS-Server-Address (131)
            0x84, 0x06, 198, 51, 100, 4, // Secondary-NBNS-Server-Address (132)
        ];
        Assert.Equal(expected, writer.ToArray());
        Assert.True(OptionList.TryParse(writer.WrittenSpan, out var options));
        Assert.All(options, o => Assert.True(IpcpOption.IsServerAddress(o.Type)));
        Assert.True(IpcpOption.TryReadAddress(options[2].Data.Span, out var dns2));
        Assert.Equal(IPAddress.Parse("198.51.100.3"), dns2);
    }

    [Fact]
    public void WriteVjCompression_WritesRfc1332Section4Layout()
    {
        var writer = new OptionWriter();
        IpcpOption.WriteVjCompression(writer, maxSlotId: 15, compressSlotId: true);
        byte[] expected =
        [
            0x02,       // Type: IP-Compression-Protocol
            0x06,       // Length
            0x00, 0x2D, // Van Jacobson compressed TCP/IP
            0x0F,       // Max-Slot-Id
            0x01,       // Comp-Slot-Id
        ];
        Assert.Equal(expected, writer.ToArray());
        Assert.True(IpcpOption.TryReadVjCompression(writer.WrittenSpan[2..], out byte maxSlot, out bool compSlot));
        Assert.Equal(15, maxSlot);
        Assert.True(compSlot);
    }

    [Fact]
    public void TryReadIpCompressionProtocol_UnknownProtocol_KeepsParametersRaw()
    {
        byte[] data = [0x00, 0x61, 0xAA, 0xBB, 0xCC]; // protocol 0x0061, three parameter octets
        Assert.True(IpcpOption.TryReadIpCompressionProtocol(data, out ushort protocol, out var parameters));
        Assert.Equal(0x0061, protocol);
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC }, parameters.ToArray());
        Assert.False(IpcpOption.TryReadVjCompression(data, out _, out _));
    }

    [Fact]
    public void TryReadVjCompression_LyingLength_ReturnsFalse()
    {
        Assert.False(IpcpOption.TryReadIpCompressionProtocol([0x00], out _, out _));
        Assert.False(IpcpOption.TryReadVjCompression([0x00, 0x2D, 0x0F], out _, out _));
    }
}
