using System.Buffers.Binary;
using System.Net;
using Akka.Actor;
using Akka.TestKit;
using LinkActors.Actors.Framing;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Actors.Tests.Support;
using LinkActors.Actors.Watchdog;
using LinkActors.Ppp.Packets;

namespace LinkActors.Actors.Tests.AlwaysOn;

/// <summary>
/// The watchdog with its budgeted idle-link probe on a test scheduler, over the real in-process network
/// side (<see cref="PacketEndpointActor"/>); beyond it, in place of the framing, a far side whose peer
/// address ignores ICMP while its DNS server answers, and which can turn into a black hole.
/// </summary>
public sealed class IdleProbeTests : ManualTimeTestKit
{
    private static readonly IPAddress Local = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Dns = IPAddress.Parse("192.0.2.53");
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(90);

    private sealed class FarSide : ReceiveActor
    {
        public bool BlackHole;
        public int DnsQueries, IcmpRequests;
        public long BytesSeen;

        public FarSide()
        {
            IActorRef? endpoint = null;
            Receive<IActorRef>(e => endpoint = e);
            Receive<bool>(hole => BlackHole = hole);
            Receive<string>(_ => Sender.Tell((DnsQueries, IcmpRequests, BytesSeen)));
            Receive<FramingProtocol.SendFrame>(f =>
            {
                var packet = f.Information.ToArray();
                BytesSeen += packet.Length;
                if (packet[9] == 1)
                {
                    IcmpRequests++;
                    return;  // the peer's point-to-point address never answers ICMP
                }
                if (packet[9] != 17 || BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(22)) != 53 || !new IPAddress(packet.AsSpan(16, 4)).Equals(Dns))
                    return;
                DnsQueries++;
                if (BlackHole)
                    return;
                // The DNS server's answer: addresses and ports swapped, QR set, and an empty answer section.
                var answer = (byte[])packet.Clone();
                packet.AsSpan(12, 4).CopyTo(answer.AsSpan(16));
                packet.AsSpan(16, 4).CopyTo(answer.AsSpan(12));
                packet.AsSpan(20, 2).CopyTo(answer.AsSpan(22));
                packet.AsSpan(22, 2).CopyTo(answer.AsSpan(20));
                answer[30] |= 0x80;
                endpoint!.Tell(new FramingProtocol.FrameReceived(PppProtocol.Ipv4, answer));
            });
        }
    }

    private readonly IActorRef _far;
    private readonly IActorRef _endpoint;
    private readonly TestProbe _supervisor;
    private IActorRef _watchdog = ActorRefs.Nobody;

    public IdleProbeTests()
    {
        _far = Sys.ActorOf(Props.Create(() => new FarSide()), "far");
        _endpoint = Sys.ActorOf(PacketEndpointActor.Props(_far), "endpoint");
        _far.Tell(_endpoint);
        _endpoint.Tell(new NetworkProtocol.Ipv4Up(new Negotiated.Ipcp(Local, Peer, Dns, null), null, null));
        _supervisor = CreateTestProbe();
    }

    private ProbePlan StartWatch(long budget)
    {
        var plan = ProbePlan.For(budget, Window, null, Local, Peer, Dns, null)!;
        _watchdog = Sys.ActorOf(DataPathWatchdogActor.Props(_endpoint, Window, _supervisor.Ref, "cell", plan, Local), "watchdog");
        Sync(_watchdog);
        return plan;
    }

    /// <summary>One second of scheduler time, then every hop of a probe and its answer handled.</summary>
    private void Second()
    {
        Advance(TimeSpan.FromSeconds(1));
        for (int i = 0; i < 3; i++)
        {
            Handled(_watchdog);
            Handled(_endpoint);
            Handled(_far);
            Handled(_endpoint);
        }
    }

    /// <summary>As <see cref="ManualTimeTestKit.Sync"/>, with room for a loaded machine.</summary>
    private void Handled(IActorRef actor)
    {
        var asker = CreateTestProbe();
        actor.Tell(new Identify("sync"), asker.Ref);
        asker.ExpectMsg<ActorIdentity>(TimeSpan.FromSeconds(30));
        Sys.Stop(asker.Ref);
    }

    private (int Dns, int Icmp, long Bytes) Seen()
    {
        var asker = CreateTestProbe();
        _far.Tell("seen", asker.Ref);
        return asker.ExpectMsg<(int, int, long)>();
    }

    private WatchdogProtocol.Counters Counters()
    {
        var asker = CreateTestProbe();
        _watchdog.Tell(WatchdogProtocol.GetCounters.Instance, asker.Ref);
        return asker.ExpectMsg<WatchdogProtocol.Counters>();
    }

    [Fact]
    public void HealthyIdleLink_PeerIgnoresIcmp_DnsProbeProvesThePath_NoFalseAlarmFor10Minutes()
    {
        var plan = StartWatch(budget: 1_000_000);
        Assert.Equal(ProbeKind.Dns, plan.Kind);
        Assert.Equal(Window, plan.Interval);  // a large budget: as often as the window allows
        for (int s = 0; s < 600; s++)
            Second();
        _supervisor.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        var (dns, icmp, _) = Seen();
        Assert.InRange(dns, 5, 7);
        Assert.Equal(0, icmp);
        var counters = Counters();
        Assert.True(counters.ProbeBytes > 0);
    }

    [Fact]
    public void IdleLink_UnderABlackHole_IsCaughtWithinWindowPlusOneProbeInterval()
    {
        var plan = StartWatch(budget: 20_000);
        Assert.True(plan.Interval > TimeSpan.FromMinutes(10), $"interval {plan.Interval}");
        int seconds = 0;
        while (Seen().Dns == 0)
        {
            Second();
            seconds++;
            Assert.True(seconds < plan.Interval.TotalSeconds + 10, "no probe within one interval");
        }
        _supervisor.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        _far.Tell(true);
        Sync(_far);
        var holeAt = Scheduler.Now;
        var limit = Window + plan.Interval;
        WatchdogProtocol.DataPathDead? dead = null;
        while (dead is null && Scheduler.Now - holeAt <= limit)
        {
            Second();
            if (_supervisor.HasMessages)
                dead = _supervisor.ExpectMsg<WatchdogProtocol.DataPathDead>();
        }
        Assert.NotNull(dead);
        Assert.Equal($"DNS query to {Dns}", dead.Verdict.Probe);
        Assert.True(Scheduler.Now - holeAt <= limit, $"caught after {Scheduler.Now - holeAt}, limit {limit}");
    }

    [Fact]
    public void BusyLink_AnsweredTraffic_SpendsNoProbeBytes()
    {
        StartWatch(budget: 1_000_000);
        for (int s = 0; s < 600; s++)
        {
            // The application's own traffic, answered: a DNS query of its own every 10 s.
            if (s % 10 == 0)
                _endpoint.Tell(new NetworkProtocol.SendPacket(DnsProbePacket.Build(Local, Dns, 40000, (ushort)s)));
            Second();
        }
        _supervisor.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        var counters = Counters();
        Assert.Equal(0, counters.ProbeBytes);
        Assert.Equal(60, Seen().Dns);
    }
}

public sealed class ProbePlanTests
{
    private static readonly IPAddress Local = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Dns = IPAddress.Parse("192.0.2.53");
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(90);

    [Fact]
    public void Kinds_ConfiguredTarget_ThenPeerDns_ThenPeer()
    {
        var target = IPAddress.Parse("198.51.100.7");
        Assert.Equal((ProbeKind.Icmp, target), Pick(ProbePlan.For(20_000, Window, target, Local, Peer, Dns, null)));
        Assert.Equal((ProbeKind.Dns, Dns), Pick(ProbePlan.For(20_000, Window, null, Local, Peer, null, Dns)));
        Assert.Equal((ProbeKind.Icmp, Peer), Pick(ProbePlan.For(20_000, Window, null, Local, Peer, IPAddress.Any, null)));
        Assert.Null(ProbePlan.For(20_000, Window, null, Local, null, null, null));
        Assert.Null(ProbePlan.For(20_000, Window, null, null, Peer, Dns, null));
        Assert.Null(ProbePlan.For(0, Window, null, Local, Peer, Dns, null));
    }

    private static (ProbeKind, IPAddress) Pick(ProbePlan? plan) => (plan!.Kind, plan.Target);

    [Fact]
    public void Interval_FollowsFromTheBudget_AndAnIdleDayStaysWithinIt()
    {
        foreach (var kind in new[] { ProbeKind.Icmp, ProbeKind.Dns })
        {
            int cost = ProbePlan.Cost(kind);
            var interval = ProbePlan.IntervalFor(20_000, cost, Window)!.Value;
            double perDay = TimeSpan.FromDays(1) / interval * cost;
            Assert.InRange(perDay, 20_000 - cost, 20_000);
        }
        Assert.Equal(Window, ProbePlan.IntervalFor(100_000_000, 100, Window));
        Assert.Null(ProbePlan.IntervalFor(50, 100, Window));
    }

    [Fact]
    public void DnsQuery_IsSmall_AndItsAnswerIsRecognised()
    {
        var query = DnsProbePacket.Build(Local, Dns, 50000, 7);
        Assert.Equal(45, query.Length);
        Assert.Equal(0, Icmp.Checksum(query.AsSpan(0, 20)));  // RFC 791: the header sums to zero with its checksum
        Assert.False(DnsProbePacket.IsAnswer(query, 7));      // a query is not an answer (QR clear)
        var answer = (byte[])query.Clone();
        query.AsSpan(12, 4).CopyTo(answer.AsSpan(16));
        query.AsSpan(16, 4).CopyTo(answer.AsSpan(12));
        query.AsSpan(20, 2).CopyTo(answer.AsSpan(22));
        query.AsSpan(22, 2).CopyTo(answer.AsSpan(20));
        answer[30] |= 0x80;
        Assert.True(DnsProbePacket.IsAnswer(answer, 7));
        Assert.False(DnsProbePacket.IsAnswer(answer, 8));
        Assert.True(DnsProbePacket.IsUdpTo(answer, Local.GetAddressBytes(), 50000));
        Assert.False(DnsProbePacket.IsUdpTo(answer, Local.GetAddressBytes(), 50001));
        Assert.False(DnsProbePacket.IsUdpTo(answer.AsSpan(0, 10), Local.GetAddressBytes(), 50000));
    }
}
