using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LinkActors.Linux.Netlink;
using LinkActors.Linux.Tests.Support;
using LinkActors.Linux.Tun;

namespace LinkActors.Linux.Tests.Tun;

public sealed class TunDeviceTests : IDisposable
{
    private static readonly IPAddress Local = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.2");

    private readonly NetworkNamespace _ns = new();

    public void Dispose() => _ns.Dispose();

    [Fact]
    public void Create_NamePattern_KernelPicksNameAndDisposeDeletesInterface()
    {
        string name;
        using (var tun = _ns.Enter(() => new TunDevice("la%d")))
        {
            name = tun.Name;
            Assert.Equal("la0", name);
            var links = _ns.IpJson("link", "show", "dev", name);
            Assert.Equal(tun.Index, links[0].GetProperty("ifindex").GetInt32());
            Assert.Contains("POINTOPOINT", links[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        }
        Assert.Throws<InvalidOperationException>(() => _ns.Ip("link", "show", "dev", name));
    }

    [Fact]
    public void Create_FixedNameAlreadyTaken_ThrowsWithErrno()
    {
        using var first = _ns.Enter(() => new TunDevice("la-fixed"));
        first.Mtu = 1400; // make sure the first is really attached before trying the second
        var e = Assert.Throws<InvalidOperationException>(() => _ns.Enter(() => new TunDevice("la-fixed")));
        var inner = Assert.IsType<IOException>(e.InnerException);
        Assert.Contains("TUNSETIFF 'la-fixed'", inner.Message);
    }

    [Fact]
    public void Mtu_SetThroughDevice_ReadBackByKernel()
    {
        using var tun = _ns.Enter(() => new TunDevice("la%d"));
        tun.Mtu = 1280;
        Assert.Equal(1280, tun.Mtu);
        Assert.Equal(1280, _ns.IpJson("link", "show", "dev", tun.Name)[0].GetProperty("mtu").GetInt32());
    }

    [Fact]
    public void Read_PingOfPeerFromNamespace_ArrivesAsEchoRequest()
    {
        using var tun = _ns.Enter(() => new TunDevice("la%d"));
        using var netlink = _ns.Enter(() => new RtNetlink());
        ConfigurePointToPoint(netlink, tun);
        using var icmp = _ns.Enter(() => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp));

        var request = Icmp.EchoMessage(Icmp.EchoRequest, 0x4C41, 1, "link"u8);
        icmp.SendTo(request, new IPEndPoint(Peer, 0));

        var packet = ReadOne(tun, TimeSpan.FromSeconds(5));
        var (source, destination, protocol, payload) = Icmp.ParseIpv4(packet);
        Assert.Equal(Local, source);
        Assert.Equal(Peer, destination);
        Assert.Equal(1, protocol);
        Assert.Equal(request, payload.ToArray());
    }

    [Fact]
    public void Write_EchoReplyFromPeer_ReachesNamespaceAndIsCounted()
    {
        using var tun = _ns.Enter(() => new TunDevice("la%d"));
        using var netlink = _ns.Enter(() => new RtNetlink());
        ConfigurePointToPoint(netlink, tun);
        using var icmp = _ns.Enter(() => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp));
        icmp.ReceiveTimeout = 5000;
        icmp.SendTo(Icmp.EchoMessage(Icmp.EchoRequest, 0x4C41, 7, "ping"u8), new IPEndPoint(Peer, 0));
        _ = ReadOne(tun, TimeSpan.FromSeconds(5));

        // The peer answers: the reply enters the namespace through the TUN.
        var reply = Icmp.EchoMessage(Icmp.EchoReply, 0x4C41, 7, "ping"u8);
        Assert.True(tun.TryWrite(Icmp.Ipv4Packet(Peer, Local, reply)));

        var buffer = new byte[1500];
        int received;
        do
        {
            received = icmp.Receive(buffer);   // raw IPv4 sockets see the IP header too
        }
        while (Icmp.ParseIpv4(buffer.AsMemory(0, received)).Payload.Span[0] != Icmp.EchoReply);
        var (source, _, _, payload) = Icmp.ParseIpv4(buffer.AsMemory(0, received));
        Assert.Equal(Peer, source);
        Assert.Equal(reply, payload.ToArray());

        var stats = _ns.IpJson("-s", "link", "show", "dev", tun.Name)[0].GetProperty("stats64");
        Assert.Equal(1, stats.GetProperty("rx").GetProperty("packets").GetInt64());
        Assert.True(stats.GetProperty("tx").GetProperty("packets").GetInt64() >= 1);
    }

    [Fact]
    public async Task Read_Blocked_ReturnsZeroWhenDisposed()
    {
        var tun = _ns.Enter(() => new TunDevice("la%d"));
        var reader = Task.Factory.StartNew(() => tun.Read(new byte[TunDevice.MaxPacketSize]), TaskCreationOptions.LongRunning);
        await Task.Delay(200);
        Assert.False(reader.IsCompleted);

        var watch = Stopwatch.StartNew();
        tun.Dispose();
        Assert.Equal(0, await reader.WaitAsync(TimeSpan.FromSeconds(2)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
        Assert.Equal(0, tun.Read(new byte[100]));
        Assert.Throws<ObjectDisposedException>(() => tun.TryWrite(new byte[20]));
    }

    private static void ConfigurePointToPoint(RtNetlink netlink, TunDevice tun)
    {
        netlink.AddAddress(tun.Index, Local, Peer);
        netlink.SetMtu(tun.Index, 1400);
        netlink.SetLinkUp(tun.Index);
    }

    /// <summary>Reads one packet on a dedicated thread; on timeout the device is disposed so the reader ends.</summary>
    private static byte[] ReadOne(TunDevice tun, TimeSpan timeout)
    {
        var reader = Task.Factory.StartNew(() =>
        {
            var buffer = new byte[TunDevice.MaxPacketSize];
            while (true)
            {
                var n = tun.Read(buffer);
                // IPv6 router solicitations and the like may come first once the link is up.
                if (n == 0 || (buffer[0] >> 4) == 4)
                    return buffer[..n];
            }
        }, TaskCreationOptions.LongRunning);
        if (!reader.Wait(timeout))
        {
            tun.Dispose();
            throw new TimeoutException("no IPv4 packet came out of the TUN device");
        }
        Assert.NotEmpty(reader.Result);
        return reader.Result;
    }
}
