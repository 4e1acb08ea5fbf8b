using System.Net;
using LinkActors.Linux.Netlink;

namespace LinkActors.Linux.Tests.Netlink;

public sealed class NetlinkWriterTests
{
    [Fact]
    public void Request_RouteWithAttributes_LaidOutAsKernelExpects()
    {
        var buffer = new byte[128];
        var writer = new NetlinkWriter(buffer, type: 24, flags: 0x605, sequence: 7);
        var header = writer.FamilyHeader(12);
        header[0] = 2;
        writer.Attribute(4, 9u);
        writer.Attribute(1, IPAddress.Parse("198.51.100.0"));
        writer.Attribute(3, "ab\0"u8);   // 7-byte attribute: padded to 8
        var message = writer.Complete().ToArray();

        byte[] expected =
        [
            52, 0, 0, 0,            // nlmsg_len: 16 + 12 + 3 attributes of 8
            24, 0,                  // RTM_NEWROUTE
            0x05, 0x06,             // REQUEST | ACK | EXCL | CREATE
            7, 0, 0, 0,             // seq
            0, 0, 0, 0,             // pid (kernel fills)
            2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   // rtmsg: AF_INET, rest zero
            8, 0, 4, 0, 9, 0, 0, 0,               // RTA_OIF = 9
            8, 0, 1, 0, 198, 51, 100, 0,          // RTA_DST
            7, 0, 3, 0, (byte)'a', (byte)'b', 0, 0, // length 7, one pad byte
        ];
        Assert.Equal(expected, message);
    }

    [Fact]
    public void Attributes_TruncatedInput_StopsWithoutThrowing()
    {
        byte[] data = [8, 0, 4, 0, 9, 0, 0, 0, 200, 0, 1, 0, 1];
        var attributes = new NetlinkAttributes(data);
        Assert.True(attributes.MoveNext());
        Assert.Equal(9u, attributes.ValueAsUInt32());
        Assert.False(attributes.MoveNext());
    }
}
