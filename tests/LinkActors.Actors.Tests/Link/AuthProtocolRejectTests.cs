using Akka.Actor;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Actors.Tests.Support;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;
using Xunit.Abstractions;
using Port = LinkActors.Actors.Serial.SerialPort;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Actors.Tests.Link;

/// <summary>
/// A peer that Protocol-Rejects the authentication protocol we require (RFC 1661 §5.7): the
/// authentication cannot finish, so it fails with that reason and the link ends without reaching
/// Network (pppd's chap_protrej / upap_protrej), on the actor path the daemon runs.
/// </summary>
public sealed class AuthProtocolRejectTests : ManualTimeTestKit, IDisposable
{
    private readonly string _device = Path.GetTempFileName();

    public AuthProtocolRejectTests(ITestOutputHelper output) : base(output)
    {
    }

    void IDisposable.Dispose() => File.Delete(_device);

    [Theory]
    [InlineData("chap", PppProtocol.Chap, ChapCode.Challenge, "CHAP")]
    [InlineData("pap", PppProtocol.Pap, (byte)0, "PAP")]
    public void PeerProtocolRejectsTheRequiredMethod_AuthenticationFailsWithThatReason(string method, ushort protocol, byte firstCode, string name)
    {
        var settings = Assert.Single(Settings.Create(Settings.Parse($$"""
            linkactors.links.isp {
              device = "{{_device}}"
              role = server
              local = true
              network.mode = endpoint
              auth { require = {{method}}, secrets = [ { client = "*", server = "*", secret = s3cret, addresses = ["*"] } ] }
              ipcp { local = 192.0.2.1, remote = 192.0.2.2 }
              ipv6cp.enabled = false
            }
            """, "test"), "test"));
        var line = new ScriptedLine(CreateTestProbe());
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(LinkProtocol.PhaseChanged));
        Sys.EventStream.Subscribe(events, typeof(LinkProtocol.Ended));
        var link = Sys.ActorOf(LinkSupervisor.Props(settings, new LinkDependencies(line.PortProps, PacketEndpointActor.Props, CryptoRandomSource.Instance)), "link");

        line.OpenLcp();
        events.FishForMessage<LinkProtocol.PhaseChanged>(p => p.Phase == LinkProtocol.Phase.Authenticate, TimeSpan.FromSeconds(5));
        // CHAP: we challenge first (RFC 1994 §4.1); PAP: we wait for the peer's request.
        if (protocol == PppProtocol.Chap)
            line.NextFrame(protocol, firstCode);

        // RFC 1661 §5.7: Protocol-Reject, Rejected-Protocol then the rejected information.
        byte[] reject = [(byte)ControlCode.ProtRej, 0x07, 0x00, 0x06, (byte)(protocol >> 8), (byte)protocol];
        line.PeerSends((PppProtocol.Lcp, reject));

        // Authentication fails: LCP is closed with pppd's words, and ends once the peer acknowledges.
        var termReq = line.NextFrame(PppProtocol.Lcp, ControlCode.TermReq);
        line.PeerSends((PppProtocol.Lcp, [(byte)ControlCode.TermAck, termReq[1], 0x00, 0x04]));
        line.Port.FishForMessage(m => m is Port.Close, TimeSpan.FromSeconds(5));
        link.Tell(Port.Closed.Instance);
        var ended = events.FishForMessage<LinkProtocol.Ended>(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal("peer-auth-failed", ended.Reason.Code);
        Assert.Contains($"peer rejected {name} (Protocol-Reject)", ended.Reason.Message, StringComparison.Ordinal);
    }
}
