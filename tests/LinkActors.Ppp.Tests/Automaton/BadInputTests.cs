using CsCheck;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Tests.Automaton;

/// <summary>What a broken or hostile peer sends: the engine discards, rejects or bounds, and never throws.</summary>
public class BadInputTests
{
    private static EngineDriver InReqSent(WidthPolicy? policy = null, ControlEngineSettings? settings = null)
    {
        var driver = new EngineDriver(policy ?? new WidthPolicy(), settings);
        driver.Up();
        driver.Open();
        return driver;
    }

    public static TheoryData<string, byte[]> MalformedPackets => new()
    {
        { "empty", [] },
        { "shorter than the header", [0x01, 0x01, 0x00] },
        { "length below the header", [0x01, 0x01, 0x00, 0x03] },
        { "length beyond the octets received", [0x01, 0x01, 0x00, 0x0A, 0x01, 0x04, 0x00, 0x64] },
        { "Nak with a broken option", [0x03, 0x01, 0x00, 0x05, 0x01] },
        { "Code-Reject without a rejected packet", [0x07, 0x01, 0x00, 0x04] },
    };

    [Theory]
    [MemberData(nameof(MalformedPackets))]
    public void Receive_MalformedPacket_IsDiscardedSilently(string what, byte[] packet)
    {
        var driver = InReqSent();

        var outputs = driver.Receive(packet);

        Assert.True(outputs.Count == 0, what);
        Assert.Equal(ControlState.ReqSent, driver.State);
        Assert.Equal(1, driver.Engine.Counters.DiscardedPackets);
        Assert.Null(driver.Engine.LastStep);
    }

    public static TheoryData<string, byte[], byte[]> UnparseableOptions => new()
    {
        // Request data, then the Configure-Reject's data pppd sends for it (lcp_reqci: "Reject till end of packet").
        { "option length 0", [0x01, 0x00], [0x01, 0x00] },
        { "option length 1", [0x01, 0x01], [0x01, 0x01] },
        { "option running past the packet", [0x01, 0x06, 0x00, 0x64], [0x01, 0x06, 0x00, 0x64] },
        { "a lone type octet", [0x01], [0x01] },
        { "acceptable option, then one of length 0 and more", Craft.Concat(Craft.Width(300), [0x02, 0x00, 0x09, 0x09]), [0x02, 0x00, 0x09, 0x09] },
    };

    [Theory]
    [MemberData(nameof(UnparseableOptions))]
    public void Receive_ConfReqWithUnparseableOption_IsRejectedFromThatOptionToTheEnd(string what, byte[] options, byte[] rejected)
    {
        var driver = InReqSent();

        driver.Receive(Craft.Packet(ControlCode.ConfReq, 0x42, options));

        var reject = driver.SentSingle(ControlCode.ConfRej);
        Assert.Equal(0x42, reject.Identifier);
        Assert.True(rejected.AsSpan().SequenceEqual(reject.Data.Span), what);
        Assert.Equal(ControlState.ReqSent, driver.State);
        Assert.Equal(0, driver.Engine.Counters.DiscardedPackets);
        Assert.Equal(1, driver.Engine.Counters.MalformedOptionsRejected);
    }

    [Fact]
    public void Receive_ConfReqWithAnOptionToRejectAndAnUnparseableOne_RejectsBoth()
    {
        var driver = InReqSent();
        // An option the policy does not know (type 9), then a Length of 1.
        var unknown = new byte[] { 0x09, 0x03, 0x77 };

        driver.Receive(Craft.Packet(ControlCode.ConfReq, 0x43, Craft.Concat(Craft.Width(300), unknown, [0x05, 0x01])));

        var reject = driver.SentSingle(ControlCode.ConfRej);
        Assert.Equal(Craft.Concat(unknown, [0x05, 0x01]), reject.Data.ToArray());
    }

    [Fact]
    public void Receive_PaddingAfterLength_IsIgnored()
    {
        var driver = InReqSent();
        var padded = Craft.Concat(Craft.ConfReq(0x10, 300), [0xFF, 0xFF, 0xFF]);

        driver.Receive(padded);

        var ack = driver.SentSingle(ControlCode.ConfAck);
        Assert.Equal(Craft.Width(300), ack.Data.ToArray());
    }

    [Fact]
    public void Receive_UnknownCode_SendsCodeRejectWithThePacket()
    {
        var driver = InReqSent();
        var unknown = Craft.Packet(0x2A, 0x33, 1, 2, 3);

        driver.Receive(Craft.Concat(unknown, [0xEE]));   // padding is not part of the packet

        var reject = driver.SentSingle(ControlCode.CodeRej);
        Assert.Equal(unknown, reject.Data.ToArray());
        Assert.NotEqual(0x33, reject.Identifier);
        Assert.Equal(ControlState.ReqSent, driver.State);
        Assert.Equal(1, driver.Engine.Counters.CodeRejsSent);
    }

    [Fact]
    public void Receive_LongUnknownCode_CodeRejectIsTruncatedToPeerMru()
    {
        var driver = InReqSent();
        driver.Engine.PeerMru = 64;

        driver.Receive(Craft.Packet(0x2A, 0x33, new byte[200]));

        var reject = driver.SentSingle(ControlCode.CodeRej);
        Assert.Equal(64, reject.Length);   // RFC 1661 §5.6: truncated to the peer's MRU
    }

    [Theory]
    [InlineData(ControlCode.ProtRej)]
    [InlineData(ControlCode.EchoReq)]
    [InlineData(ControlCode.EchoRep)]
    [InlineData(ControlCode.DiscReq)]
    public void Receive_LcpOnlyCodeInNetworkControlProtocol_IsCodeRejected(ControlCode code)
    {
        var driver = InReqSent(new WidthPolicy("IPCP", PppProtocol.Ipcp));

        driver.Receive(Craft.Packet(code, 0x21, Craft.Magic(0)));

        Assert.Equal((byte)code, driver.SentSingle(ControlCode.CodeRej).Data.Span[0]);
    }

    [Theory]
    [InlineData(ControlState.ReqSent)]
    [InlineData(ControlState.AckSent)]
    public void Receive_ConfReqStorm_OneReplyPerRequest(ControlState state)
    {
        var driver = InReqSent();
        if (state == ControlState.AckSent)
            driver.Receive(Craft.ConfReq(0x01, 300));
        long requestsBefore = driver.Engine.Counters.ConfReqsSent;
        int replies = 0;

        for (int i = 0; i < 500; i++)
        {
            driver.Receive(Craft.ConfReq((byte)i, (ushort)(i % 2 == 0 ? 300 : 5000)));
            var sent = driver.SentNow;
            Assert.True(sent.Count == 1, $"request {i} got {sent.Count} packets");
            Assert.Equal((byte)i, sent[0].Identifier);
            replies++;
        }

        Assert.Equal(500, replies);
        Assert.Equal(requestsBefore, driver.Engine.Counters.ConfReqsSent);   // a storm does not make us resend
    }

    [Fact]
    public void Receive_PeerInsistsOnBadValue_NaksTurnIntoRejectsAfterMaxFailure()
    {
        var policy = new WidthPolicy { Min = 100, Max = 1000 };
        var driver = InReqSent(policy, new ControlEngineSettings { MaxFailure = 5 });
        var codes = new List<ControlCode>();

        for (int i = 0; i < 8; i++)
        {
            driver.Receive(Craft.ConfReq((byte)(0x40 + i), 5000));
            codes.Add(driver.SentNow.Single().Code);
        }

        // RFC 1661 §4.6 Max-Failure: five Naks, then Rejects.
        Assert.Equal(Enumerable.Repeat(ControlCode.ConfNak, 5).Concat(Enumerable.Repeat(ControlCode.ConfRej, 3)), codes);
        Assert.Equal([false, false, false, false, false, true, true, true], policy.RejectFlagsSeen);
        Assert.Equal(Craft.Width(5000), driver.SentNow.Single().Data.ToArray());   // rejected byte-exact
    }

    [Fact]
    public void Receive_PolicyIgnoresMaxFailure_EngineRejectsTheNakkedOptions()
    {
        var policy = new WidthPolicy { Min = 100, Max = 1000, HonoursMaxFailure = false };
        var driver = InReqSent(policy, new ControlEngineSettings { MaxFailure = 2 });
        var request = Craft.Packet(ControlCode.ConfReq, 0x50, Craft.Concat(Craft.Width(5000)));

        driver.Receive(request);
        driver.Receive(request);
        driver.Receive(request);

        var reject = driver.SentSingle(ControlCode.ConfRej);
        Assert.Equal(Craft.Width(5000), reject.Data.ToArray());
    }

    [Fact]
    public void Receive_AckAfterAnAck_ResetsMaxFailure()
    {
        var policy = new WidthPolicy { Min = 100, Max = 1000 };
        var driver = InReqSent(policy, new ControlEngineSettings { MaxFailure = 2 });

        driver.Receive(Craft.ConfReq(1, 5000));
        driver.Receive(Craft.ConfReq(2, 5000));
        driver.Receive(Craft.ConfReq(3, 300));    // an Ack: "without sending a Configure-Ack" starts over
        driver.Receive(Craft.ConfReq(4, 5000));

        Assert.Equal(ControlCode.ConfNak, driver.SentNow.Single().Code);
    }

    [Fact]
    public void Receive_ConfAckWithStaleId_IsDiscarded()
    {
        var driver = InReqSent();
        var first = driver.LastRequest!;
        driver.Timeout();   // retransmission: a new identifier (like pppd)
        Assert.NotEqual(first.Identifier, driver.LastRequest!.Identifier);

        driver.Receive(Craft.Packet(ControlCode.ConfAck, first.Identifier, first.Data.ToArray()));

        Assert.Empty(driver.Last);
        Assert.Equal(ControlState.ReqSent, driver.State);
        Assert.Equal(1, driver.Engine.Counters.DiscardedPackets);
    }

    [Fact]
    public void Receive_ConfNakWithStaleId_IsDiscarded()
    {
        var driver = InReqSent();
        byte stale = unchecked((byte)(driver.LastRequest!.Identifier + 7));

        driver.Receive(Craft.Packet(ControlCode.ConfNak, stale, Craft.Width(500)));

        Assert.Empty(driver.Last);
        Assert.Equal(1, driver.Engine.Counters.DiscardedPackets);
    }

    [Fact]
    public void Receive_ConfAckWithAlteredOptions_IsDiscarded()
    {
        var driver = InReqSent();

        driver.Receive(Craft.Packet(ControlCode.ConfAck, driver.LastRequest!.Identifier, Craft.Width(999)));

        Assert.Empty(driver.Last);
        Assert.Equal(ControlState.ReqSent, driver.State);
        Assert.Equal(1, driver.Engine.Counters.DiscardedPackets);
    }

    [Theory]
    [InlineData("an option we did not send", new byte[] { 0x05, 0x02 })]
    [InlineData("our option with another value", new byte[] { 0x01, 0x04, 0x00, 0x01 })]
    [InlineData("nothing", new byte[0])]
    public void Receive_ConfRejNotASubsetOfOurRequest_IsDiscarded(string what, byte[] options)
    {
        var driver = InReqSent(new WidthPolicy { RequestExtra = true });

        driver.Receive(Craft.Packet(ControlCode.ConfRej, driver.LastRequest!.Identifier, options));

        Assert.True(driver.Last.Count == 0, what);
        Assert.Equal(1, driver.Engine.Counters.DiscardedPackets);
    }

    [Fact]
    public void Receive_ConfRejReordered_IsDiscarded()
    {
        var driver = InReqSent(new WidthPolicy { RequestExtra = true });

        driver.Receive(Craft.Packet(ControlCode.ConfRej, driver.LastRequest!.Identifier, Craft.Concat(Craft.Extra(), Craft.Width(1000))));

        Assert.Empty(driver.Last);
    }

    [Fact]
    public void Receive_ConfRejSubset_StopsRequestingTheOption()
    {
        var policy = new WidthPolicy { RequestExtra = true };
        var driver = InReqSent(policy);

        driver.Receive(Craft.Packet(ControlCode.ConfRej, driver.LastRequest!.Identifier, Craft.Extra()));

        Assert.True(policy.ExtraRejected);
        Assert.Equal(Craft.Width(1000), driver.SentSingle(ControlCode.ConfReq).Data.ToArray());   // irc,scr/6
    }

    [Fact]
    public void Receive_CodeRejectOfConfigureRequest_IsCatastrophic()
    {
        var driver = InReqSent();

        driver.Receive(Craft.Packet(ControlCode.CodeRej, 0x70, Craft.Packet(ControlCode.ConfReq, 1)));

        Assert.Equal(ControlState.Stopped, driver.State);   // RXJ-: tlf/3
        var finished = Assert.Single(driver.Last.OfType<ThisLayerFinished>());
        Assert.Contains("Code-Reject", finished.Reason, StringComparison.Ordinal);
        Assert.Equal(finished.Reason, driver.Engine.LastFailureReason);
    }

    [Fact]
    public void Receive_CodeRejectOfEchoRequest_IsPermittedAndReported()
    {
        var driver = InReqSent();

        driver.Receive(Craft.Packet(ControlCode.CodeRej, 0x70, Craft.Packet(ControlCode.EchoReq, 1)));

        Assert.Equal(ControlState.ReqSent, driver.State);   // RXJ+
        Assert.Contains(new CodeRejectReceived((byte)ControlCode.EchoReq), driver.Last);
    }

    [Fact]
    public void Receive_PacketsBeforeUp_AreIllegalAndIgnored()
    {
        var driver = new EngineDriver(new WidthPolicy());

        driver.Receive(Craft.ConfReq(1, 300));
        driver.Receive(Craft.Packet(ControlCode.TermReq, 2));

        Assert.Empty(driver.Last);
        Assert.Equal(ControlState.Initial, driver.State);
        Assert.Equal(2, driver.Engine.Counters.IllegalEvents);
    }

    [Fact]
    public void Receive_RandomBytesInAnyState_NeverThrowsAndFollowsTable()
    {
        Gen.Select(Gen.Int[0, 4], Gen.Byte.Array[0, 40].Array[1, 20])
            .Sample((setup, packets) =>
            {
                var driver = new EngineDriver(new LcpWidthPolicy());
                if (setup >= 1) driver.Up();
                if (setup >= 2) driver.Open();
                if (setup >= 3) driver.Receive(driver.AckOfLastRequest());
                if (setup >= 4) driver.Receive(Craft.ConfReq(9, 300));
                foreach (var packet in packets)
                {
                    var before = driver.State;
                    driver.Receive(packet);
                    Wire.CheckAgainstTable(driver.Engine, before, packet.Length > 0 && packet[0] == (byte)ControlCode.EchoReq);
                    Assert.True(driver.SentNow.Count <= 2);
                }
            }, iter: 3000);
    }

    [Fact]
    public void Timeout_AfterMaxConfigure_FinishesWithReason()
    {
        var driver = InReqSent(settings: new ControlEngineSettings { MaxConfigure = 10 });

        for (int i = 0; i < 9; i++)
            driver.Timeout();
        Assert.Equal(10, driver.Engine.Counters.ConfReqsSent);
        driver.Timeout();

        Assert.Equal(ControlState.Stopped, driver.State);
        var finished = Assert.Single(driver.Last.OfType<ThisLayerFinished>());
        Assert.Equal("TEST: no response to 10 Configure-Requests", finished.Reason);
        Assert.Equal(finished.Reason, driver.Engine.LastFailureReason);
        Assert.Contains(new StopRestartTimer(), driver.Last);
    }

    [Fact]
    public void Timeout_PassiveOption_WaitsInStoppedThenAnswersThePeer()
    {
        var driver = InReqSent(settings: new ControlEngineSettings { MaxConfigure = 2, Passive = true });
        driver.Timeout();
        driver.Timeout();

        Assert.Equal(ControlState.Stopped, driver.State);
        Assert.DoesNotContain(driver.Last, o => o is ThisLayerFinished);
        Assert.Contains("waiting for the peer", driver.Engine.LastFailureReason, StringComparison.Ordinal);

        driver.Receive(Craft.ConfReq(0x31, 300));   // irc,scr,sca/8
        Assert.Equal(ControlState.AckSent, driver.State);
    }

    [Fact]
    public void Open_SilentOption_SendsNothingUntilThePeerSpeaks()
    {
        var driver = new EngineDriver(new WidthPolicy(), new ControlEngineSettings { Silent = true });

        driver.Up();
        Assert.Empty(driver.Open());
        Assert.Equal(ControlState.Stopped, driver.State);

        driver.Receive(Craft.ConfReq(0x31, 300));
        Assert.Equal([ControlCode.ConfReq, ControlCode.ConfAck], driver.SentNow.Select(p => p.Code));
        Assert.Equal(ControlState.AckSent, driver.State);
    }

    [Fact]
    public void Settings_Invalid_AreRefusedByName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ControlEngine(new WidthPolicy(), new ControlEngineSettings { MaxConfigure = 0 }));

        Assert.Equal("MaxConfigure", error.ParamName);
    }
}
