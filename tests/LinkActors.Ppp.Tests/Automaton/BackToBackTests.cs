using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Tests.Automaton;

public class BackToBackTests
{
    private static (Wire wire, WidthPolicy a, WidthPolicy b) Pair()
    {
        // A wants 1000, B accepts at most 500: B Naks toward 500. A also asks for an option B does
        // not know: B Rejects it. B wants 400, which A accepts as is.
        var a = new WidthPolicy("A") { Want = 1000, Min = 100, Max = 1000, RequestExtra = true };
        var b = new WidthPolicy("B") { Want = 400, Min = 100, Max = 500 };
        var wire = new Wire(new EngineDriver(a), new EngineDriver(b));
        return (wire, a, b);
    }

    private static void Start(Wire wire)
    {
        wire.Run(wire.A, e => e.Up(), "Up");
        wire.Run(wire.B, e => e.Up(), "Up");
        wire.Run(wire.A, e => e.Open(), "Open");
        wire.Run(wire.B, e => e.Open(), "Open");
    }

    [Fact]
    public void Negotiate_NakAndReject_BothReachOpened()
    {
        var (wire, a, b) = Pair();

        Start(wire);
        wire.Settle();

        Assert.Equal(ControlState.Opened, wire.A.Driver.State);
        Assert.Equal(ControlState.Opened, wire.B.Driver.State);
        Assert.Equal((ushort)500, a.AckedWidth);   // A took B's Nak
        Assert.True(a.ExtraRejected);              // and dropped what B Rejected
        Assert.Equal((ushort)400, b.AckedWidth);
        Assert.Equal((ushort)500, b.PeerWidth);
        Assert.Equal(1, wire.B.Engine.Counters.ConfNaksSent);
        Assert.Equal(1, wire.B.Engine.Counters.ConfRejsSent);
        Assert.Equal(0, wire.A.Engine.Counters.IllegalEvents + wire.B.Engine.Counters.IllegalEvents);
        Assert.Equal(0, wire.A.Engine.Counters.DiscardedPackets + wire.B.Engine.Counters.DiscardedPackets);
    }

    [Fact]
    public void Close_OneSide_TerminateExchangeEndsClosedAndStopped()
    {
        var (wire, _, _) = Pair();
        Start(wire);
        wire.Settle();
        var finishedA = new List<ThisLayerFinished>();

        wire.Run(wire.A, e => e.Close("administrative close"), "Close");
        Assert.Equal(ControlState.Closing, wire.A.Driver.State);
        var termReq = Assert.Single(wire.A.Driver.SentNow);
        Assert.Equal(ControlCode.TermReq, termReq.Code);
        Assert.Contains(new ThisLayerDown(), wire.A.Driver.Last);

        wire.Deliver(wire.B);   // B: tld,zrc,sta/5
        Assert.Equal(ControlState.Stopping, wire.B.Driver.State);
        Assert.Equal(termReq.Identifier, wire.B.Driver.SentSingle(ControlCode.TermAck).Identifier);

        wire.Deliver(wire.A);   // A: tlf/2
        finishedA.AddRange(wire.A.Driver.Last.OfType<ThisLayerFinished>());
        wire.Settle();          // B's restart timer: TO- tlf/3

        Assert.Equal(ControlState.Closed, wire.A.Driver.State);
        Assert.Equal(ControlState.Stopped, wire.B.Driver.State);
        Assert.Equal("A: administrative close", Assert.Single(finishedA).Reason);
        Assert.Null(wire.A.Engine.LastFailureReason);   // our own Close is not a failure
        Assert.Equal("B: peer requested termination", wire.B.Engine.LastFailureReason);
        Assert.True(wire.Quiet);
    }

    [Fact]
    public void Close_TerminateAckLost_ClosesAfterMaxTerminate()
    {
        var (wire, _, _) = Pair();
        Start(wire);
        wire.Settle();

        wire.Run(wire.A, e => e.Close("bye"), "Close");
        wire.Drop(wire.B);      // the Terminate-Request is lost
        wire.FireTimer(wire.A); // TO+: str/4
        wire.Drop(wire.B);
        wire.FireTimer(wire.A); // TO-: tlf/2

        Assert.Equal(ControlState.Closed, wire.A.Driver.State);
        Assert.Equal(2, wire.A.Engine.Counters.TermReqsSent);
        Assert.Single(wire.A.Driver.Last.OfType<ThisLayerFinished>());
    }

    [Fact]
    public void Open_InOpenedWithRestartOption_BothSidesRenegotiate()
    {
        var a = new WidthPolicy("A") { Want = 1000, Min = 100, Max = 1000 };
        var b = new WidthPolicy("B") { Want = 400, Min = 100, Max = 500 };
        var wire = new Wire(new EngineDriver(a), new EngineDriver(b, new ControlEngineSettings { Restart = true }));
        Start(wire);
        wire.Settle();
        int resetsA = a.Resets;

        wire.Run(wire.B, e => e.Open(), "Open");   // [r]: Down then Up, tld,irc,scr/6
        Assert.Equal(ControlState.ReqSent, wire.B.Driver.State);
        Assert.Contains(new ThisLayerDown(), wire.B.Driver.Last);
        wire.Settle();

        Assert.Equal(ControlState.Opened, wire.A.Driver.State);
        Assert.Equal(ControlState.Opened, wire.B.Driver.State);
        Assert.Equal(resetsA + 1, a.Resets);       // A's tld,scr,sca/8 started a new negotiation
        Assert.Equal((ushort)500, a.AckedWidth);
    }
}
