using System.Buffers.Binary;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Tests.Automaton;

/// <summary>LCP's own codes (RFC 1661 §5.7-5.9) and the engine's other observable edges.</summary>
public class LcpCodesTests
{
    private const uint OurMagic = 0x1111_1111;
    private const uint TheirMagic = 0x2222_2222;

    private static EngineDriver Opened(IControlPolicy? policy = null)
    {
        var driver = new EngineDriver(policy ?? new LcpWidthPolicy());
        driver.Up();
        driver.Open();
        driver.Receive(driver.AckOfLastRequest());
        driver.Receive(Craft.ConfReq(0x01, 300));
        Assert.Equal(ControlState.Opened, driver.State);
        return driver;
    }

    [Fact]
    public void Receive_EchoRequestInOpened_RepliesWithOurMagicAndTheirData()
    {
        var driver = Opened();

        driver.Receive(Craft.Packet(ControlCode.EchoReq, 0x44, Craft.Magic(TheirMagic, 0xAB, 0xCD)));

        var reply = driver.SentSingle(ControlCode.EchoRep);
        Assert.Equal(0x44, reply.Identifier);
        Assert.Equal(Craft.Magic(OurMagic, 0xAB, 0xCD), reply.Data.ToArray());
        Assert.Equal(ControlState.Opened, driver.State);
    }

    [Fact]
    public void Receive_EchoRequestBeforeOpened_IsIgnored()
    {
        var driver = new EngineDriver(new LcpWidthPolicy());
        driver.Up();
        driver.Open();

        var outputs = driver.Receive(Craft.Packet(ControlCode.EchoReq, 0x44, Craft.Magic(TheirMagic)));

        Assert.Empty(outputs);
        Assert.Equal(ControlState.ReqSent, driver.State);
    }

    [Fact]
    public void Receive_EchoReplyInOpened_IsReported()
    {
        var driver = Opened();

        driver.Receive(Craft.Packet(ControlCode.EchoRep, 0x07, Craft.Magic(TheirMagic)));

        Assert.Equal([new EchoReplyReceived(0x07, TheirMagic)], driver.Last);
    }

    [Theory]
    [InlineData(ControlCode.EchoReq)]
    [InlineData(ControlCode.EchoRep)]
    public void Receive_EchoCarryingOurOwnMagic_SuspectsLoopback(ControlCode code)
    {
        var driver = Opened();

        driver.Receive(Craft.Packet(code, 0x07, Craft.Magic(OurMagic)));

        Assert.Equal([new LoopbackSuspected(OurMagic)], driver.Last);   // and no Echo-Reply to ourselves
    }

    [Fact]
    public void Receive_EchoWithoutMagic_IsDiscarded()
    {
        var driver = Opened();

        driver.Receive(Craft.Packet(ControlCode.EchoReq, 0x07, 1, 2));

        Assert.Empty(driver.Last);
        Assert.Equal(1, driver.Engine.Counters.DiscardedPackets);
    }

    [Fact]
    public void Receive_DiscardRequest_DoesNothing()
    {
        var driver = Opened();

        driver.Receive(Craft.Packet(ControlCode.DiscReq, 0x07, Craft.Magic(TheirMagic, 9, 9)));

        Assert.Empty(driver.Last);
        Assert.Equal(ControlEvent.Rxr, driver.Engine.LastStep!.Value.Event);
    }

    [Fact]
    public void Receive_ProtocolRejectOfIpcp_IsReportedAndLcpStaysOpened()
    {
        var driver = Opened();

        driver.Receive(Craft.Packet(ControlCode.ProtRej, 0x08, Craft.Concat(Craft.Be16(PppProtocol.Ipcp), [1, 2, 3])));

        Assert.Equal([new ProtocolRejectReceived(PppProtocol.Ipcp)], driver.Last);
        Assert.Equal(ControlState.Opened, driver.State);   // RXJ+: 9
    }

    [Fact]
    public void Receive_ProtocolRejectOfLcp_TerminatesTheLink()
    {
        var driver = Opened();

        driver.Receive(Craft.Packet(ControlCode.ProtRej, 0x08, Craft.Be16(PppProtocol.Lcp)));

        Assert.Equal(ControlState.Stopping, driver.State);   // RXJ-: tld,irc,str/5
        Assert.Contains(new ThisLayerDown(), driver.Last);
        Assert.Single(driver.SentNow, p => p.Code == ControlCode.TermReq);
    }

    [Fact]
    public void Receive_ProtocolRejectBeforeOpened_IsDiscarded()
    {
        var driver = new EngineDriver(new LcpWidthPolicy());
        driver.Up();
        driver.Open();

        driver.Receive(Craft.Packet(ControlCode.ProtRej, 0x08, Craft.Be16(PppProtocol.Ipcp)));

        Assert.Empty(driver.Last);
        Assert.Equal(1, driver.Engine.Counters.DiscardedPackets);
    }

    [Fact]
    public void SendEchoRequest_InOpened_CarriesOurMagicAndCountsItsOwnIdentifiers()
    {
        var driver = Opened();

        driver.Do(e => e.SendEchoRequest([5, 6]));
        var first = driver.SentSingle(ControlCode.EchoReq);
        driver.Do(e => e.SendEchoRequest([]));
        var second = driver.SentSingle(ControlCode.EchoReq);

        Assert.Equal(Craft.Magic(OurMagic, 5, 6), first.Data.ToArray());
        Assert.Equal(first.Identifier + 1, second.Identifier);
        Assert.Equal(1, first.Identifier);
    }

    [Fact]
    public void SendEchoRequest_NotOpened_SendsNothing()
    {
        var driver = new EngineDriver(new LcpWidthPolicy());
        driver.Up();

        Assert.Empty(driver.Do(e => e.SendEchoRequest([1])));
    }

    [Fact]
    public void SendProtocolReject_TruncatesToMaxLength()
    {
        var driver = Opened();

        driver.Do(e => e.SendProtocolReject(0x0057, new byte[100], maxLength: 30));

        var reject = driver.SentSingle(ControlCode.ProtRej);
        Assert.Equal(30, reject.Length);
        Assert.Equal(0x0057, BinaryPrimitives.ReadUInt16BigEndian(reject.Data.Span));
    }

    [Fact]
    public void SendEchoRequest_NotLcp_Throws()
    {
        var engine = new ControlEngine(new WidthPolicy("IPCP"));

        Assert.Throws<InvalidOperationException>(() => engine.SendEchoRequest([]));
        Assert.Throws<InvalidOperationException>(() => engine.SendProtocolReject(0x0021, [], 100));
    }

    [Fact]
    public void ProtocolRejected_NetworkProtocolInOpened_TerminatesIt()
    {
        var driver = Opened(new WidthPolicy("IPCP"));

        driver.Do(e => e.ProtocolRejected());

        Assert.Equal(ControlState.Stopping, driver.State);   // RXJ-: tld,irc,str/5
        driver.Timeout();
        driver.Timeout();
        Assert.Equal(ControlState.Stopped, driver.State);
        var finished = Assert.Single(driver.Last.OfType<ThisLayerFinished>());
        Assert.Equal("IPCP: rejected by the peer (Protocol-Reject)", finished.Reason);
    }

    [Fact]
    public void Trace_SeesEveryPacketBothWays()
    {
        var seen = new List<(bool Sent, ushort Protocol, byte Code)>();
        var driver = new EngineDriver(new LcpWidthPolicy());
        driver.Engine.Trace = (sent, protocol, packet) => seen.Add((sent, protocol, packet.Length > 0 ? packet[0] : (byte)0));

        driver.Up();
        driver.Open();
        driver.Receive(Craft.ConfReq(0x01, 300));
        driver.Receive([1, 2]);

        Assert.Equal(
            [(true, PppProtocol.Lcp, (byte)1), (false, PppProtocol.Lcp, (byte)1), (true, PppProtocol.Lcp, (byte)2), (false, PppProtocol.Lcp, (byte)1)],
            seen);
    }

    [Fact]
    public void Open_NewNegotiation_ResetsThePolicyOnce()
    {
        var policy = new LcpWidthPolicy();
        var driver = new EngineDriver(policy);

        driver.Up();
        driver.Open();
        driver.Timeout();                              // a retransmission is not a new negotiation
        driver.Receive(Craft.ConfReq(0x01, 300));

        Assert.Equal(1, policy.Resets);
        Assert.Equal((ushort)300, policy.PeerWidth);
    }

    [Fact]
    public void Receive_ConfReqInStopped_JudgesAfterReset()
    {
        var policy = new LcpWidthPolicy();
        var driver = new EngineDriver(policy, new ControlEngineSettings { Silent = true });
        driver.Up();
        driver.Open();

        driver.Receive(Craft.ConfReq(0x01, 300));   // irc,scr,sca/8: Reset must come before the judgement

        Assert.Equal((ushort)300, policy.PeerWidth);
        Assert.Equal(1, policy.Resets);
    }
}
