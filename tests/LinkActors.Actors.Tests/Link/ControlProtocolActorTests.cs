using Akka.Actor;
using Akka.TestKit;
using LinkActors.Actors.Framing;
using LinkActors.Actors.Link;
using LinkActors.Actors.Tests.Support;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;
using Xunit.Abstractions;

namespace LinkActors.Actors.Tests.Link;

/// <summary>
/// The control protocol actor on a test scheduler: the restart timer and the LCP echo keepalive
/// fire only when the test advances the clock, never by sleeping.
/// </summary>
public sealed class ControlProtocolActorTests : ManualTimeTestKit
{
    private static readonly TimeSpan Restart = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan EchoInterval = TimeSpan.FromSeconds(5);

    public ControlProtocolActorTests(ITestOutputHelper output) : base(output)
    {
    }

    private sealed class FixedRandom : IRandomSource
    {
        public void Fill(Span<byte> destination) => destination.Fill(0x11);
    }

    private (IActorRef Lcp, TestProbe Framing, TestProbe Supervisor) StartLcp(EchoSettings? echo = null, int maxConfigure = 10,
        TimeSpan? connectDelay = null)
    {
        var framing = CreateTestProbe();
        var supervisor = CreateTestProbe();
        var settings = new ControlEngineSettings { RestartInterval = Restart, MaxConfigure = maxConfigure };
        var lcp = Sys.ActorOf(ControlProtocolActor.Props(() => new LcpPolicy(new LcpSettings(), new FixedRandom()), settings,
            framing.Ref, supervisor.Ref, echo, Negotiated.Snapshot));
        lcp.Tell(ControlProtocol.Open.Instance);
        lcp.Tell(connectDelay is { } delay ? new ControlProtocol.DelayedUp(delay) : ControlProtocol.Up.Instance);
        return (lcp, framing, supervisor);
    }

    private static byte[] NextSent(TestProbe framing, ControlCode code) =>
        framing.FishForMessage<FramingProtocol.SendFrame>(f => f.Protocol == PppProtocol.Lcp && f.Information.Span[0] == (byte)code,
            TimeSpan.FromSeconds(3)).Information.ToArray();

    [Fact]
    public void RestartTimer_FiresOnlyWhenAdvanced_RetransmitsWithNewIds_ThenFinishes()
    {
        var (lcp, framing, supervisor) = StartLcp(maxConfigure: 3);
        var first = NextSent(framing, ControlCode.ConfReq);
        Sync(lcp);
        framing.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // RFC 1661 §4.6: TO+ retransmits, each with a new identifier (as pppd does).
        Advance(Restart);
        var second = NextSent(framing, ControlCode.ConfReq);
        Assert.NotEqual(first[1], second[1]);
        Advance(Restart);
        NextSent(framing, ControlCode.ConfReq);

        // TO- after Max-Configure requests: This-Layer-Finished with the reason.
        Advance(Restart);
        var finished = supervisor.FishForMessage<ControlProtocol.LayerFinished>(_ => true, TimeSpan.FromSeconds(3));
        Assert.Equal("LCP: no response to 3 Configure-Requests", finished.Reason);
    }

    [Fact]
    public void EchoKeepalive_RequestsEveryInterval_AndReportsFailureAfterThreeUnanswered()
    {
        var (lcp, framing, supervisor) = StartLcp(new EchoSettings(EchoInterval, Failure: 3, Adaptive: false));
        Open(lcp, framing, supervisor);

        for (int i = 1; i <= 3; i++)
        {
            Advance(EchoInterval);
            var echo = NextSent(framing, ControlCode.EchoReq);
            // RFC 1661 §5.8: the Magic-Number we negotiated is in every Echo-Request.
            Assert.Equal(new byte[] { 0x11, 0x11, 0x11, 0x11 }, echo[4..8]);
        }
        Assert.Null(supervisor.FishUntilMessage<ControlProtocol.EchoFailed>(TimeSpan.FromMilliseconds(200)));
        Advance(EchoInterval);
        var failed = supervisor.FishForMessage<ControlProtocol.EchoFailed>(_ => true, TimeSpan.FromSeconds(3));
        Assert.Equal(3, failed.Unanswered);
    }

    [Fact]
    public void EchoKeepalive_AnsweredEcho_IsReportedAndResetsTheCount()
    {
        var (lcp, framing, supervisor) = StartLcp(new EchoSettings(EchoInterval, Failure: 2, Adaptive: false));
        Open(lcp, framing, supervisor);
        for (int round = 0; round < 4; round++)
        {
            Advance(EchoInterval);
            var echo = NextSent(framing, ControlCode.EchoReq);
            var reply = (byte[])echo.Clone();
            reply[0] = (byte)ControlCode.EchoRep;
            reply[4] = reply[5] = reply[6] = reply[7] = 0x22;   // the peer's own magic
            lcp.Tell(new FramingProtocol.FrameReceived(PppProtocol.Lcp, reply));
            supervisor.FishForMessage<ControlProtocol.EchoAnswered>(_ => true, TimeSpan.FromSeconds(3));
        }
        // Four intervals with failure = 2 and no EchoFailed: every answer reset the count.
        Sync(lcp);
        Assert.Null(supervisor.FishUntilMessage<ControlProtocol.EchoFailed>(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void ConnectDelay_NothingFromThePeer_FirstConfigureRequestAfterTheBound()
    {
        var delay = TimeSpan.FromMilliseconds(1000);
        var (lcp, framing, _) = StartLcp(connectDelay: delay);
        Sync(lcp);
        Advance(delay - TimeSpan.FromMilliseconds(1));
        Sync(lcp);
        Assert.Null(framing.FishUntilMessage<FramingProtocol.SendFrame>(TimeSpan.FromMilliseconds(200)));
        Advance(TimeSpan.FromMilliseconds(1));
        NextSent(framing, ControlCode.ConfReq);
    }

    [Fact]
    public void ConnectDelay_ThePeerSpeaksFirst_UpAtOnceAndItsRequestIsAnswered()
    {
        var (lcp, framing, _) = StartLcp(connectDelay: TimeSpan.FromSeconds(1));
        Sync(lcp);
        lcp.Tell(new FramingProtocol.FrameReceived(PppProtocol.Lcp, new byte[] { (byte)ControlCode.ConfReq, 0x50, 0x00, 0x04 }));
        // Up (irc, scr: our request), then RCR+ in ReqSent: sca (RFC 1661 §4.1), with no time passing.
        var first = framing.FishForMessage<FramingProtocol.SendFrame>(f => f.Protocol == PppProtocol.Lcp, TimeSpan.FromSeconds(3));
        Assert.Equal((byte)ControlCode.ConfReq, first.Information.Span[0]);
        var second = framing.FishForMessage<FramingProtocol.SendFrame>(f => f.Protocol == PppProtocol.Lcp, TimeSpan.FromSeconds(3));
        Assert.Equal((byte)ControlCode.ConfAck, second.Information.Span[0]);
        Assert.Equal(0x50, second.Information.Span[1]);
        // The bound passing later starts nothing a second time.
        Advance(TimeSpan.FromSeconds(1));
        Sync(lcp);
        Assert.Null(framing.FishUntilMessage<FramingProtocol.SendFrame>(TimeSpan.FromMilliseconds(200)));
    }

    /// <summary>Plays the peer: acks our Configure-Request and sends an empty one of its own.</summary>
    [Theory]
    [InlineData(ControlCode.EchoReq, ControlCode.EchoRep, 10)]
    [InlineData(ControlCode.TermReq, ControlCode.TermAck, 2)]
    // Opening the layer already spent one Configure-Ack of the ten.
    [InlineData(ControlCode.ConfReq, ControlCode.ConfAck, 9)]
    public void RequestStorm_IsAnsweredWithinTheReplyBudget_ThenAtTheRfcPace(ControlCode storm, ControlCode answer, int burst)
    {
        var (lcp, framing, supervisor) = StartLcp();
        Open(lcp, framing, supervisor);
        // 1,000 requests at one instant: Max-Configure answers (Max-Terminate for Terminate-Requests), the rest dropped.
        for (int i = 0; i < 1000; i++)
        {
            byte[] packet = storm == ControlCode.EchoReq ? [(byte)storm, (byte)i, 0, 8, 0, 0, 0, 0] : [(byte)storm, (byte)i, 0, 4];
            lcp.Tell(new FramingProtocol.FrameReceived(PppProtocol.Lcp, packet));
        }
        Sync(lcp);
        // A Configure-Request is answered with an Ack, a Nak or a Reject: all three share its budget.
        bool IsAnswer(FramingProtocol.SendFrame? f) => f is not null && (f.Information.Span[0] == (byte)answer
            || (answer == ControlCode.ConfAck && f.Information.Span[0] is (byte)ControlCode.ConfNak or (byte)ControlCode.ConfRej));
        int answered = framing.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => m is FramingProtocol.SendFrame f ? f : null, msgs: 2000).Count(IsAnswer);
        Assert.Equal(burst, answered);

        // One Restart interval later the budget has earned as many answers again (RFC 1661 §4.6 pace).
        Advance(Restart);
        byte[] late = storm == ControlCode.EchoReq ? [(byte)storm, 0xEE, 0, 8, 0, 0, 0, 0] : [(byte)storm, 0xEE, 0, 4];
        lcp.Tell(new FramingProtocol.FrameReceived(PppProtocol.Lcp, late));
        Assert.Equal(0xEE, framing.FishForMessage<FramingProtocol.SendFrame>(IsAnswer, TimeSpan.FromSeconds(3)).Information.Span[1]);
    }

    private void Open(IActorRef lcp, TestProbe framing, TestProbe supervisor)
    {
        var request = NextSent(framing, ControlCode.ConfReq);
        var ack = (byte[])request.Clone();
        ack[0] = (byte)ControlCode.ConfAck;
        lcp.Tell(new FramingProtocol.FrameReceived(PppProtocol.Lcp, ack));
        lcp.Tell(new FramingProtocol.FrameReceived(PppProtocol.Lcp, new byte[] { (byte)ControlCode.ConfReq, 0x50, 0x00, 0x04 }));
        NextSent(framing, ControlCode.ConfAck);
        var up = supervisor.FishForMessage<ControlProtocol.LayerUp>(_ => true, TimeSpan.FromSeconds(3));
        Assert.Equal(PppProtocol.Lcp, up.Protocol);
        Sync(lcp);
    }
}

internal static class ProbeExtensions
{
    /// <summary>The first message of type T within the time, or null when none came.</summary>
    public static T? FishUntilMessage<T>(this TestProbe probe, TimeSpan within) where T : class
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var message = probe.ReceiveOne(deadline - DateTime.UtcNow);
            if (message is T wanted)
                return wanted;
            if (message is null)
                return null;
        }
        return null;
    }
}
