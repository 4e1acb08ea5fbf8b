using System.Net;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Protocols;
using static LinkActors.Ppp.Tests.Protocols.PolicyTestHelpers;

namespace LinkActors.Ppp.Tests.Protocols;

public class IpcpPolicyTests
{
    private static IpcpPolicy Server(IpcpSettings? extra = null) => new(extra ?? new IpcpSettings
    {
        LocalAddress = IPAddress.Parse("192.0.2.1"),
        RemoteAddress = IPAddress.Parse("192.0.2.2"),
    });

    [Fact]
    public void WriteRequest_NoLocalAddressWithUsePeerDns_AsksZerosForAll()
    {
        var policy = new IpcpPolicy(new IpcpSettings { UsePeerDns = true });

        Assert.Equal(
            [
                0x03, 0x06, 0, 0, 0, 0, // IP-Address 0.0.0.0
                0x81, 0x06, 0, 0, 0, 0, // Primary-DNS 0.0.0.0
                0x83, 0x06, 0, 0, 0, 0, // Secondary-DNS 0.0.0.0
            ],
            Request(policy));
    }

    [Theory]
    [InlineData(127, 0, 0, 1)]
    [InlineData(224, 0, 0, 5)]
    [InlineData(255, 255, 255, 255)]
    [InlineData(240, 0, 0, 1)]
    [InlineData(0, 0, 0, 0)]
    public void Judge_PeerRequestsUnusableAddress_IsNakkedWithAssigned(byte a, byte b, byte c, byte d)
    {
        var (verdict, reply) = Judge(Server(), [0x03, 0x06, a, b, c, d]);

        Assert.Equal(RequestVerdict.Nak, verdict);
        Assert.Equal([0x03, 0x06, 192, 0, 2, 2], reply);
    }

    [Fact]
    public void Judge_PeerRequestsLoopbackAddressWithNothingToAssign_IsRejected()
    {
        var (verdict, _) = Judge(new IpcpPolicy(new IpcpSettings()), [0x03, 0x06, 127, 0, 0, 1]);

        Assert.Equal(RequestVerdict.Reject, verdict);
    }

    [Fact]
    public void Judge_PeerRequestsOtherAddressWhenWeInsist_IsNakked()
    {
        Assert.Equal(RequestVerdict.Nak, Judge(Server(), [0x03, 0x06, 192, 0, 2, 77]).Verdict);
    }

    [Fact]
    public void Judge_PeerRequestsOtherAddressWithAcceptRemote_IsAcked()
    {
        var policy = Server(new IpcpSettings { RemoteAddress = IPAddress.Parse("192.0.2.2"), IpcpAcceptRemote = true });

        Assert.Equal(RequestVerdict.Ack, Judge(policy, [0x03, 0x06, 192, 0, 2, 77]).Verdict);
        Assert.Equal(IPAddress.Parse("192.0.2.77"), policy.RemoteAddress);
    }

    [Fact]
    public void Judge_VjCompression_IsRejectedByteExact()
    {
        var (verdict, reply) = Judge(Server(), [0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01, 0x03, 0x06, 192, 0, 2, 2]);

        Assert.Equal(RequestVerdict.Reject, verdict);
        Assert.Equal([0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01], reply);
    }

    [Fact]
    public void Judge_DnsRequest_NakkedWithOursOrRejectedWithoutServer()
    {
        var withDns = Server(new IpcpSettings { RemoteAddress = IPAddress.Parse("192.0.2.2"), PrimaryDns = IPAddress.Parse("198.51.100.53") });

        var asked = Judge(withDns, [0x03, 0x06, 192, 0, 2, 2, 0x81, 0x06, 0, 0, 0, 0]);
        var noServer = Judge(withDns, [0x03, 0x06, 192, 0, 2, 2, 0x83, 0x06, 0, 0, 0, 0]);

        Assert.Equal(RequestVerdict.Nak, asked.Verdict);
        Assert.Equal([0x81, 0x06, 198, 51, 100, 53], asked.Reply);
        Assert.Equal(RequestVerdict.Reject, noServer.Verdict);
        Assert.Equal([0x83, 0x06, 0, 0, 0, 0], noServer.Reply);
    }

    [Fact]
    public void Judge_PeerAsksNoAddress_IsToldOnceTheAssignedOne()
    {
        var policy = Server();

        var first = Judge(policy, []);

        Assert.Equal(RequestVerdict.Nak, first.Verdict);
        Assert.Equal([0x03, 0x06, 192, 0, 2, 2], first.Reply);
        Assert.Equal(RequestVerdict.Ack, Judge(policy, []).Verdict);
    }

    [Fact]
    public void ApplyNak_UnusableAddress_IsIgnored()
    {
        var policy = new IpcpPolicy(new IpcpSettings());

        policy.ApplyNak(Options(0x03, 0x06, 127, 0, 0, 1));

        Assert.Equal([0x03, 0x06, 0, 0, 0, 0], Request(policy));
    }

    [Fact]
    public void ApplyNak_ConfiguredLocalWithoutAcceptLocal_KeepsOurs()
    {
        var policy = new IpcpPolicy(new IpcpSettings { LocalAddress = IPAddress.Parse("192.0.2.5") });

        policy.ApplyNak(Options(0x03, 0x06, 192, 0, 2, 9));

        Assert.Equal([0x03, 0x06, 192, 0, 2, 5], Request(policy));
    }

    [Fact]
    public void CheckUp_PeerRejectedOurConfiguredAddress_Fails()
    {
        var policy = new IpcpPolicy(new IpcpSettings { LocalAddress = IPAddress.Parse("192.0.2.5") });
        policy.ApplyReject(Options(0x03, 0x06, 192, 0, 2, 5));
        policy.ApplyAck([]);

        Assert.Equal("peer refused to agree to our IP address", policy.CheckUp());
    }

    [Fact]
    public void CheckUp_NoAddressLearned_Fails()
    {
        var policy = new IpcpPolicy(new IpcpSettings());
        policy.ApplyReject(Options(0x03, 0x06, 0, 0, 0, 0));
        policy.ApplyAck([]);

        Assert.Equal("could not determine local IP address", policy.CheckUp());
    }

    [Fact]
    public void CheckUp_PeerAddressNotAllowedBySecret_Fails()
    {
        var policy = new IpcpPolicy(new IpcpSettings { LocalAddress = IPAddress.Parse("192.0.2.1"), IpcpAcceptRemote = true });
        policy.AuthorizePeer(AllowedAddresses.Parse(["192.0.2.0/28"]));
        Judge(policy, [0x03, 0x06, 192, 0, 2, 99]);
        policy.ApplyAck(Options(0x03, 0x06, 192, 0, 2, 1));

        Assert.Equal("peer is not authorized to use remote address 192.0.2.99", policy.CheckUp());
    }

    [Fact]
    public void AuthorizePeer_SingleAddress_IsAssigned()
    {
        var policy = new IpcpPolicy(new IpcpSettings { LocalAddress = IPAddress.Parse("192.0.2.1") });
        policy.AuthorizePeer(AllowedAddresses.Parse(["192.0.2.40"]));
        policy.Reset();

        var (verdict, reply) = Judge(policy, [0x03, 0x06, 0, 0, 0, 0]);

        Assert.Equal(RequestVerdict.Nak, verdict);
        Assert.Equal([0x03, 0x06, 192, 0, 2, 40], reply);
    }

    [Fact]
    public void RemoteAddress_PeerGaveNone_IsPppdDefaultOrNoneWithNoRemoteIp()
    {
        Assert.Equal(IPAddress.Parse("10.64.64.64"), new IpcpPolicy(new IpcpSettings()).RemoteAddress);
        Assert.Null(new IpcpPolicy(new IpcpSettings { NoRemoteIp = true }).RemoteAddress);
    }
}
