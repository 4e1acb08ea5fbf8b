using Akka.Actor;
using Akka.TestKit;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Actors.Tests.Support;
using LinkActors.Ppp.Framing;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;
using Xunit.Abstractions;
using Port = LinkActors.Actors.Serial.SerialPort;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Actors.Tests.Link;

/// <summary>
/// The way down when the peer closes at the same time as we do: we are in Closing (our
/// Terminate-Request is out) and the peer's Terminate-Request and its Terminate-Ack for ours come in
/// one read. LCP answers the request (RFC 1661 §4.1, RTR in Closing: sta) and then finishes; the
/// line must not be closed before that Terminate-Ack is written (pppd exits 16 instead of 19
/// without it). The supervisor and its real children run; only the port is a probe, so the test
/// sees every write and decides when the port acknowledges it.
/// </summary>
public sealed class TerminateAckOnTheWayDownTests : ManualTimeTestKit, IDisposable
{
    private readonly string _device = Path.GetTempFileName();

    public TerminateAckOnTheWayDownTests(ITestOutputHelper output) : base(output)
    {
    }

    void IDisposable.Dispose() => File.Delete(_device);

    /// <summary>Stands where the serial port actor would: reports the line open and hands every command to the test.</summary>
    private sealed class PortProbe(IActorRef owner, IActorRef probe) : ActorBase
    {
        protected override void PreStart() => owner.Tell(new Port.Opened("probe"));

        protected override void PostStop()
        {
        }

        public static Props Props(IActorRef owner, IActorRef probe) => Akka.Actor.Props.Create(() => new PortProbe(owner, probe));

        protected override bool Receive(object message)
        {
            probe.Forward(message);
            return true;
        }
    }

    private sealed class Collect(List<(ushort Protocol, byte[] Information)> frames) : IHdlcFrameSink
    {
        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => frames.Add((protocol, information.ToArray()));
    }

    private readonly HdlcDecoder _line = new() { ReceiveAccm = 0 };

    private static byte[] Encode(ushort protocol, byte[] information)
    {
        var encoder = new HdlcEncoder { TransmitAccm = Accm.All };
        var buffer = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
        return buffer[..encoder.Encode(protocol, information, buffer)];
    }

    /// <summary>The next write to the port, decoded; acknowledged when asked (as the port does once the bytes are out).</summary>
    private List<(ushort Protocol, byte[] Information)> NextWrite(TestProbe port, bool acknowledge)
    {
        while (true)
        {
            var message = port.ReceiveOne(TimeSpan.FromSeconds(5)) ?? throw new Xunit.Sdk.XunitException("no write reached the port");
            switch (message)
            {
                case Port.Write write:
                    if (acknowledge && write.Ack is { } ack)
                        port.LastSender.Tell(ack);
                    var frames = new List<(ushort, byte[])>();
                    _line.Decode(write.Data.Span, new Collect(frames));
                    return frames;
                case Port.SetReader:
                    continue;
                default:
                    throw new Xunit.Sdk.XunitException($"the port got {message} while a write was expected");
            }
        }
    }

    private byte[] NextFrame(TestProbe port, ushort protocol, ControlCode code, bool acknowledge = true)
    {
        while (true)
        {
            foreach (var (p, information) in NextWrite(port, acknowledge))
                if (p == protocol && information.Length >= 4 && information[0] == (byte)code)
                    return information;
        }
    }

    [Fact]
    public async Task PeersTerminateRequestAndAckInOneRead_OurTerminateAckIsWrittenBeforeThePortCloses()
    {
        var settings = Assert.Single(Settings.Create(Settings.Parse($$"""
            linkactors.links.client {
              device = "{{_device}}"
              local = true
              network.mode = endpoint
              ipcp { noipdefault = true }
              ipv6cp.enabled = false
            }
            """, "test"), "test"));
        var port = CreateTestProbe();
        var phases = CreateTestProbe();
        Sys.EventStream.Subscribe(phases, typeof(LinkProtocol.PhaseChanged));
        Sys.EventStream.Subscribe(phases, typeof(LinkProtocol.Ended));
        var dependencies = new LinkDependencies(owner => PortProbe.Props(owner, port), PacketEndpointActor.Props, CryptoRandomSource.Instance);
        var link = Sys.ActorOf(LinkSupervisor.Props(settings, dependencies), "link");

        // LCP opens: our Configure-Request is acknowledged, and the peer's (no options) acknowledged by us.
        var setReader = port.FishForMessage<Port.SetReader>(_ => true, TimeSpan.FromSeconds(5));
        var framing = setReader.Reader;
        var ourRequest = NextFrame(port, PppProtocol.Lcp, ControlCode.ConfReq);
        var ack = (byte[])ourRequest.Clone();
        ack[0] = (byte)ControlCode.ConfAck;
        framing.Tell(new Port.Received(Encode(PppProtocol.Lcp, [(byte)ControlCode.ConfReq, 0x01, 0x00, 0x04]).Concat(Encode(PppProtocol.Lcp, ack)).ToArray()));
        NextFrame(port, PppProtocol.Lcp, ControlCode.ConfAck);
        NextFrame(port, PppProtocol.Ipcp, ControlCode.ConfReq);

        // We close: LCP goes to Closing with its Terminate-Request out.
        link.Tell(new LinkProtocol.Stop("test done"));
        var ourTermReq = NextFrame(port, PppProtocol.Lcp, ControlCode.TermReq);

        // The peer closes too, and acknowledges ours, in one write.
        const byte peerId = 0x42;
        framing.Tell(new Port.Received(Encode(PppProtocol.Lcp, [(byte)ControlCode.TermReq, peerId, 0x00, 0x04])
            .Concat(Encode(PppProtocol.Lcp, [(byte)ControlCode.TermAck, ourTermReq[1], 0x00, 0x04])).ToArray()));

        // RFC 1661 §4.1 (RTR in Closing: sta): our Terminate-Ack for the peer's request reaches the port.
        var termAck = NextFrame(port, PppProtocol.Lcp, ControlCode.TermAck, acknowledge: false);
        Assert.Equal(peerId, termAck[1]);

        // LCP has finished and the supervisor has entered Disconnect; the write is not acknowledged
        // yet, so the port must not have been told to close.
        phases.FishForMessage<LinkProtocol.PhaseChanged>(p => p.Phase == LinkProtocol.Phase.Disconnect, TimeSpan.FromSeconds(5));
        Sync(link);
        Sync(await Sys.ActorSelection(link.Path / "port").ResolveOne(TimeSpan.FromSeconds(3)));
        Assert.False(port.HasMessages, "the port was told to close before our Terminate-Ack was written");

        // The port writes it: now the line closes and the attempt ends.
        port.LastSender.Tell(port.LastMessage is Port.Write { Ack: { } portAck } ? portAck : throw new InvalidOperationException());
        port.FishForMessage(m => m is Port.Close, TimeSpan.FromSeconds(5));
        link.Tell(Port.Closed.Instance);
        var ended = phases.FishForMessage<LinkProtocol.Ended>(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal("user-request", ended.Reason.Code);
    }
}
