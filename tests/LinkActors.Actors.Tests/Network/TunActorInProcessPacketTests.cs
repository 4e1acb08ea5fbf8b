using System.Buffers.Binary;
using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Actors.Framing;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Ppp.Packets;
using Xunit.Abstractions;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Actors.Tests.Network;

/// <summary>
/// Packets made in the process (the ping probe's) on a real TUN interface in a test namespace, with a test probe
/// standing in for the framing so that the Acks are in the test's hands. Needs root (namespaces, TUN).
/// </summary>
[Collection("netns")]
public sealed class TunActorInProcessPacketTests : NamespaceTestKit
{
    private static readonly IPAddress Local = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.1");
    private readonly TestNamespace _ns;

    public TunActorInProcessPacketTests(ITestOutputHelper output) : base("akka.loglevel = INFO", "la-tunpkt-", output)
    {
        _ns = NewNamespace();
    }

    /// <summary>A TUN actor in the namespace with IPCP Opened as 192.0.2.2 (peer 192.0.2.1) and its interface configured.</summary>
    private (IActorRef Tun, Akka.TestKit.TestProbe Framing, string Interface) StartConfigured()
    {
        var link = Assert.Single(Settings.Create(Settings.Parse(
            $"linkactors.links.lte {{ device = \"/dev/ttyS0\", network {{ mode = tun, state-directory = \"{Dir}/state\" }} }}", "test"), "test"));
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(TunProtocol.InterfaceCreated));
        Sys.EventStream.Subscribe(events, typeof(RouteProtocol.Configured));
        var framing = CreateTestProbe();
        var tun = Sys.ActorOf(TunActor.Props(framing, link, _ns.Name), "network");
        var created = events.ExpectMsg<TunProtocol.InterfaceCreated>(TimeSpan.FromSeconds(10));
        tun.Tell(new NetworkProtocol.Ipv4Up(new Negotiated.Ipcp(Local, Peer, null, null), null, null));
        events.FishForMessage(m => m is RouteProtocol.Configured, TimeSpan.FromSeconds(10));
        return (tun, framing, created.Interface);
    }

    private TunProtocol.Stats Stats(IActorRef tun) => tun.Ask<TunProtocol.Stats>(TunProtocol.GetStats.Instance, TimeSpan.FromSeconds(3)).Result;

    private long KernelReceived(string device) =>
        _ns.IpJson("-s", "link", "show", "dev", device)[0].GetProperty("stats64").GetProperty("rx").GetProperty("packets").GetInt64();

    [Fact]
    public void SendPacket_SharesTheAckWindow_WaitsBoundedly_DropsTheRestWithACount()
    {
        // No IPv6 in the namespace: the kernel has nothing of its own to send, so the reader only ever holds the one
        // slot it waits on the interface with, and the test owns every other.
        _ns.Exec(TimeSpan.FromSeconds(5), "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        var (tun, framing, _) = StartConfigured();
        const int offered = 20;
        for (ushort seq = 1; seq <= offered; seq++)
            tun.Tell(new NetworkProtocol.SendPacket(Icmp.BuildEchoRequest(Local, Peer, 0x4242, seq, "probe"u8)));

        // The framing never Acks: the window goes to it, oldest first, less the slot the reader holds once it has started.
        var frames = framing.ReceiveWhile(TimeSpan.FromSeconds(1), m => m as FramingProtocol.SendFrame ?? throw new InvalidOperationException($"unexpected {m}"));
        Assert.InRange(frames.Count, TunActor.Window - 1, TunActor.Window);
        Assert.All(frames, f => Assert.Equal(PppProtocol.Ipv4, f.Protocol));
        Assert.All(frames, f => Assert.NotNull(f.Ack));
        Assert.Equal(Enumerable.Range(1, frames.Count).Select(i => (ushort)i), frames.Select(f => SequenceOf(f.Information.Span)));
        var stats = Stats(tun);
        Assert.Equal(frames.Count, stats.InFlight);
        Assert.Equal(frames.Count, stats.PacketsSent);
        Assert.Equal(TunActor.InjectedQueueLimit, stats.InjectedWaiting);
        Assert.Equal(offered - frames.Count - TunActor.InjectedQueueLimit, stats.InjectedDropped);

        // Each Ack lets exactly one waiting packet go, in order, until none waits; then the slot goes back to the reader.
        for (int i = 0; i < TunActor.InjectedQueueLimit; i++)
        {
            tun.Tell(new FramingProtocol.FrameSent(frames[i].Ack!), framing);
            var next = framing.ExpectMsg<FramingProtocol.SendFrame>(TimeSpan.FromSeconds(3));
            Assert.Equal(frames.Count + i + 1, SequenceOf(next.Information.Span));
        }
        tun.Tell(new FramingProtocol.FrameSent(frames[TunActor.InjectedQueueLimit].Ack!), framing);
        framing.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        stats = Stats(tun);
        Assert.Equal(frames.Count + TunActor.InjectedQueueLimit, stats.PacketsSent);
        Assert.Equal(frames.Count - 1, stats.InFlight);
        Assert.Equal(0, stats.InjectedWaiting);
    }

    /// <summary>The sequence number of an ICMP echo request (RFC 792) after a 20-octet IPv4 header.</summary>
    private static ushort SequenceOf(ReadOnlySpan<byte> packet)
    {
        Assert.Equal(8, packet[20]); // type: echo request
        return BinaryPrimitives.ReadUInt16BigEndian(packet[26..]);
    }

    [Fact]
    public void EchoReplies_ForTheSubscribersIdentifier_GoToItAlone_EverythingElseToTheKernel()
    {
        var (tun, _, device) = StartConfigured();
        var probe = CreateTestProbe();
        var listener = CreateTestProbe();
        tun.Tell(new NetworkProtocol.Subscribe(probe, 0x1234));
        tun.Tell(new NetworkProtocol.Subscribe(listener));
        long kernelBefore = KernelReceived(device);

        // The peer's reply to the probe's request: from 192.0.2.1 to our 192.0.2.2, identifier 0x1234.
        var mine = Icmp.ReplyTo(Icmp.BuildEchoRequest(Local, Peer, 0x1234, 7, "probe"u8), Peer)!;
        var someoneElses = Icmp.ReplyTo(Icmp.BuildEchoRequest(Local, Peer, 0x4321, 7, "ping"u8), Peer)!;
        tun.Tell(new FramingProtocol.FrameReceived(PppProtocol.Ipv4, mine));
        tun.Tell(new FramingProtocol.FrameReceived(PppProtocol.Ipv4, someoneElses));

        var taken = probe.ExpectMsg<NetworkProtocol.PacketReceived>(TimeSpan.FromSeconds(3));
        Assert.True(Icmp.IsEchoReply(taken.Packet.Span, 0x1234, out ushort sequence, out var from));
        Assert.Equal(7, sequence);
        Assert.Equal(Peer, from);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        // A subscriber without an identifier sees every packet, and takes none from the kernel.
        Assert.Equal(2, listener.ReceiveN(2, TimeSpan.FromSeconds(3)).Count);

        var stats = Stats(tun);
        Assert.Equal(2, stats.PacketsReceived);
        Assert.Equal(1, stats.EchoRepliesTaken);
        AwaitAssert(() => Assert.Equal(kernelBefore + 1, KernelReceived(device)), TimeSpan.FromSeconds(3));

        // Once the probe has stopped, its identifier is nobody's: the kernel gets those replies too.
        Watch(probe.Ref);
        Sys.Stop(probe.Ref);
        ExpectTerminated(probe.Ref);
        AwaitAssert(() =>
        {
            tun.Tell(new FramingProtocol.FrameReceived(PppProtocol.Ipv4, mine));
            Assert.Equal(1, Stats(tun).EchoRepliesTaken);
            Assert.True(KernelReceived(device) >= kernelBefore + 2);
        }, TimeSpan.FromSeconds(3));
    }
}
