using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using LinkActors.Actors.Framing;
using LinkActors.Actors.Tests.Support;
using LinkActors.Ppp.Framing;
using LinkActors.Ppp.Packets;
using static LinkActors.Actors.Framing.FramingProtocol;
using Port = LinkActors.Actors.Serial.SerialPort;

namespace LinkActors.Actors.Tests.Framing;

/// <summary>The framing actor against a probe that plays the port.</summary>
public class HdlcFramingActorTests : ManualTimeTestKit
{
    // LCP Configure-Request id 1: MRU 1500, Magic-Number 0x12345678 (RFC 1661 §5.1, §6.1, §6.4).
    private static readonly byte[] LcpConfReq =
    [
        0x01, 0x01, 0x00, 0x0E, // code, id, length 14
        0x01, 0x04, 0x05, 0xDC, // MRU 1500
        0x05, 0x06, 0x12, 0x34, 0x56, 0x78, // Magic-Number
    ];

    // IPCP Configure-Request id 1: IP-Address 10.0.0.1 (RFC 1332 §3.3).
    private static readonly byte[] IpcpConfReq = [0x01, 0x01, 0x00, 0x0A, 0x03, 0x06, 0x0A, 0x00, 0x00, 0x01];

    // An IPv4 packet's first octets, with octets that need escaping: a control character, Flag, Control Escape.
    private static readonly byte[] Ipv4Data = [0x45, 0x00, 0x00, 0x1C, 0x01, 0x7E, 0x7D, 0x11, 0x20];

    private readonly TestProbe _port;
    private readonly TestProbe _supervisor;

    public HdlcFramingActorTests()
    {
        _port = CreateTestProbe("port");
        _supervisor = CreateTestProbe("supervisor");
    }

    [Fact]
    public void Received_Frames_GoToTheRouteOfTheirProtocolElseToTheSupervisor()
    {
        var framing = StartFraming();
        var lcp = CreateTestProbe("lcp");
        framing.Tell(new SetRoute(PppProtocol.Lcp, lcp.Ref));

        Receive(framing, [.. Hdlc.Encode(PppProtocol.Lcp, LcpConfReq), .. Hdlc.Encode(PppProtocol.Ipcp, IpcpConfReq)]);

        var routed = lcp.ExpectMsg<FrameReceived>();
        Assert.Equal(PppProtocol.Lcp, routed.Protocol);
        Assert.Equal(LcpConfReq, routed.Information.ToArray());
        Assert.Equal(framing, lcp.LastSender);
        var unrouted = _supervisor.ExpectMsg<FrameReceived>();
        Assert.Equal(PppProtocol.Ipcp, unrouted.Protocol);
        Assert.Equal(IpcpConfReq, unrouted.Information.ToArray());
    }

    [Fact]
    public void RemoveRoute_ThenFrame_GoesToTheSupervisor()
    {
        var framing = StartFraming();
        var lcp = CreateTestProbe("lcp");
        framing.Tell(new SetRoute(PppProtocol.Lcp, lcp.Ref));
        framing.Tell(new RemoveRoute(PppProtocol.Lcp));

        Receive(framing, Hdlc.Encode(PppProtocol.Lcp, LcpConfReq));

        Assert.Equal(PppProtocol.Lcp, _supervisor.ExpectMsg<FrameReceived>().Protocol);
        lcp.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Route_TargetStops_FramesGoToTheSupervisor()
    {
        var framing = StartFraming();
        var lcp = CreateTestProbe("lcp");
        framing.Tell(new SetRoute(PppProtocol.Lcp, lcp.Ref));
        Watch(lcp.Ref);
        Sys.Stop(lcp.Ref);
        ExpectTerminated(lcp.Ref);
        Sync(framing);

        Receive(framing, Hdlc.Encode(PppProtocol.Lcp, LcpConfReq));

        Assert.Equal(PppProtocol.Lcp, _supervisor.ExpectMsg<FrameReceived>().Protocol);
    }

    [Fact]
    public void InitialBytes_LeftByChat_AreDecodedFirst()
    {
        // What chat left after CONNECT: the end of the modem's line, then the first frame.
        byte[] unread = [(byte)'\r', (byte)'\n', .. Hdlc.Encode(PppProtocol.Lcp, LcpConfReq)];
        var framing = Sys.ActorOf(HdlcFramingActor.Props(_port.Ref, FramingSettings.Default, _supervisor.Ref, initialBytes: unread));
        _port.ExpectMsg<Port.SetReader>(m => Assert.Equal(framing, m.Reader));

        Assert.Equal(LcpConfReq, _supervisor.ExpectMsg<FrameReceived>().Information.ToArray());
        var stats = Stats(framing);
        Assert.Equal(2, stats.RxDiscardedBytes);
        Assert.Equal(1, stats.RxFrames);
    }

    [Fact]
    public void Received_OneByteChunks_ReassemblesEveryFrame()
    {
        var framing = StartFraming();
        byte[] stream =
        [
            .. Hdlc.Encode(PppProtocol.Lcp, LcpConfReq),
            .. Hdlc.Encode(PppProtocol.Ipcp, IpcpConfReq),
            .. Hdlc.Encode(PppProtocol.Ipv4, Ipv4Data),
        ];

        foreach (var b in stream)
        {
            Receive(framing, [b]);
        }

        Assert.Equal(LcpConfReq, _supervisor.ExpectMsg<FrameReceived>().Information.ToArray());
        Assert.Equal(IpcpConfReq, _supervisor.ExpectMsg<FrameReceived>().Information.ToArray());
        Assert.Equal(Ipv4Data, _supervisor.ExpectMsg<FrameReceived>().Information.ToArray());
    }

    [Fact]
    public void Received_GarbageBadFcsRuntsAndAborts_AreCountedAndTheNextFrameStillArrives()
    {
        var framing = StartFraming();
        var badFcs = Hdlc.Encode(PppProtocol.Lcp, LcpConfReq);
        badFcs[^2] ^= 0x01;
        byte[] runt = [0x7E, 0x21, 0x45, 0x7E];
        byte[] aborted = [0x7E, 0xFF, 0x03, 0x00, 0x21, 0x45, 0x7D, 0x7E];
        var random = new Random(1662);
        var noise = new byte[4096];
        random.NextBytes(noise);

        Receive(framing, "NO CARRIER\r\n"u8.ToArray());
        Receive(framing, badFcs);
        Receive(framing, runt);
        Receive(framing, aborted);
        Receive(framing, noise);
        Receive(framing, [0x7E, 0x7E, .. Hdlc.Encode(PppProtocol.Ipcp, IpcpConfReq)]);

        // Random noise may hold a valid-looking frame by chance; the real frame comes last whatever it holds.
        var frames = _supervisor.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m as FrameReceived);
        Assert.Equal(IpcpConfReq, frames[^1]!.Information.ToArray());
        var stats = Stats(framing);
        Assert.True(stats.RxBadFcs >= 1, stats.ToString());
        Assert.True(stats.RxRunts >= 1, stats.ToString());
        Assert.True(stats.RxAborted >= 1, stats.ToString());
        Assert.Equal("NO CARRIER\r\n".Length, stats.RxDiscardedBytes);
        Assert.Equal(12 + badFcs.Length + runt.Length + aborted.Length + noise.Length + 2 + Hdlc.Encode(PppProtocol.Ipcp, IpcpConfReq).Length, stats.RxBytes);
    }

    [Fact]
    public void Received_OversizeFrame_IsCountedAndDropped()
    {
        var framing = StartFraming();

        Receive(framing, Hdlc.Encode(PppProtocol.Ipv4, new byte[3000]));
        Receive(framing, Hdlc.Encode(PppProtocol.Ipv4, new byte[1500]));

        Assert.Equal(1500, _supervisor.ExpectMsg<FrameReceived>().Information.Length);
        Assert.Equal(1, Stats(framing).RxOversize);
    }

    [Fact]
    public void SendFrame_WritesTheEncodedFrameAndRepliesFrameSentOnThePortsAck()
    {
        var framing = StartFraming();

        framing.Tell(new SendFrame(PppProtocol.Lcp, LcpConfReq, Ack: "confreq-1"));

        var write = _port.ExpectMsg<Port.Write>();
        Assert.Equal(Hdlc.Encode(PppProtocol.Lcp, LcpConfReq), write.Data.ToArray());
        var frame = Assert.Single(Hdlc.Decode(write.Data.Span));
        Assert.Equal(PppProtocol.Lcp, frame.Protocol);
        Assert.Equal(LcpConfReq, frame.Information);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        _port.Reply(write.Ack);

        Assert.Equal("confreq-1", ExpectMsg<FrameSent>().Ack);
        var stats = Stats(framing);
        Assert.Equal(1, stats.TxFrames);
        Assert.Equal(write.Data.Length, stats.TxBytes);
    }

    [Fact]
    public void SendFrame_WhileAWriteIsInFlight_WaitsForTheAckThenCoalesces()
    {
        var framing = StartFraming();

        framing.Tell(new SendFrame(PppProtocol.Lcp, LcpConfReq, Ack: 1));
        framing.Tell(new SendFrame(PppProtocol.Ipcp, IpcpConfReq, Ack: 2));
        framing.Tell(new SendFrame(PppProtocol.Ipv4, Ipv4Data, Ack: 3));

        var first = _port.ExpectMsg<Port.Write>();
        _port.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Single(Hdlc.Decode(first.Data.Span));

        framing.Tell(first.Ack, _port.Ref);
        Assert.Equal(1, ExpectMsg<FrameSent>().Ack);

        // The two frames that queued behind the first go out as one write.
        var second = _port.ExpectMsg<Port.Write>();
        var frames = Hdlc.Decode(second.Data.Span);
        Assert.Equal([PppProtocol.Ipcp, PppProtocol.Ipv4], frames.Select(f => f.Protocol));
        Assert.Equal(Ipv4Data, frames[1].Information);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        framing.Tell(second.Ack, _port.Ref);
        Assert.Equal(2, ExpectMsg<FrameSent>().Ack);
        Assert.Equal(3, ExpectMsg<FrameSent>().Ack);
        Assert.Equal(3, Stats(framing).TxFrames);
    }

    [Fact]
    public void SendFrame_QueueFull_DropsDataFramesButAlwaysQueuesControlFrames()
    {
        var framing = StartFraming();
        framing.Tell(new SendFrame(PppProtocol.Ipv4, Ipv4Data, Ack: "in-flight"));
        var inFlight = _port.ExpectMsg<Port.Write>();

        for (var i = 0; i < HdlcFramingActor.MaxQueuedFrames; i++)
        {
            framing.Tell(new SendFrame(PppProtocol.Ipv4, Ipv4Data));
        }

        framing.Tell(new SendFrame(PppProtocol.Ipv4, Ipv4Data, Ack: "one-too-many"));
        var failed = ExpectMsg<SendFailed>();
        Assert.Equal("one-too-many", failed.Ack);
        framing.Tell(new SendFrame(PppProtocol.Ipv4, Ipv4Data));
        framing.Tell(new SendFrame(PppProtocol.Lcp, LcpConfReq, Ack: "lcp"));

        var stats = Stats(framing);
        Assert.Equal(2, stats.TxDropped);
        Assert.Equal(HdlcFramingActor.MaxQueuedFrames + 1, stats.TxQueued);

        // Drain: every queued frame reaches the port, LCP's last.
        _port.Reply(inFlight.Ack);
        var written = new List<(ushort Protocol, byte[] Information)>();
        while (written.Count < HdlcFramingActor.MaxQueuedFrames + 1)
        {
            var write = _port.ExpectMsg<Port.Write>();
            written.AddRange(Hdlc.Decode(write.Data.Span));
            _port.Reply(write.Ack);
        }

        Assert.Equal(PppProtocol.Lcp, written[^1].Protocol);
        Assert.All(written.SkipLast(1), f => Assert.Equal(PppProtocol.Ipv4, f.Protocol));
        Assert.Equal("in-flight", ExpectMsg<FrameSent>().Ack);
        Assert.Equal("lcp", ExpectMsg<FrameSent>().Ack);
        Assert.Equal(HdlcFramingActor.MaxQueuedFrames + 2, Stats(framing).TxFrames);
    }

    [Fact]
    public void SendFrame_QueueFullByBytes_DropsDataFrames()
    {
        var framing = StartFraming();
        var big = new byte[16 * 1024];
        Array.Fill(big, (byte)'A');
        framing.Tell(new SendFrame(PppProtocol.Ipv4, big));
        _port.ExpectMsg<Port.Write>();

        // 16 KiB of letters encode to a little over 16 KiB: 15 fit in 256 KiB, the 16th does not.
        for (var i = 0; i < 16; i++)
        {
            framing.Tell(new SendFrame(PppProtocol.Ipv4, big, Ack: i));
        }

        Assert.Equal(15, ExpectMsg<SendFailed>().Ack);
        Assert.Equal(1, Stats(framing).TxDropped);
    }

    [Fact]
    public void Configure_NegotiatedAcfcPfcAndAccm_ChangeDataFramesButNotLcpHeaders()
    {
        var framing = StartFraming();

        // Before LCP is Opened: Address/Control, two-octet protocol, every control character escaped
        // (RFC 1662 §7.1): 0x03 and 0x00 of the header as well as 0x01 of the data.
        var before = SendAndAck(framing, PppProtocol.Ipv4, Ipv4Data);
        Assert.Equal([0x7E, 0xFF, 0x7D, 0x23, 0x7D, 0x20, 0x21, 0x45, 0x7D, 0x20, 0x7D, 0x20, 0x7D, 0x3C, 0x7D, 0x21], before[..16]);
        Assert.Equal(Hdlc.Encode(PppProtocol.Ipv4, Ipv4Data), before);

        framing.Tell(new Configure(new FramingSettings(1500, ReceiveAccm: 0, TransmitAccm: 0, Acfc: true, Pfc: true)));

        // After: no Address/Control, one-octet protocol (RFC 1661 §6.5, §6.6), 0x01 sent as it is.
        var after = SendAndAck(framing, PppProtocol.Ipv4, Ipv4Data);
        Assert.Equal([0x7E, 0x21, 0x45, 0x00, 0x00, 0x1C, 0x01, 0x7D, 0x5E, 0x7D, 0x5D], after[..11]);
        Assert.Equal(Hdlc.Encode(PppProtocol.Ipv4, Ipv4Data, accm: 0, acfc: true, pfc: true), after);

        // LCP keeps Address, Control and both protocol octets whatever was negotiated.
        var lcp = SendAndAck(framing, PppProtocol.Lcp, LcpConfReq);
        Assert.Equal([0x7E, 0xFF, 0x03, 0xC0, 0x21], lcp[..5]);
        Assert.Equal(LcpConfReq, Assert.Single(Hdlc.Decode(lcp, accm: 0)).Information);

        // Back to the defaults when LCP leaves Opened.
        framing.Tell(new Configure(FramingSettings.Default));
        Assert.Equal(Hdlc.Encode(PppProtocol.Ipv4, Ipv4Data), SendAndAck(framing, PppProtocol.Ipv4, Ipv4Data));
    }

    [Fact]
    public void Configure_ReceiveAccm_DropsUnescapedControlCharactersOnlyWhenInTheMap()
    {
        var framing = StartFraming();

        // A frame sent with ACCM 0 carries 0x01 as it is; under the default receive ACCM the 0x01 is
        // taken as inserted by the line and dropped, so the FCS fails (RFC 1662 §4.2).
        var raw = Hdlc.Encode(PppProtocol.Ipv4, Ipv4Data, accm: 0);
        Receive(framing, raw);
        _supervisor.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, Stats(framing).RxBadFcs);

        framing.Tell(new Configure(new FramingSettings(1500, ReceiveAccm: 0, TransmitAccm: Accm.All, Acfc: false, Pfc: false)));
        Receive(framing, raw);

        Assert.Equal(Ipv4Data, _supervisor.ExpectMsg<FrameReceived>().Information.ToArray());
    }

    [Fact]
    public void Trace_EverySentAndReceivedFrame_IsLoggedAtDebugInPppdsWords()
    {
        var debug = LogProbe<Debug>();
        var framing = StartFraming();

        framing.Tell(new SendFrame(PppProtocol.Lcp, LcpConfReq));
        Receive(framing, Hdlc.Encode(PppProtocol.Lcp, LcpConfReq));
        _supervisor.ExpectMsg<FrameReceived>();

        var lines = debug.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => (m as Debug)?.ToString()).ToList();
        Assert.Contains(lines, l => l!.Contains("sent [LCP ConfReq id=0x1 <mru 1500> <magic 0x12345678>]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l!.Contains("rcvd [LCP ConfReq id=0x1 <mru 1500> <magic 0x12345678>]", StringComparison.Ordinal));
    }

    [Fact]
    public void WatchActivity_TellsOnceUntilRearmed()
    {
        var framing = StartFraming();
        var echo = CreateTestProbe("echo");
        framing.Tell(new WatchActivity(echo.Ref));
        var frame = Hdlc.Encode(PppProtocol.Ipv4, Ipv4Data);

        Receive(framing, [.. frame, .. frame]);
        echo.ExpectMsg<LinkActivity>();
        Receive(framing, frame);
        echo.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        framing.Tell(RearmActivity.Instance, echo.Ref);
        echo.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Receive(framing, frame);
        echo.ExpectMsg<LinkActivity>();
    }

    [Fact]
    public void WatchActivity_BadFrames_AreNoSignOfLife()
    {
        var framing = StartFraming();
        var echo = CreateTestProbe("echo");
        framing.Tell(new WatchActivity(echo.Ref));
        var bad = Hdlc.Encode(PppProtocol.Ipv4, Ipv4Data);
        bad[^2] ^= 0xFF;

        Receive(framing, bad);

        echo.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Record_EveryChunkBothWays_IsWrittenInPppdsRecordFormat()
    {
        var path = Path.Combine(Path.GetTempPath(), $"linkactors-record-{Guid.NewGuid():N}.rec");
        try
        {
            var framing = Sys.ActorOf(HdlcFramingActor.Props(_port.Ref, FramingSettings.Default, _supervisor.Ref, recordPath: path));
            _port.ExpectMsg<Port.SetReader>();
            var incoming = Hdlc.Encode(PppProtocol.Lcp, LcpConfReq);

            framing.Tell(new SendFrame(PppProtocol.Lcp, LcpConfReq));
            var write = _port.ExpectMsg<Port.Write>();
            _port.Reply(write.Ack);
            Sync(framing);
            Advance(TimeSpan.FromSeconds(2));
            Receive(framing, incoming[..5]);
            Sync(framing);
            Advance(TimeSpan.FromSeconds(30));
            Receive(framing, incoming[5..]);
            _supervisor.ExpectMsg<FrameReceived>();

            Watch(framing);
            Sys.Stop(framing);
            ExpectTerminated(framing);

            var record = RecordFile.Read(File.ReadAllBytes(path));
            Assert.Equal(0x07, record.Tags[0]);
            Assert.Single(record.StartTimes);
            Assert.Equal(write.Data.ToArray(), record.Sent.ToArray());
            Assert.Equal(incoming, record.Received.ToArray());
            Assert.Equal([0x01, 0x02, 0x02], record.Tags.Where(t => t is 0x01 or 0x02));

            // 2 s is a one-octet step of 20 tenths; 30 s, 300 tenths, needs the four-octet step.
            // (A first step may carry the start's fraction of a second.)
            Assert.Equal([0x06, 0x05], record.Tags.Where(t => t is 0x05 or 0x06).TakeLast(2));
            Assert.InRange(record.TenthsStepped, 320, 330);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Record_UnwritablePath_LinkStillWorks()
    {
        var path = Path.Combine(Path.GetTempPath(), $"linkactors-missing-{Guid.NewGuid():N}", "x.rec");
        var framing = Sys.ActorOf(HdlcFramingActor.Props(_port.Ref, FramingSettings.Default, _supervisor.Ref, recordPath: path));
        _port.ExpectMsg<Port.SetReader>();

        Receive(framing, Hdlc.Encode(PppProtocol.Lcp, LcpConfReq));

        _supervisor.ExpectMsg<FrameReceived>();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void PortClosed_TellsTheSupervisorFailsPendingAcksAndStops()
    {
        var framing = StartFraming();
        Watch(framing);
        framing.Tell(new SendFrame(PppProtocol.Lcp, LcpConfReq, Ack: "in-flight"));
        _port.ExpectMsg<Port.Write>();
        framing.Tell(new SendFrame(PppProtocol.Lcp, LcpConfReq, Ack: "queued"));

        framing.Tell(Port.Closed.Instance, _port.Ref);

        _supervisor.ExpectMsg<Port.Closed>();
        var messages = ReceiveN(3);
        Assert.Single(messages.OfType<Terminated>());
        Assert.Equal(["in-flight", "queued"], messages.OfType<SendFailed>().Select(f => f.Ack));
    }

    [Fact]
    public void CarrierChanged_IsForwardedToTheSupervisor()
    {
        var framing = StartFraming();

        framing.Tell(new Port.CarrierChanged(false), _port.Ref);

        Assert.False(_supervisor.ExpectMsg<Port.CarrierChanged>().Present);
    }

    [Fact]
    public void Messages_ToString_ShowLengthsNotPayloads()
    {
        var text = new SendFrame(PppProtocol.Ipv4, new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, "ack").ToString()
            + new FrameReceived(PppProtocol.Pap, new byte[] { 0x01, 0x02, 0x03 }).ToString();

        Assert.Contains("4 bytes", text, StringComparison.Ordinal);
        Assert.Contains("3 bytes", text, StringComparison.Ordinal);
        Assert.DoesNotContain("222", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Byte", text, StringComparison.Ordinal);
    }

    private IActorRef StartFraming()
    {
        var framing = Sys.ActorOf(HdlcFramingActor.Props(_port.Ref, FramingSettings.Default, _supervisor.Ref));
        _port.ExpectMsg<Port.SetReader>(m => Assert.Equal(framing, m.Reader));
        return framing;
    }

    private void Receive(IActorRef framing, byte[] bytes) => framing.Tell(new Port.Received(bytes), _port.Ref);

    private byte[] SendAndAck(IActorRef framing, ushort protocol, byte[] information)
    {
        framing.Tell(new SendFrame(protocol, information));
        var write = _port.ExpectMsg<Port.Write>();
        _port.Reply(write.Ack);
        return write.Data.ToArray();
    }

    private FramingStats Stats(IActorRef framing)
    {
        framing.Tell(GetStats.Instance);
        return ExpectMsg<FramingStats>();
    }
}
