using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Protocols;
using LinkActors.Ppp.Tests.Negotiation;
using static LinkActors.Ppp.Tests.Protocols.PolicyTestHelpers;

namespace LinkActors.Ppp.Tests.Protocols;

public class LcpPolicyTests
{
    private static LcpPolicy NewPolicy(LcpSettings? settings = null, IRandomSource? random = null) =>
        new(settings ?? new LcpSettings(), random ?? new TestRandom(3));

    [Fact]
    public void WriteRequest_Defaults_AsyncmapMagicPcompAccompButNoMru1500()
    {
        var policy = NewPolicy(random: new ScriptedRandom(0x12, 0x34, 0x56, 0x78));

        Assert.Equal(
            [
                0x02, 0x06, 0x00, 0x00, 0x00, 0x00, // asyncmap 0
                0x05, 0x06, 0x12, 0x34, 0x56, 0x78, // magic
                0x07, 0x02, // pcomp
                0x08, 0x02, // accomp
            ],
            Request(policy));
    }

    [Fact]
    public void WriteRequest_RequireChapAndPap_AsksChapMd5First()
    {
        var policy = NewPolicy(new LcpSettings { RequirePap = true, RequireChap = true, NoMagic = true, DefaultAsyncmap = true, NoPcomp = true, NoAccomp = true });

        Assert.Equal([0x03, 0x05, 0xC2, 0x23, 0x05], Request(policy));
    }

    [Fact]
    public void Judge_PeerMruBelow128_IsNakkedWith128()
    {
        var (verdict, reply) = Judge(NewPolicy(), [0x01, 0x04, 0x00, 0x40]);

        Assert.Equal(RequestVerdict.Nak, verdict);
        Assert.Equal([0x01, 0x04, 0x00, 0x80], reply);
    }

    [Fact]
    public void Judge_OptionLengthThatLies_IsRejectedByteExact()
    {
        // MRU with Length 3 (one data octet), Magic-Number with Length 4.
        var (verdict, reply) = Judge(NewPolicy(), [0x01, 0x03, 0x05, 0x05, 0x04, 0x01, 0x02]);

        Assert.Equal(RequestVerdict.Reject, verdict);
        Assert.Equal([0x01, 0x03, 0x05, 0x05, 0x04, 0x01, 0x02], reply);
    }

    [Fact]
    public void Judge_UnknownOptions_AreRejectedByteExactAndNaksDropped()
    {
        // MRU 64 (would be Nak'd), Callback (13), an unknown type 99.
        var (verdict, reply) = Judge(NewPolicy(), [0x01, 0x04, 0x00, 0x40, 0x0D, 0x03, 0x06, 0x63, 0x04, 0xAB, 0xCD]);

        Assert.Equal(RequestVerdict.Reject, verdict);
        Assert.Equal([0x0D, 0x03, 0x06, 0x63, 0x04, 0xAB, 0xCD], reply);
    }

    [Fact]
    public void Judge_AcceptableRequest_IsAckedAndBecomesPeerSide()
    {
        var policy = NewPolicy();

        var (verdict, _) = Judge(policy, [0x01, 0x04, 0x05, 0x00, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x05, 0x06, 0xCA, 0xFE, 0xBA, 0xBE, 0x07, 0x02]);

        Assert.Equal(RequestVerdict.Ack, verdict);
        Assert.Equal(0x0500, policy.PeerMru);
        Assert.Equal(0x000A0000u, policy.PeerAccm);
        Assert.Equal(0xCAFEBABEu, policy.PeerMagic);
        Assert.True(policy.PeerAcceptsPfc);
        Assert.False(policy.PeerAcceptsAcfc);
    }

    [Fact]
    public void Judge_PeerMagicEqualsOurs_IsNakkedWithAnotherMagic()
    {
        var policy = NewPolicy(random: new ScriptedRandom(0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22));

        var (verdict, reply) = Judge(policy, [0x05, 0x06, 0x11, 0x11, 0x11, 0x11]);

        Assert.Equal(RequestVerdict.Nak, verdict);
        Assert.Equal([0x05, 0x06, 0x22, 0x22, 0x22, 0x22], reply);
        Assert.Equal(1, policy.MagicCollisions);
    }

    [Fact]
    public void Judge_ZeroMagic_IsNakked()
    {
        Assert.Equal(RequestVerdict.Nak, Judge(NewPolicy(), [0x05, 0x06, 0, 0, 0, 0]).Verdict);
    }

    [Fact]
    public void LoopedBackLine_ReportsLoopbackAfterLoopbackFailCollisions()
    {
        var policy = NewPolicy(new LcpSettings { LoopbackFail = 4 });
        for (int round = 0; round < 2; round++)
        {
            Assert.False(policy.LoopbackDetected);
            // Our own request comes back to us, and so does our Nak of it.
            var (_, nak) = Judge(policy, Request(policy));
            policy.ApplyNak(Options(nak));
        }

        Assert.True(policy.LoopbackDetected);
    }

    [Fact]
    public void Judge_PeerRequestsPapWeRefuse_IsNakkedWithChapMd5()
    {
        var (verdict, reply) = Judge(NewPolicy(new LcpSettings { RefusePap = true }), [0x03, 0x04, 0xC0, 0x23]);

        Assert.Equal(RequestVerdict.Nak, verdict);
        Assert.Equal([0x03, 0x05, 0xC2, 0x23, 0x05], reply);
    }

    [Fact]
    public void Judge_PeerRequestsMsChap_IsNakkedWithChapMd5()
    {
        var (verdict, reply) = Judge(NewPolicy(), [0x03, 0x05, 0xC2, 0x23, 0x81]);

        Assert.Equal(RequestVerdict.Nak, verdict);
        Assert.Equal([0x03, 0x05, 0xC2, 0x23, 0x05], reply);
    }

    [Fact]
    public void Judge_PeerRequestsEapWeRefuseChap_IsNakkedWithPap()
    {
        var (_, reply) = Judge(NewPolicy(new LcpSettings { RefuseChap = true }), [0x03, 0x04, 0xC2, 0x27]);

        Assert.Equal([0x03, 0x04, 0xC0, 0x23], reply);
    }

    [Fact]
    public void Judge_AuthWhenWeRefuseAll_IsRejected()
    {
        var (verdict, reply) = Judge(NewPolicy(new LcpSettings { RefusePap = true, RefuseChap = true }), [0x03, 0x05, 0xC2, 0x23, 0x05]);

        Assert.Equal(RequestVerdict.Reject, verdict);
        Assert.Equal([0x03, 0x05, 0xC2, 0x23, 0x05], reply);
    }

    [Fact]
    public void Judge_ChapMd5_IsAckedAndWeMustDoChap()
    {
        var policy = NewPolicy();

        Assert.Equal(RequestVerdict.Ack, Judge(policy, [0x03, 0x05, 0xC2, 0x23, 0x05]).Verdict);
        Assert.Equal(AuthMethod.ChapMd5, policy.AuthWeMustDo);
    }

    [Fact]
    public void Judge_RejectInsteadOfNak_RejectsWhatWouldBeNakked()
    {
        var (verdict, reply) = Judge(NewPolicy(), [0x01, 0x04, 0x00, 0x40], rejectInsteadOfNak: true);

        Assert.Equal(RequestVerdict.Reject, verdict);
        Assert.Equal([0x01, 0x04, 0x00, 0x40], reply);
    }

    [Fact]
    public void Judge_CompressionWhenRefused_IsRejected()
    {
        var (verdict, reply) = Judge(NewPolicy(new LcpSettings { NoPcomp = true, NoAccomp = true }), [0x07, 0x02, 0x08, 0x02]);

        Assert.Equal(RequestVerdict.Reject, verdict);
        Assert.Equal([0x07, 0x02, 0x08, 0x02], reply);
    }

    [Theory]
    [InlineData(296, 296)]
    [InlineData(1400, 1400)]
    [InlineData(4000, 1200)]
    public void ApplyNak_Mru_TakenWhenNoMoreThanWantedOrDefault(int nakked, int expected)
    {
        var policy = NewPolicy(new LcpSettings { Mru = 1200 });

        policy.ApplyNak(Options(0x01, 0x04, (byte)(nakked >> 8), (byte)nakked));

        Assert.Equal([0x01, 0x04, (byte)(expected >> 8), (byte)expected], Request(policy).AsSpan(0, 4).ToArray());
    }

    [Fact]
    public void ApplyNak_Accm_AddsPeersCharacters()
    {
        var policy = NewPolicy(new LcpSettings { Asyncmap = 0x000A0000 });

        policy.ApplyNak(Options(0x02, 0x06, 0x00, 0x00, 0x00, 0x11));

        Assert.Equal([0x02, 0x06, 0x00, 0x0A, 0x00, 0x11], Request(policy).AsSpan(0, 6).ToArray());
    }

    [Fact]
    public void ApplyNak_ChapWithPapWhenWeAcceptPap_SwitchesToPap()
    {
        var policy = NewPolicy(new LcpSettings { RequireChap = true, RequirePap = true, NoMagic = true, DefaultAsyncmap = true, NoPcomp = true, NoAccomp = true });

        policy.ApplyNak(Options(0x03, 0x04, 0xC0, 0x23));

        Assert.Equal([0x03, 0x04, 0xC0, 0x23], Request(policy));
    }

    [Fact]
    public void ApplyReject_MagicAndAuth_StopsAskingAndCheckUpReportsRefusal()
    {
        var policy = NewPolicy(new LcpSettings { RequirePap = true });
        var request = Request(policy);

        policy.ApplyReject(Options([0x03, 0x04, 0xC0, 0x23, .. request[10..16]]));
        policy.ApplyAck(Options(Request(policy)));

        Assert.DoesNotContain((byte)0x05, Options(Request(policy)).Select(o => o.Type));
        Assert.Equal(0u, policy.LocalMagic);
        Assert.Equal("peer refused to authenticate", policy.CheckUp());
    }

    [Fact]
    public void Settings_MruOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewPolicy(new LcpSettings { Mru = 64 }));
    }
}
