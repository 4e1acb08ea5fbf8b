using Akka.Actor;
using Akka.TestKit;
using LinkActors.Actors.Framing;
using LinkActors.Actors.Serial;
using LinkActors.Tests.Shared;
using LinkActors.Ppp.Packets;
using static LinkActors.Actors.Framing.FramingProtocol;
using Port = LinkActors.Actors.Serial.SerialPort;

namespace LinkActors.Actors.Tests.Framing;

/// <summary>Two framing actors, each on a real port actor, talking over a socat pty pair.</summary>
public sealed class HdlcFramingActorPtyTests : Akka.TestKit.Xunit2.TestKit
{
    private const int Frames = 1000;

    // Frames in flight per direction: well under the transmit queue, so nothing is dropped.
    private const int Window = 16;

    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    private readonly SocatPtyPair _pty = new();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _pty.Dispose();
        }
    }

    [Fact]
    public void Exchange_ThousandFramesEachWay_ArriveIntactAndInOrder()
    {
        var left = StartSide(_pty.A);
        var right = StartSide(_pty.B);
        var acks = CreateTestProbe("acks");
        var sent = new Dictionary<char, int> { ['L'] = 0, ['R'] = 0 };
        var done = new Dictionary<char, int> { ['L'] = 0, ['R'] = 0 };

        void Fill(char side, IActorRef framing)
        {
            while (sent[side] < Frames && sent[side] - done[side] < Window)
            {
                framing.Tell(new SendFrame(PppProtocol.Ipv4, Payload(sent[side]), Ack: new FrameAck(side, sent[side])), acks.Ref);
                sent[side]++;
            }
        }

        Fill('L', left.Framing);
        Fill('R', right.Framing);
        while (done['L'] < Frames || done['R'] < Frames)
        {
            var reply = acks.ReceiveOne(Soon);
            var ack = reply switch
            {
                FrameSent s => (FrameAck)s.Ack,
                _ => throw new Xunit.Sdk.XunitException($"unexpected {reply}"),
            };
            Assert.Equal(done[ack.Side], ack.Sequence);
            done[ack.Side]++;
            Fill(ack.Side, ack.Side == 'L' ? left.Framing : right.Framing);
        }

        AssertReceived(right.Ipv4);
        AssertReceived(left.Ipv4);
        foreach (var side in new[] { left, right })
        {
            side.Framing.Tell(GetStats.Instance, TestActor);
            var stats = ExpectMsg<FramingStats>();
            Assert.Equal(Frames, stats.RxFrames);
            Assert.Equal(0, stats.RxErrors);
            Assert.Equal(Frames, stats.TxFrames);
            Assert.Equal(0, stats.TxDropped);
        }
    }

    /// <summary>Varied lengths, every octet value, Flag and Control Escape included; the sequence number first.</summary>
    private static byte[] Payload(int sequence)
    {
        var payload = new byte[4 + (sequence * 37 % 1400)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(payload, sequence);
        for (var i = 4; i < payload.Length; i++)
        {
            payload[i] = (byte)(sequence + (i * 7));
        }

        return payload;
    }

    private static void AssertReceived(TestProbe ipv4)
    {
        for (var i = 0; i < Frames; i++)
        {
            var frame = ipv4.ExpectMsg<FrameReceived>(Soon);
            Assert.Equal(PppProtocol.Ipv4, frame.Protocol);
            Assert.Equal(Payload(i), frame.Information.ToArray());
        }
    }

    private Side StartSide(string device)
    {
        var owner = CreateTestProbe();
        var settings = new SerialPortSettings(new LineDevice.Serial(device)) { LockDirectory = _pty.LockDirectory, Speed = 115200 };
        var port = Sys.ActorOf(SerialPortActor.Props(settings, owner.Ref));
        owner.ExpectMsg<Port.Opened>(Soon);
        var supervisor = CreateTestProbe();
        var framing = Sys.ActorOf(HdlcFramingActor.Props(port, FramingSettings.Default, supervisor.Ref));
        var ipv4 = CreateTestProbe();
        framing.Tell(new SetRoute(PppProtocol.Ipv4, ipv4.Ref));
        return new Side(framing, ipv4);
    }

    private sealed record Side(IActorRef Framing, TestProbe Ipv4);

    private sealed record FrameAck(char Side, int Sequence);
}
