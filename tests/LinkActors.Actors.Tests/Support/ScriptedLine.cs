using Akka.Actor;
using Akka.TestKit;
using LinkActors.Ppp.Framing;
using LinkActors.Ppp.Packets;
using Sp = LinkActors.Actors.Serial.SerialPort;

namespace LinkActors.Actors.Tests.Support;

/// <summary>
/// The far end of a link under test, scripted by the test: a probe stands where the serial port
/// actor would, so the test sees every write of the link (decoded into frames), decides when the
/// port acknowledges it, and hands the link the peer's bytes as the port would have read them.
/// Only the port is replaced; the supervisor and all its other children are the real ones.
/// </summary>
public sealed class ScriptedLine(TestProbe port)
{
    private readonly HdlcDecoder _decoder = new() { ReceiveAccm = 0 };
    private Sp.Write? _unacknowledged;
    private IActorRef? _unacknowledgedSender;

    public TestProbe Port { get; } = port;

    /// <summary>The reader the link named (its framing actor) once <see cref="WaitForReader"/> has seen it.</summary>
    public IActorRef Framing { get; private set; } = ActorRefs.Nobody;

    /// <summary>The port's props for <see cref="LinkActors.Actors.Link.LinkDependencies"/>.</summary>
    public Props PortProps(IActorRef owner) => Props.Create(() => new PortStandIn(owner, Port.Ref));

    /// <summary>Waits for the framing actor to become the port's reader.</summary>
    public IActorRef WaitForReader()
    {
        Framing = Port.FishForMessage<Sp.SetReader>(_ => true, TimeSpan.FromSeconds(5)).Reader;
        return Framing;
    }

    /// <summary>The peer's frames, in one read (each HDLC-encoded with every control octet escaped).</summary>
    public void PeerSends(params (ushort Protocol, byte[] Information)[] frames) =>
        Framing.Tell(new Sp.Received(frames.SelectMany(f => Encode(f.Protocol, f.Information)).ToArray()));

    public static byte[] Encode(ushort protocol, byte[] information)
    {
        var encoder = new HdlcEncoder { TransmitAccm = Accm.All };
        var buffer = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
        return buffer[..encoder.Encode(protocol, information, buffer)];
    }

    /// <summary>The next write to the port, decoded; acknowledged unless told not to (kept for <see cref="AcknowledgeLast"/>).</summary>
    public List<(ushort Protocol, byte[] Information)> NextWrite(bool acknowledge = true)
    {
        while (true)
        {
            var message = Port.ReceiveOne(TimeSpan.FromSeconds(5)) ?? throw new Xunit.Sdk.XunitException("no write reached the port");
            switch (message)
            {
                case Sp.Write write:
                    if (acknowledge && write.Ack is { } ack)
                        Port.LastSender.Tell(ack);
                    else
                        (_unacknowledged, _unacknowledgedSender) = (write, Port.LastSender);
                    var frames = new List<(ushort, byte[])>();
                    _decoder.Decode(write.Data.Span, new Collect(frames));
                    return frames;
                case Sp.SetReader:
                    continue;
                default:
                    throw new Xunit.Sdk.XunitException($"the port got {message} while a write was expected");
            }
        }
    }

    /// <summary>The next frame the link writes of this protocol and code, skipping others.</summary>
    public byte[] NextFrame(ushort protocol, ControlCode code, bool acknowledge = true) => NextFrame(protocol, (byte)code, acknowledge);

    public byte[] NextFrame(ushort protocol, byte code, bool acknowledge = true)
    {
        while (true)
        {
            foreach (var (p, information) in NextWrite(acknowledge))
                if (p == protocol && information.Length >= 4 && information[0] == code)
                    return information;
        }
    }

    /// <summary>The port finishes the write it was holding.</summary>
    public void AcknowledgeLast()
    {
        if (_unacknowledged?.Ack is { } ack)
            _unacknowledgedSender!.Tell(ack);
        _unacknowledged = null;
    }

    /// <summary>
    /// LCP opens with a peer that asks for nothing (its Configure-Request has no options): ours is
    /// acknowledged as it came, and ours to the peer's is awaited (unless the link may be gone before
    /// it is written). Returns our Configure-Request.
    /// </summary>
    public byte[] OpenLcp(bool awaitOurAck = true)
    {
        WaitForReader();
        var ourRequest = NextFrame(PppProtocol.Lcp, ControlCode.ConfReq);
        var ack = (byte[])ourRequest.Clone();
        ack[0] = (byte)ControlCode.ConfAck;
        PeerSends((PppProtocol.Lcp, [(byte)ControlCode.ConfReq, 0x01, 0x00, 0x04]), (PppProtocol.Lcp, ack));
        if (awaitOurAck)
            NextFrame(PppProtocol.Lcp, ControlCode.ConfAck);
        return ourRequest;
    }

    private sealed class Collect(List<(ushort Protocol, byte[] Information)> frames) : IHdlcFrameSink
    {
        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => frames.Add((protocol, information.ToArray()));
    }

    /// <summary>Reports the line open and hands every command to the test's probe.</summary>
    private sealed class PortStandIn(IActorRef owner, IActorRef probe) : ActorBase
    {
        protected override void PreStart() => owner.Tell(new Sp.Opened("scripted"));

        protected override bool Receive(object message)
        {
            probe.Forward(message);
            return true;
        }
    }
}
