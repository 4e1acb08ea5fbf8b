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
        var line = new ScriptedLine(CreateTestProbe());
        var port = line.Port;
        var phases = CreateTestProbe();
        Sys.EventStream.Subscribe(phases, typeof(LinkProtocol.PhaseChanged));
        Sys.EventStream.Subscribe(phases, typeof(LinkProtocol.Ended));
        var dependencies = new LinkDependencies(line.PortProps, PacketEndpointActor.Props, CryptoRandomSource.Instance);
        var link = Sys.ActorOf(LinkSupervisor.Props(settings, dependencies), "link");

        // LCP opens; IPCP starts.
        line.OpenLcp();
        line.NextFrame(PppProtocol.Ipcp, ControlCode.ConfReq);

        // We close: LCP goes to Closing with its Terminate-Request out.
        link.Tell(new LinkProtocol.Stop("test done"));
        var ourTermReq = line.NextFrame(PppProtocol.Lcp, ControlCode.TermReq);

        // The peer closes too, and acknowledges ours, in one write.
        const byte peerId = 0x42;
        line.PeerSends((PppProtocol.Lcp, [(byte)ControlCode.TermReq, peerId, 0x00, 0x04]),
            (PppProtocol.Lcp, [(byte)ControlCode.TermAck, ourTermReq[1], 0x00, 0x04]));

        // RFC 1661 §4.1 (RTR in Closing: sta): our Terminate-Ack for the peer's request reaches the port.
        var termAck = line.NextFrame(PppProtocol.Lcp, ControlCode.TermAck, acknowledge: false);
        Assert.Equal(peerId, termAck[1]);

        // LCP has finished and the supervisor has entered Disconnect; the write is not acknowledged
        // yet, so the port must not have been told to close.
        phases.FishForMessage<LinkProtocol.PhaseChanged>(p => p.Phase == LinkProtocol.Phase.Disconnect, TimeSpan.FromSeconds(5));
        Sync(link);
        Sync(await Sys.ActorSelection(link.Path / "port").ResolveOne(TimeSpan.FromSeconds(3)));
        Assert.False(port.HasMessages, "the port was told to close before our Terminate-Ack was written");

        // The port writes it: now the line closes and the attempt ends.
        line.AcknowledgeLast();
        port.FishForMessage(m => m is Port.Close, TimeSpan.FromSeconds(5));
        link.Tell(Port.Closed.Instance);
        var ended = phases.FishForMessage<LinkProtocol.Ended>(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal("user-request", ended.Reason.Code);
    }
}
