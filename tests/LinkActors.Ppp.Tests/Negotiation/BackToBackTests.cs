using System.Net;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Ppp.Tests.Negotiation;

public class BackToBackTests
{
    private static readonly IPAddress ServerAddress = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress ClientAddress = IPAddress.Parse("192.0.2.2");

    private static LinkNegotiationSettings ClientSettings => new() { Name = "client" };

    private static LinkNegotiationSettings ServerSettings => new()
    {
        Name = "server",
        Ipcp = new IpcpSettings { LocalAddress = ServerAddress, RemoteAddress = ClientAddress },
    };

    private static BackToBack Negotiate(LinkNegotiationSettings client, LinkNegotiationSettings server, int seed = 1) =>
        new BackToBack(client, server, seed).Start().Run();

    private static void AssertNetworkUp(BackToBack link, bool ipv6 = false)
    {
        foreach (var side in new[] { link.Client, link.Server })
        {
            Assert.Equal(LinkPhase.Network, side.Phase);
            Assert.True(side.IsUp(PppProtocol.Lcp));
            Assert.True(side.IsUp(PppProtocol.Ipcp));
            Assert.Equal(ipv6, side.IsUp(PppProtocol.Ipv6cp));
            Assert.True(side.AcceptsData(PppProtocol.Ipv4));
            Assert.Null(side.FailureReason);
        }
    }

    [Fact]
    public void Negotiate_Defaults_ReachNetworkWithPppdDefaults()
    {
        var link = Negotiate(ClientSettings with { Ipcp = new IpcpSettings { LocalAddress = ClientAddress } },
            ServerSettings with { Ipcp = new IpcpSettings { LocalAddress = ServerAddress } });

        AssertNetworkUp(link);
        foreach (var side in new[] { link.Client, link.Server })
        {
            Assert.Equal(1500, side.Lcp.PeerMru);
            Assert.Equal(1500, side.Lcp.LocalMru);
            Assert.Equal(0u, side.Lcp.PeerAccm);
            Assert.Equal(0u, side.Lcp.OurAccm);
            Assert.True(side.Lcp.PeerAcceptsPfc && side.Lcp.PeerAcceptsAcfc && side.Lcp.WeAcceptPfc && side.Lcp.WeAcceptAcfc);
            Assert.NotEqual(0u, side.Lcp.LocalMagic);
            Assert.Equal(AuthMethod.None, side.Lcp.AuthWeMustDo);
            Assert.Equal(AuthMethod.None, side.Lcp.AuthPeerMustDo);
        }
        Assert.Equal(link.Client.Lcp.LocalMagic, link.Server.Lcp.PeerMagic);
        Assert.Equal(link.Server.Lcp.LocalMagic, link.Client.Lcp.PeerMagic);
        Assert.Equal(ClientAddress, link.Client.Ipcp!.LocalAddress);
        Assert.Equal(ServerAddress, link.Client.Ipcp.RemoteAddress);
        Assert.Equal(ServerAddress, link.Server.Ipcp!.LocalAddress);
        Assert.Equal(ClientAddress, link.Server.Ipcp.RemoteAddress);
        Assert.Equal(
            [LinkPhase.Establish, LinkPhase.Authenticate, LinkPhase.Network],
            link.SeenBy<PhaseChanged>(BackToBack.ClientSide).Select(p => p.Phase));
    }

    [Fact]
    public void Negotiate_ServerNaksOurAddress_ClientLearnsAssignedAddress()
    {
        var link = Negotiate(ClientSettings, ServerSettings);

        AssertNetworkUp(link);
        Assert.Equal(ClientAddress, link.Client.Ipcp!.LocalAddress);
        Assert.Equal(ServerAddress, link.Client.Ipcp.RemoteAddress);
        Assert.Equal(ClientAddress, link.Server.Ipcp!.RemoteAddress);
    }

    [Fact]
    public void Negotiate_Pap_ServerLearnsPeerNameAndBothReachNetwork()
    {
        var secrets = new SecretsTable([new SecretEntry("modem", "*", "pa55", AllowedAddresses.Parse(["192.0.2.0/24"]))]);
        var link = Negotiate(
            ClientSettings with { User = "modem", Password = "pa55" },
            ServerSettings with { Lcp = new LcpSettings { RequirePap = true }, Secrets = secrets });

        AssertNetworkUp(link);
        Assert.Equal(AuthMethod.Pap, link.Client.Lcp.AuthWeMustDo);
        Assert.Equal(AuthMethod.Pap, link.Server.Lcp.AuthPeerMustDo);
        Assert.Equal("modem", link.Server.PeerName);
        Assert.Contains(link.SeenBy<Authenticated>(BackToBack.ClientSide), a => a.Role == AuthRole.Client);
        Assert.Contains(link.SeenBy<Authenticated>(BackToBack.ServerSide), a => a.Role == AuthRole.Server && a.PeerName == "modem");
    }

    [Fact]
    public void Negotiate_Chap_ClientFindsSecretByServerName()
    {
        var clientSecrets = new SecretsTable([new SecretEntry("modem", "other", "nope"), new SecretEntry("modem", "server", "s3cret")]);
        var serverSecrets = new SecretsTable([new SecretEntry("modem", "server", "s3cret")]);
        var link = Negotiate(
            ClientSettings with { Name = "modem", Secrets = clientSecrets },
            ServerSettings with { Lcp = new LcpSettings { RequireChap = true }, Secrets = serverSecrets });

        AssertNetworkUp(link);
        Assert.Equal(AuthMethod.ChapMd5, link.Client.Lcp.AuthWeMustDo);
        Assert.Equal("modem", link.Server.PeerName);
    }

    [Fact]
    public void Negotiate_AllCompressionRefused_NoSideCompresses()
    {
        var link = Negotiate(ClientSettings with { Lcp = new LcpSettings { NoPcomp = true, NoAccomp = true } }, ServerSettings);

        AssertNetworkUp(link);
        foreach (var side in new[] { link.Client, link.Server })
        {
            Assert.False(side.Lcp.PeerAcceptsPfc);
            Assert.False(side.Lcp.PeerAcceptsAcfc);
            Assert.False(side.Lcp.WeAcceptPfc);
            Assert.False(side.Lcp.WeAcceptAcfc);
        }
    }

    [Fact]
    public void Negotiate_UsePeerDns_ClientGetsServersDns()
    {
        var link = Negotiate(
            ClientSettings with { Ipcp = new IpcpSettings { UsePeerDns = true } },
            ServerSettings with
            {
                Ipcp = ServerSettings.Ipcp! with { PrimaryDns = IPAddress.Parse("198.51.100.53"), SecondaryDns = IPAddress.Parse("198.51.100.54") },
            });

        AssertNetworkUp(link);
        Assert.Equal(IPAddress.Parse("198.51.100.53"), link.Client.Ipcp!.Dns1);
        Assert.Equal(IPAddress.Parse("198.51.100.54"), link.Client.Ipcp.Dns2);
        Assert.Null(link.Server.Ipcp!.Dns1);
    }

    [Fact]
    public void Negotiate_Ipv6cpOn_InterfaceIdentifiersDifferAndMatchAcross()
    {
        var link = Negotiate(ClientSettings with { Ipv6cp = new Ipv6cpSettings() }, ServerSettings with { Ipv6cp = new Ipv6cpSettings() });

        AssertNetworkUp(link, ipv6: true);
        Assert.NotEqual(0UL, link.Client.Ipv6cp!.LocalInterfaceId);
        Assert.NotEqual(link.Client.Ipv6cp.LocalInterfaceId, link.Client.Ipv6cp.PeerInterfaceId);
        Assert.Equal(link.Client.Ipv6cp.LocalInterfaceId, link.Server.Ipv6cp!.PeerInterfaceId);
        Assert.Equal(link.Server.Ipv6cp.LocalInterfaceId, link.Client.Ipv6cp.PeerInterfaceId);
        Assert.True(link.Client.AcceptsData(PppProtocol.Ipv6));
    }

    [Fact]
    public void Negotiate_Ipv6cpSameIdentifierBothSides_OneSideIsNakkedToAnother()
    {
        var same = new Ipv6cpSettings { LocalInterfaceId = 0x0200_00FF_FE00_0001 };
        var link = Negotiate(ClientSettings with { Ipv6cp = same }, ServerSettings with { Ipv6cp = same with { AcceptLocal = true } });

        AssertNetworkUp(link, ipv6: true);
        Assert.NotEqual(link.Client.Ipv6cp!.LocalInterfaceId, link.Server.Ipv6cp!.LocalInterfaceId);
        Assert.Equal(link.Client.Ipv6cp.LocalInterfaceId, link.Server.Ipv6cp.PeerInterfaceId);
    }

    [Fact]
    public void Negotiate_MruMismatch_BothSidesUseTheSmallerMtu()
    {
        var link = Negotiate(ClientSettings, ServerSettings with { Lcp = new LcpSettings { Mru = 296 } });

        AssertNetworkUp(link);
        Assert.Equal(296, link.Client.Lcp.PeerMru);
        Assert.Equal(1500, link.Client.Lcp.LocalMru);
        Assert.Equal(296, link.Server.Lcp.LocalMru);
        Assert.Equal(296, link.Client.Lcp.InterfaceMtu);
        Assert.Equal(296, link.Server.Lcp.InterfaceMtu);
        Assert.Equal(296, link.Client.LcpEngine.PeerMru);
    }

    [Fact]
    public void Negotiate_PeerRejectsMagic_NoMagicNumbersInForce()
    {
        var link = Negotiate(ClientSettings, ServerSettings with { Lcp = new LcpSettings { NoMagic = true } });

        AssertNetworkUp(link);
        Assert.Equal(0u, link.Client.Lcp.LocalMagic);
        Assert.Equal(0u, link.Client.Lcp.PeerMagic);
        Assert.Equal(0u, link.Server.Lcp.PeerMagic);
    }

    [Fact]
    public void Negotiate_WrongPapPassword_FailsOnBothSidesWithReason()
    {
        var secrets = new SecretsTable([new SecretEntry("modem", "*", "right")]);
        var link = Negotiate(
            ClientSettings with { User = "modem", Password = "wrong" },
            ServerSettings with { Lcp = new LcpSettings { RequirePap = true }, Secrets = secrets });

        Assert.NotEqual(LinkPhase.Network, link.Client.Phase);
        Assert.Equal("peer 'modem' gave a wrong PAP password", link.Server.FailureReason);
        Assert.Equal("PAP authentication failed: Login incorrect", link.Client.FailureReason);
        Assert.Single(link.SeenBy<LinkFinished>(BackToBack.ServerSide));
        Assert.DoesNotContain(link.SeenBy<ProtocolUp>(BackToBack.ClientSide), p => p.Protocol == PppProtocol.Ipcp);
    }

    [Fact]
    public void Negotiate_WrongChapSecret_FailsOnBothSidesWithReason()
    {
        var link = Negotiate(
            ClientSettings with { Name = "modem", Password = "wrong" },
            ServerSettings with
            {
                Lcp = new LcpSettings { RequireChap = true },
                Secrets = new SecretsTable([new SecretEntry("modem", "server", "right")]),
            });

        Assert.NotEqual(LinkPhase.Network, link.Server.Phase);
        Assert.Equal("peer 'modem' failed CHAP authentication (wrong secret)", link.Server.FailureReason);
        Assert.Equal("CHAP authentication failed: Access denied", link.Client.FailureReason);
        Assert.Contains(link.SeenBy<AuthenticationFailed>(BackToBack.ServerSide), f => f.Role == AuthRole.Server);
    }

    [Fact]
    public void Negotiate_ClientHasNoSecret_RefusesToAuthenticateAndLinkFails()
    {
        var link = Negotiate(ClientSettings, ServerSettings with { Lcp = new LcpSettings { RequirePap = true } });

        Assert.NotEqual(LinkPhase.Network, link.Server.Phase);
        Assert.Equal("peer refused to authenticate", link.Server.FailureReason);
    }
}
