using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Protocols;
using LinkActors.Ppp.Tests.Negotiation;
using static LinkActors.Ppp.Tests.Protocols.PolicyTestHelpers;

namespace LinkActors.Ppp.Tests.Protocols;

public class Ipv6cpPolicyTests
{
    private const ulong Ours = 0x0200_00FF_FE00_0001;

    private static Ipv6cpPolicy NewPolicy(Ipv6cpSettings? settings = null) =>
        new(settings ?? new Ipv6cpSettings { LocalInterfaceId = Ours }, new TestRandom(5));

    private static byte[] Identifier(ulong id) =>
        [0x01, 0x0A, .. BitConverter.GetBytes(id).Reverse()];

    [Fact]
    public void WriteRequest_ConfiguredIdentifier_IsSent()
    {
        Assert.Equal(Identifier(Ours), Request(NewPolicy()));
    }

    [Fact]
    public void Judge_ZeroIdentifier_IsNakkedWithNonZeroOne()
    {
        var (verdict, reply) = Judge(NewPolicy(), Identifier(0));

        Assert.Equal(RequestVerdict.Nak, verdict);
        var suggested = Options(reply).Single();
        Assert.Equal(1, suggested.Type);
        Assert.False(suggested.Data.Span.SequenceEqual(new byte[8]));
    }

    [Fact]
    public void Judge_IdentifierEqualToOurs_IsNakkedWithDifferentOne()
    {
        var (verdict, reply) = Judge(NewPolicy(), Identifier(Ours));

        Assert.Equal(RequestVerdict.Nak, verdict);
        Assert.NotEqual(Identifier(Ours), reply);
    }

    [Fact]
    public void Judge_DifferentIdentifier_IsAcked()
    {
        var policy = NewPolicy();

        Assert.Equal(RequestVerdict.Ack, Judge(policy, Identifier(0x1234)).Verdict);
        Assert.Equal(0x1234UL, policy.PeerInterfaceId);
    }

    [Fact]
    public void Judge_IdentifierWithWrongLength_IsRejected()
    {
        Assert.Equal(RequestVerdict.Reject, Judge(NewPolicy(), [0x01, 0x06, 1, 2, 3, 4]).Verdict);
    }

    [Fact]
    public void ApplyNak_RandomLocal_TakesPeersSuggestion()
    {
        var policy = NewPolicy(new Ipv6cpSettings());

        policy.ApplyNak(Options(Identifier(0x4242)));

        Assert.Equal(Identifier(0x4242), Request(policy));
    }

    [Fact]
    public void ApplyNak_ConfiguredLocalWithoutAcceptLocal_KeepsOurs()
    {
        var policy = NewPolicy();

        policy.ApplyNak(Options(Identifier(0x4242)));

        Assert.Equal(Identifier(Ours), Request(policy));
    }

    [Fact]
    public void CheckUp_PeerGaveNoIdentifier_Fails()
    {
        var policy = NewPolicy();
        policy.ApplyAck(Options(Identifier(Ours)));

        Assert.Equal("could not determine remote link-local address", policy.CheckUp());
    }
}
