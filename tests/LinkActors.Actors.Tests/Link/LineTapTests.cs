using System.Text;
using Akka.Actor;
using Akka.TestKit;
using LinkActors.Actors.Link;
using LinkActors.Actors.Tests.Support;
using Xunit.Abstractions;
using Port = LinkActors.Actors.Serial.SerialPort;

namespace LinkActors.Actors.Tests.Link;

/// <summary>
/// The line tap in front of the framing actor, on a test scheduler: modem words heard in the PPP
/// stream count only when no HDLC stream follows them within the quiet time; RDY is a hint at once.
/// </summary>
public sealed class LineTapTests : ManualTimeTestKit
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    public LineTapTests(ITestOutputHelper output) : base(output)
    {
    }

    private TestProbe _port = null!;

    private (IActorRef Tap, TestProbe Reader, TestProbe Supervisor) Start()
    {
        var port = _port = CreateTestProbe();
        var reader = CreateTestProbe();
        var supervisor = CreateTestProbe();
        var tap = Sys.ActorOf(LineTap.Props(port.Ref, supervisor.Ref));
        tap.Tell(new Port.SetReader(reader.Ref));
        port.ExpectMsg<Port.SetReader>();
        return (tap, reader, supervisor);
    }

    private static Port.Received Line(string text) => new(Encoding.Latin1.GetBytes(text));

    [Fact]
    public void NoCarrier_FollowedByQuiet_IsReported_AndPassedThrough()
    {
        var (tap, reader, supervisor) = Start();
        // Split inside the words: the scan carries on across reads.
        tap.Tell(Line("~\x7d\x23\r\nNO CAR"));
        tap.Tell(Line("RIER\r\n"));
        reader.ExpectMsg<Port.Received>();
        Assert.Equal("RIER\r\n", Encoding.Latin1.GetString(reader.ExpectMsg<Port.Received>().Data.Span));
        Sync(tap);
        Advance(Quiet);
        supervisor.ExpectMsg<LineTap.NoCarrierHeard>();
    }

    [Fact]
    public void FramesWrittenAfterNoCarrier_AreHeld_AndDroppedWhenItIsConfirmed()
    {
        var (tap, _, supervisor) = Start();
        tap.Tell(new Port.Write(new byte[] { 0x7E, 0x21, 0x45, 0x7E }, "before"));
        Assert.Equal("before", _port.ExpectMsg<Port.Write>().Ack);
        tap.Tell(Line("\r\nNO CARRIER\r\n"));
        // A ping still flowing: its frames would land in the modem's command buffer.
        tap.Tell(new Port.Write(new byte[] { 0x7E, 0x21, 0x45, 0x0D, 0x7E }, "held"));
        Sync(tap);
        _port.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Advance(Quiet);
        supervisor.ExpectMsg<LineTap.NoCarrierHeard>();
        // Left out, and acknowledged so the framing need not wait for it on the way down.
        ExpectMsg("held");
        tap.Tell(new Port.Write(new byte[] { 0x7E, 0x21, 0x45, 0x7E }, "after"));
        ExpectMsg("after");
        _port.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void FramesHeldAfterNoCarrierInsideAPppStream_GoOnInOrder()
    {
        var (tap, _, supervisor) = Start();
        tap.Tell(Line("~\x21\x45\r\nNO CARRIER\r\n"));
        tap.Tell(new Port.Write(new byte[] { 0x7E, 1, 0x7E }, 1));
        tap.Tell(new Port.Write(new byte[] { 0x7E, 2, 0x7E }, 2));
        Sync(tap);
        _port.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        tap.Tell(Line("\x00\x01~~\x21\x45\x00~"));
        Assert.Equal(1, _port.ExpectMsg<Port.Write>().Ack);
        Assert.Equal(2, _port.ExpectMsg<Port.Write>().Ack);
        Advance(Quiet);
        supervisor.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void NoCarrier_InsideAPppStream_IsData()
    {
        var (tap, _, supervisor) = Start();
        tap.Tell(Line("~\x21\x45\r\nNO CARRIER\r\n\x00\x01~~\x21\x45\x00~"));
        Sync(tap);
        Advance(Quiet);
        supervisor.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Rdy_IsAHintAtOnce_AndConfirmedWhenNoPppFollows()
    {
        var (tap, _, supervisor) = Start();
        tap.Tell(Line("\r\nRDY\r\n"));
        Assert.False(supervisor.ExpectMsg<LineTap.ModemRestartHeard>().Confirmed);
        Sync(tap);
        Advance(Quiet);
        Assert.True(supervisor.ExpectMsg<LineTap.ModemRestartHeard>().Confirmed);
    }

    [Fact]
    public void Rdy_FollowedByEchoedFrames_StaysAHint()
    {
        var (tap, _, supervisor) = Start();
        // The restarted modem echoes our frames back: flags follow the words.
        tap.Tell(Line("\r\nRDY\r\n~\xff\x7d\x23\xc0\x21~~\xff\x7d\x23\xc0\x21~"));
        Assert.False(supervisor.ExpectMsg<LineTap.ModemRestartHeard>().Confirmed);
        Sync(tap);
        Advance(Quiet);
        supervisor.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
