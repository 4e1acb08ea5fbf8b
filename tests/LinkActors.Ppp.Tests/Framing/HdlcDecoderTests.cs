using System.Text;
using LinkActors.Ppp.Framing;

namespace LinkActors.Ppp.Tests.Framing;

public class HdlcDecoderTests
{
    private static readonly byte[] LcpFrame = HdlcEncoderTests.LcpConfReqFrame;
    private static readonly byte[] LcpInformation = HdlcEncoderTests.LcpConfReqInformation;

    // Flag, Address, Control, Protocol LCP, then "01 02" and a deliberately wrong FCS, Flag.
    private static readonly byte[] BadFcsFrame = Reference.Hex("7E FF 7D 23 C0 21 7D 21 7D 22 12 34 7E");

    // Flag, three octets, Flag: too short to hold even a Protocol and an FCS.
    private static readonly byte[] RuntFrame = Reference.Hex("7E 21 45 00 7E");

    // Flag, Address, Control, Protocol IPv4, two octets, then Control Escape and Flag: the abort sequence.
    private static readonly byte[] AbortedFrame = Reference.Hex("7E FF 7D 23 00 21 45 00 7D 7E");

    private static (HdlcDecoder Decoder, FrameRecorder Sink) Decode(params byte[][] chunks) =>
        Decode(Accm.All, chunks);

    private static (HdlcDecoder Decoder, FrameRecorder Sink) Decode(uint receiveAccm, params byte[][] chunks)
    {
        var decoder = new HdlcDecoder { ReceiveAccm = receiveAccm };
        var sink = new FrameRecorder();
        foreach (byte[] chunk in chunks)
            decoder.Decode(chunk, sink);
        return (decoder, sink);
    }

    private static void AssertOneLcpFrame(HdlcDecoder decoder, FrameRecorder sink)
    {
        AssertLcpFrameDelivered(decoder, sink);
        Assert.Equal(0, decoder.Counters.Errors);
    }

    private static void AssertLcpFrameDelivered(HdlcDecoder decoder, FrameRecorder sink)
    {
        var frame = Assert.Single(sink.Frames);
        Assert.Equal(0xC021, frame.Protocol);
        Assert.Equal(LcpInformation, frame.Information);
        Assert.Equal(1, decoder.Counters.Frames);
    }

    [Fact]
    public void Decode_LcpConfReqFromPppd_YieldsProtocolAndInformation()
    {
        var (decoder, sink) = Decode(LcpFrame);

        AssertOneLcpFrame(decoder, sink);
        Assert.Equal(LcpFrame.Length, decoder.Counters.Bytes);
        Assert.Equal(0, decoder.Counters.DiscardedBytes);
    }

    [Fact]
    public void Decode_OneOctetAtATime_ReassemblesFrame()
    {
        var (decoder, sink) = Decode([.. LcpFrame.Select(b => new[] { b })]);

        AssertOneLcpFrame(decoder, sink);
    }

    [Fact]
    public void Decode_SplitEscapeAcrossChunks_ReassemblesFrame()
    {
        // Octet 2 is the Control Escape before 0x23.
        var (decoder, sink) = Decode(LcpFrame[..3], LcpFrame[3..]);

        AssertOneLcpFrame(decoder, sink);
    }

    [Fact]
    public void Decode_SplitInsideFcs_ReassemblesFrame()
    {
        var (decoder, sink) = Decode(LcpFrame[..^2], LcpFrame[^2..]);

        AssertOneLcpFrame(decoder, sink);
    }

    [Fact]
    public void Decode_SplitBeforeClosingFlag_EmitsOnlyOnFlag()
    {
        var decoder = new HdlcDecoder();
        var sink = new FrameRecorder();

        decoder.Decode(LcpFrame.AsSpan(..^1), sink);
        Assert.Empty(sink.Frames);
        decoder.Decode(LcpFrame.AsSpan(^1..), sink);

        AssertOneLcpFrame(decoder, sink);
    }

    [Fact]
    public void Decode_SeveralFramesInOneChunkSharingFlags_YieldsAllInOrder()
    {
        byte[] wire = [.. LcpFrame, .. HdlcEncoderTests.IpCompressedFrame[1..], .. LcpFrame[1..]];

        // The IPv4 frame was sent with ACCM 0, so its control characters are data.
        var (decoder, sink) = Decode(Accm.None, wire);

        Assert.Equal(new ushort[] { 0xC021, 0x0021, 0xC021 }, sink.Frames.Select(f => f.Protocol));
        Assert.Equal(HdlcEncoderTests.IpInformation, sink.Frames[1].Information);
        Assert.Equal(3, decoder.Counters.Frames);
    }

    [Fact]
    public void Decode_CompressedAddressControlAndProtocol_AcceptedWithoutNegotiation()
    {
        var (decoder, sink) = Decode(Accm.None, HdlcEncoderTests.IpCompressedFrame);

        var frame = Assert.Single(sink.Frames);
        Assert.Equal(0x0021, frame.Protocol);
        Assert.Equal(HdlcEncoderTests.IpInformation, frame.Information);
        Assert.Equal(1, decoder.Counters.Frames);
    }

    [Fact]
    public void Decode_ModemTextBeforeFirstFlag_IsDiscardedAndCounted()
    {
        byte[] text = Encoding.ASCII.GetBytes("\r\nCONNECT 115200\r\n");

        var (decoder, sink) = Decode(text[..5], [.. text[5..], .. LcpFrame]);

        AssertOneLcpFrame(decoder, sink);
        Assert.Equal(text.Length, decoder.Counters.DiscardedBytes);
        Assert.Equal(text.Length + LcpFrame.Length, decoder.Counters.Bytes);
    }

    [Fact]
    public void Decode_EmptyFlagPairs_AreTimeFillNotRunts()
    {
        var (decoder, sink) = Decode([0x7E, 0x7E, 0x7E, .. LcpFrame, 0x7E, 0x7E]);

        AssertOneLcpFrame(decoder, sink);
        Assert.Equal(0, decoder.Counters.Runts);
    }

    [Fact]
    public void Decode_BadFcs_CountsBadFcsAndEmitsNothing()
    {
        var (decoder, sink) = Decode(BadFcsFrame);

        Assert.Empty(sink.Frames);
        Assert.Equal(new HdlcCounters(0, 1, 0, 0, 0, 0, BadFcsFrame.Length), decoder.Counters);
    }

    [Fact]
    public void Decode_ThreeOctetsBetweenFlags_CountsRuntAndEmitsNothing()
    {
        var (decoder, sink) = Decode(RuntFrame);

        Assert.Empty(sink.Frames);
        Assert.Equal(new HdlcCounters(0, 0, 1, 0, 0, 0, RuntFrame.Length), decoder.Counters);
    }

    [Fact]
    public void Decode_AddressControlAndFcsWithoutProtocol_CountsRunt()
    {
        byte[] content = [0xFF, 0x03];
        ushort fcs = Fcs16.Compute(content);
        byte[] wire = [0x7E, 0xFF, 0x03, (byte)fcs, (byte)(fcs >> 8), 0x7E];
        Assert.DoesNotContain(wire[1..^1], b => b is 0x7D or 0x7E);
        var decoder = new HdlcDecoder { ReceiveAccm = 0 };
        var sink = new FrameRecorder();

        decoder.Decode(wire, sink);

        Assert.Empty(sink.Frames);
        Assert.Equal(1, decoder.Counters.Runts);
        Assert.Equal(0, decoder.Counters.BadFcs);
    }

    [Fact]
    public void Decode_AbortSequence_CountsAbortedEmitsNothingAndKeepsTheNextFrame()
    {
        // The abort's Flag closes the aborted frame and opens the next one.
        var (decoder, sink) = Decode(AbortedFrame, LcpFrame[1..]);

        AssertLcpFrameDelivered(decoder, sink);
        Assert.Equal(1, decoder.Counters.Aborted);
    }

    [Fact]
    public void Decode_AbortSplitBetweenChunks_CountsAborted()
    {
        var (decoder, sink) = Decode(AbortedFrame[..^1], AbortedFrame[^1..]);

        Assert.Empty(sink.Frames);
        Assert.Equal(1, decoder.Counters.Aborted);
    }

    [Fact]
    public void Decode_InformationOfExactlyMru_IsAccepted()
    {
        var information = new byte[100];
        new Random(1).NextBytes(information);
        var decoder = new HdlcDecoder(mru: 100);
        var sink = new FrameRecorder();

        decoder.Decode(Reference.Encode(0x0021, information, 0xFFFFFFFF, false, false, []), sink);

        Assert.Equal(information, Assert.Single(sink.Frames).Information);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Decode_InformationOneOverMru_CountsOversizeAndEmitsNothing(bool acfc, bool pfc)
    {
        var information = new byte[101];
        var decoder = new HdlcDecoder(mru: 100);
        var sink = new FrameRecorder();

        decoder.Decode(Reference.Encode(0x0021, information, 0xFFFFFFFF, acfc, pfc, []), sink);

        Assert.Empty(sink.Frames);
        Assert.Equal(1, decoder.Counters.Oversize);
        Assert.Equal(1, decoder.Counters.Delimited);
    }

    [Fact]
    public void Decode_FrameFarBeyondMru_CountsOversizeAndKeepsTheNextFrame()
    {
        var information = new byte[5000];
        new Random(2).NextBytes(information);
        byte[] wire = [.. Reference.Encode(0x0021, information, 0, false, false, []), .. LcpFrame[1..]];
        var decoder = new HdlcDecoder();
        var sink = new FrameRecorder();

        Reference.DecodeInChunks(decoder, wire, [700, 1, 33], sink);

        AssertLcpFrameDelivered(decoder, sink);
        Assert.Equal(1, decoder.Counters.Oversize);
    }

    [Fact]
    public void Decode_MruRaisedMidStream_AcceptsLargerFrames()
    {
        var information = new byte[3000];
        new Random(3).NextBytes(information);
        var decoder = new HdlcDecoder(mru: 296);
        var sink = new FrameRecorder();

        decoder.Mru = 4000;
        decoder.Decode(Reference.Encode(0x0021, information, 0xFFFFFFFF, false, false, []), sink);

        Assert.Equal(information, Assert.Single(sink.Frames).Information);
    }

    [Fact]
    public void Decode_ControlCharacterInReceiveAccm_IsDroppedAsLineNoise()
    {
        // XON inserted by a modem in the middle of the frame and inside an escape pair.
        byte[] wire = [.. LcpFrame[..2], 0x11, LcpFrame[2], 0x11, .. LcpFrame[3..]];

        var (decoder, sink) = Decode(wire);

        AssertOneLcpFrame(decoder, sink);
    }

    [Fact]
    public void Decode_ControlCharacterNotInReceiveAccm_IsData()
    {
        var decoder = new HdlcDecoder { ReceiveAccm = 0 };
        var sink = new FrameRecorder();
        byte[] information = [0x11, 0x13, 0x00];

        decoder.Decode(Reference.Encode(0x0021, information, 0, true, true, []), sink);

        Assert.Equal(information, Assert.Single(sink.Frames).Information);
    }

    [Fact]
    public void Decode_EscapePairsAtEveryAlignment_YieldsThePayload()
    {
        // 0x5D escaped is 7D 7D on the wire, which looks like two escapes; 0x7E escaped is 7D 5E.
        var random = new Random(5);
        var encoder = new HdlcEncoder { TransmitAccm = 0 };
        encoder.AddExtraEscape(0x5D);
        byte[][] payloads =
        [
            [.. Enumerable.Repeat((byte)0x5D, 300)],
            [.. Enumerable.Range(0, 300).Select(k => (byte)(k % 3 == 0 ? 0x5D : k % 3 == 1 ? 0x7D : 0x41))],
            [.. Enumerable.Range(0, 300).Select(k => (byte)(k % 5 == 0 ? 0x7E : random.Next(256)))],
            [.. Enumerable.Range(0, 300).Select(k => (byte)(k % 70 == 0 ? 0x5D : 0x41))],
        ];
        foreach (byte[] pattern in payloads)
        {
            // Blocks are aligned on the frame's first octet, so shifting the payload moves the pairs across
            // block boundaries.
            for (int shift = 0; shift < 70; shift++)
            {
                byte[] payload = [.. Enumerable.Repeat((byte)0x41, shift), .. pattern];
                var buffer = new byte[HdlcEncoder.MaxEncodedLength(payload.Length)];
                byte[] frame = buffer[..encoder.Encode(0x0021, payload, buffer)];
                var decoder = new HdlcDecoder { ReceiveAccm = 0 };
                var sink = new FrameRecorder();

                decoder.Decode(frame, sink);

                Assert.Equal(payload, Assert.Single(sink.Frames).Information);
            }
        }
    }

    [Fact]
    public void Decode_Reset_DropsPartialFrameAndHuntsForFlag()
    {
        var decoder = new HdlcDecoder();
        var sink = new FrameRecorder();
        decoder.Decode(LcpFrame.AsSpan(..10), sink);

        decoder.Reset();
        decoder.Decode([.. "AT"u8, .. LcpFrame], sink);

        AssertOneLcpFrame(decoder, sink);
        Assert.Equal(2, decoder.Counters.DiscardedBytes);
    }

    [Fact]
    public void Decode_RefStructSink_ReceivesFrame()
    {
        var decoder = new HdlcDecoder();
        int count = 0;
        int length = 0;

        decoder.Decode(LcpFrame, new CountingSink(ref count, ref length));

        Assert.Equal(1, count);
        Assert.Equal(LcpInformation.Length, length);
    }

    private ref struct CountingSink(ref int count, ref int length) : IHdlcFrameSink
    {
        private ref int _count = ref count;
        private ref int _length = ref length;

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information)
        {
            _count++;
            _length += information.Length;
        }
    }

    [Fact]
    public void Decode_SteadyState_AllocatesNothing()
    {
        var information = new byte[1500];
        new Random(4).NextBytes(information);
        byte[] wire = Reference.Encode(0x0021, information, 0xFFFFFFFF, false, false, []);
        var decoder = new HdlcDecoder();
        int count = 0;
        int length = 0;
        decoder.Decode(wire, new CountingSink(ref count, ref length));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            decoder.Decode(wire, new CountingSink(ref count, ref length));

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(101, count);
    }

    [Fact]
    public void Constructor_MruOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HdlcDecoder(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HdlcDecoder(65536));
    }
}
