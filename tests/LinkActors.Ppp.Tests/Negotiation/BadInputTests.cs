using System.Net;
using CsCheck;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Ppp.Tests.Negotiation;

public class BadInputTests
{
    private static LinkNegotiation Opened(out List<LinkOutput> outputs)
    {
        var link = new LinkNegotiation(new LinkNegotiationSettings { Name = "client" }, new TestRandom(9));
        outputs = [.. link.Open(), .. link.LowerUp()];
        return link;
    }

    private static byte[] ConfReq(byte id, params byte[] options) =>
        [0x01, id, (byte)((4 + options.Length) >> 8), (byte)(4 + options.Length), .. options];

    [Fact]
    public void Receive_TruncatedAndLyingLcpPackets_AreDiscardedWithoutReply()
    {
        var link = Opened(out _);

        Assert.Empty(link.Receive(PppProtocol.Lcp, [0x01, 0x01]).OfType<SendFrame>());
        // Length says 40, 8 octets arrived.
        Assert.Empty(link.Receive(PppProtocol.Lcp, [0x01, 0x01, 0x00, 0x28, 0x01, 0x04, 0x05, 0xDC]).OfType<SendFrame>());
        Assert.Equal(ControlState.ReqSent, link.LcpEngine.State);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x01)]
    [InlineData(0x09)]
    public void Receive_LcpConfReqWithUnparseableOptionLength_IsConfigureRejectedAsPppdDoes(byte length)
    {
        var link = Opened(out _);

        // MRU 1500 (well formed), then a Magic-Number whose Length is 0, 1 or past the packet.
        var sent = Assert.Single(link.Receive(PppProtocol.Lcp, ConfReq(3, 0x01, 0x04, 0x05, 0xDC, 0x05, length, 0xAB, 0xCD)).OfType<SendFrame>());

        Assert.Equal(PppProtocol.Lcp, sent.Protocol);
        Assert.Equal([0x04, 0x03, 0x00, 0x08, 0x05, length, 0xAB, 0xCD], sent.Information);
        Assert.Equal(ControlState.ReqSent, link.LcpEngine.State);
    }

    [Fact]
    public void PeerWithABrokenOption_ConvergesOnceItDropsIt()
    {
        // pppd's peer side: our Configure-Reject of the broken tail lets it send a request we can Ack.
        var link = new BackToBack(new LinkNegotiationSettings { Name = "client" },
            new LinkNegotiationSettings { Name = "server", Ipcp = new IpcpSettings { LocalAddress = IPAddress.Parse("192.0.2.1"), RemoteAddress = IPAddress.Parse("192.0.2.2") } });
        bool broken = true;
        link.Wire = (from, protocol, information) =>
        {
            if (from != BackToBack.ServerSide || protocol != PppProtocol.Lcp || information[0] != 0x01 || !broken)
                return information;
            broken = false;
            // The server's first request gains an option of Length 1 at its end.
            byte[] longer = [.. information, 0x1F, 0x01];
            longer[2] = (byte)(longer.Length >> 8);
            longer[3] = (byte)longer.Length;
            return longer;
        };

        link.Start().Run();

        Assert.False(broken);
        Assert.Equal(LinkPhase.Network, link.Client.Phase);
        Assert.Equal(ControlState.Opened, link.Client.LcpEngine.State);
        Assert.Equal(1, link.Client.LcpEngine.Counters.MalformedOptionsRejected);
    }

    [Fact]
    public void Receive_OptionLengthThatLiesWithinPacket_IsRejectedByteExact()
    {
        var link = Opened(out _);

        // Magic-Number with Length 4 (two octets of data) inside a well-formed packet.
        var sent = Assert.Single(link.Receive(PppProtocol.Lcp, ConfReq(7, 0x05, 0x04, 0xAB, 0xCD)).OfType<SendFrame>());

        Assert.Equal([0x04, 0x07, 0x00, 0x08, 0x05, 0x04, 0xAB, 0xCD], sent.Information);
    }

    [Fact]
    public void Receive_NcpBeforeNetworkPhase_IsSilentlyDiscarded()
    {
        var link = Opened(out _);

        var outputs = link.Receive(PppProtocol.Ipcp, ConfReq(1, 0x03, 0x06, 192, 0, 2, 1));

        Assert.Empty(outputs);
        Assert.Equal(1, link.DiscardedFrames);
    }

    [Fact]
    public void Receive_UnknownProtocolInNetwork_IsProtocolRejected()
    {
        var link = new BackToBack(new LinkNegotiationSettings { Name = "client" },
            new LinkNegotiationSettings { Name = "server", Ipcp = new IpcpSettings { LocalAddress = IPAddress.Parse("192.0.2.1"), RemoteAddress = IPAddress.Parse("192.0.2.2") } })
            .Start().Run();
        Assert.Equal(LinkPhase.Network, link.Client.Phase);

        var sent = Assert.Single(link.Client.Receive(PppProtocol.Ccp, [0x01, 0x01, 0x00, 0x04]).OfType<SendFrame>());

        Assert.Equal(PppProtocol.Lcp, sent.Protocol);
        Assert.Equal((byte)ControlCode.ProtRej, sent.Information[0]);
        Assert.Equal([0x80, 0xFD, 0x01, 0x01, 0x00, 0x04], sent.Information[4..]);
    }

    [Fact]
    public void PeerNaksForever_AfterMaxFailureOurNaksBecomeRejects()
    {
        // The peer insists on an MRU of 64: we Nak with 128 Max-Failure times, then Reject it (RFC 1661 §4.6).
        var link = Opened(out _);
        var replies = new List<byte>();
        for (byte id = 1; id <= 7; id++)
        {
            var sent = link.Receive(PppProtocol.Lcp, ConfReq(id, 0x01, 0x04, 0x00, 0x40)).OfType<SendFrame>().Single();
            replies.Add(sent.Information[0]);
        }

        Assert.Equal([3, 3, 3, 3, 3, 4, 4], replies);
    }

    [Fact]
    public void PeerThatNaksOurAddressWithNonsenseForever_NeverGetsItConfigured()
    {
        // A server that keeps offering 127.0.0.1: the client ignores it and keeps asking.
        var client = new LinkNegotiationSettings { Name = "client", Engine = ControlEngineSettings.Default with { MaxConfigure = 3 } };
        var server = new LinkNegotiationSettings { Name = "server", Ipcp = new IpcpSettings { LocalAddress = IPAddress.Parse("192.0.2.1"), RemoteAddress = IPAddress.Parse("127.0.0.1") } };
        var link = new BackToBack(client, server).Start().Run(TimeSpan.FromMinutes(2));

        Assert.False(link.Client.IsUp(PppProtocol.Ipcp));
        Assert.Null(link.Client.Ipcp!.LocalAddress);
    }

    [Fact]
    public void LoopedBackLine_IsDetectedAndLinkClosed()
    {
        var link = new LinkNegotiation(new LinkNegotiationSettings { Name = "loop" }, new TestRandom(4));
        var pending = new Queue<LinkOutput>([.. link.Open(), .. link.LowerUp()]);
        for (int steps = 0; steps < 200 && pending.TryDequeue(out var output); steps++)
        {
            if (output is SendFrame frame)
                foreach (var next in link.Receive(frame.Protocol, frame.Information))
                    pending.Enqueue(next);
        }

        Assert.Equal("serial line is looped back", link.FailureReason);
        Assert.True(link.Lcp.LoopbackDetected);
    }

    [Fact]
    public void Receive_RandomFramesInAnyPhase_NeverThrow()
    {
        var gen = Gen.Select(
            Gen.OneOfConst(PppProtocol.Lcp, PppProtocol.Pap, PppProtocol.Chap, PppProtocol.Ipcp, PppProtocol.Ipv6cp, PppProtocol.Ipv4, (ushort)0x1235),
            Gen.Byte.Array[0, 40]).List[1, 30];
        gen.Sample(frames =>
        {
            var link = new LinkNegotiation(new LinkNegotiationSettings { Name = "fuzz", Ipv6cp = new Ipv6cpSettings() }, new TestRandom(1));
            link.Open();
            link.LowerUp();
            foreach (var (protocol, information) in frames)
            {
                // Valid-looking headers more often than random ones would give.
                if (information.Length >= 4)
                {
                    information[0] = (byte)(information[0] % 12);
                    information[2] = 0;
                    information[3] = (byte)information.Length;
                }
                link.Receive(protocol, information);
            }
        }, iter: 2000);
    }
}
