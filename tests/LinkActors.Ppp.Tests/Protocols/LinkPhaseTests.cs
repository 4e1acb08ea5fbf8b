using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Ppp.Tests.Protocols;

public class LinkPhaseTests
{
    [Theory]
    [InlineData(LinkPhase.Dead, PppProtocol.Lcp, true, FrameDisposition.Discard)]
    [InlineData(LinkPhase.Establish, PppProtocol.Lcp, true, FrameDisposition.Deliver)]
    [InlineData(LinkPhase.Establish, PppProtocol.Pap, true, FrameDisposition.Discard)]
    [InlineData(LinkPhase.Establish, 0x1234, false, FrameDisposition.Discard)]
    [InlineData(LinkPhase.Authenticate, PppProtocol.Chap, true, FrameDisposition.Deliver)]
    [InlineData(LinkPhase.Authenticate, PppProtocol.Eap, false, FrameDisposition.ProtocolReject)]
    [InlineData(LinkPhase.Authenticate, PppProtocol.Ipcp, true, FrameDisposition.Discard)]
    [InlineData(LinkPhase.Authenticate, PppProtocol.Ipv4, true, FrameDisposition.Discard)]
    [InlineData(LinkPhase.Network, PppProtocol.Ipcp, true, FrameDisposition.Deliver)]
    [InlineData(LinkPhase.Network, PppProtocol.Chap, true, FrameDisposition.Deliver)]
    [InlineData(LinkPhase.Network, PppProtocol.Ccp, false, FrameDisposition.ProtocolReject)]
    [InlineData(LinkPhase.Network, PppProtocol.VjCompressedTcp, false, FrameDisposition.ProtocolReject)]
    [InlineData(LinkPhase.Terminate, PppProtocol.Ipcp, true, FrameDisposition.Discard)]
    [InlineData(LinkPhase.Terminate, PppProtocol.Lcp, true, FrameDisposition.Deliver)]
    public void Classify_FollowsRfc1661Phases(LinkPhase phase, ushort protocol, bool supported, FrameDisposition expected)
    {
        Assert.Equal(expected, LinkPhaseRules.Classify(phase, protocol, supported));
    }

    [Fact]
    public void NetworkControlProtocolFor_DataProtocol_IsItsNcp()
    {
        Assert.Equal(PppProtocol.Ipcp, LinkPhaseRules.NetworkControlProtocolFor(PppProtocol.Ipv4));
        Assert.Equal(PppProtocol.Ipv6cp, LinkPhaseRules.NetworkControlProtocolFor(PppProtocol.Ipv6));
        Assert.Null(LinkPhaseRules.NetworkControlProtocolFor(PppProtocol.Lcp));
    }
}
