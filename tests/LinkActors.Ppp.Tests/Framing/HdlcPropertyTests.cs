using CsCheck;
using LinkActors.Ppp.Framing;

namespace LinkActors.Ppp.Tests.Framing;

public class HdlcPropertyTests
{
    private const int Mru = 1500;

    private static readonly ushort[] Protocols = [0x0021, 0x0057, 0x002D, 0x8021, 0x8057, 0xC021, 0xC023, 0xC223, 0x00FD, 0x80FD];

    // Octets pppd lets one add to the escape set: not 0x20-0x3F, not 0x5E.
    private static readonly Gen<byte> GenExtraEscape = Gen.Byte.Where(b => b is not (>= 0x20 and <= 0x3F or 0x5E));

    private sealed record Link(
        uint TransmitAccm,
        uint ReceiveAccmMask,
        bool Acfc,
        bool Pfc,
        byte[] ExtraEscapes,
        (ushort Protocol, byte[] Information)[] Packets,
        byte[] Preamble,
        int[] NoisePositions,
        int[] ChunkSizes);

    private static readonly Gen<Link> GenLink =
        Gen.Select(
            Gen.OneOf(Gen.Const(0xFFFFFFFFu), Gen.Const(0u), Gen.UInt),
            Gen.UInt,
            Gen.Bool,
            Gen.Bool,
            GenExtraEscape.Array[0, 4],
            Gen.Select(Gen.Int[0, Protocols.Length - 1].Select(i => Protocols[i]), GenPayload).Array[1, 8],
            Gen.Byte.Where(b => b != 0x7E).Array[0, 20],
            Gen.Select(Gen.Int[0, 100_000].Array[0, 10], Gen.Int[1, 300].Array[1, 6], (noise, chunks) => (noise, chunks)))
        .Select((txAccm, rxMask, acfc, pfc, extra, packets, preamble, rest) =>
            new Link(txAccm, rxMask, acfc, pfc, extra, packets, preamble, rest.noise, rest.chunks));

    // Mostly random octets, sometimes dense in octets that need escaping, sometimes past the MRU.
    private static Gen<byte[]> GenPayload =>
        Gen.Frequency(
            (6, Gen.Byte.Array[0, 300]),
            (2, Gen.OneOf(Gen.Const((byte)0x7D), Gen.Const((byte)0x7E), Gen.Byte[0, 0x1F], Gen.Byte).Array[0, 200]),
            (1, Gen.Byte.Array[Mru - 40, Mru + 40]));

    [Fact]
    public void RoundTrip_RandomFramesSettingsAndChunking_YieldsExactlyThePayloads() =>
        GenLink.Sample(link =>
        {
            var encoder = new HdlcEncoder { TransmitAccm = link.TransmitAccm, Acfc = link.Acfc, Pfc = link.Pfc };
            foreach (byte b in link.ExtraEscapes)
                encoder.AddExtraEscape(b);
            // We can only drop control characters that the peer escapes, i.e. those in its transmit map.
            uint receiveAccm = link.TransmitAccm & link.ReceiveAccmMask;

            var wire = new List<byte>(link.Preamble);
            foreach (var (protocol, information) in link.Packets)
            {
                var buffer = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
                int written = encoder.Encode(protocol, information, buffer);
                Assert.Equal(
                    Reference.Encode(protocol, information, link.TransmitAccm, link.Acfc, link.Pfc, link.ExtraEscapes),
                    buffer[..written]);
                wire.AddRange(buffer.AsSpan(0, written));
            }
            // Line noise the receive ACCM removes: control characters the encoder never sends raw.
            var dropped = Enumerable.Range(0, 32).Where(c => ((receiveAccm >> c) & 1) != 0).Select(c => (byte)c).ToArray();
            if (dropped.Length > 0)
            {
                // After the first flag: before it, the octets are counted as discarded modem text.
                int start = link.Preamble.Length + 1;
                foreach (int position in link.NoisePositions)
                    wire.Insert(start + (position % (wire.Count - start)), dropped[position % dropped.Length]);
            }

            var decoder = new HdlcDecoder(Mru) { ReceiveAccm = receiveAccm };
            var sink = new FrameRecorder();
            Reference.DecodeInChunks(decoder, wire.ToArray(), link.ChunkSizes, sink);

            var expected = link.Packets.Where(p => p.Information.Length <= Mru).ToArray();
            Assert.Equal(expected.Select(p => p.Protocol), sink.Frames.Select(f => f.Protocol));
            Assert.Equal(expected.Select(p => p.Information), sink.Frames.Select(f => f.Information));
            var counters = decoder.Counters;
            Assert.Equal(expected.Length, counters.Frames);
            Assert.Equal(link.Packets.Length - expected.Length, counters.Oversize);
            Assert.Equal(0, counters.BadFcs + counters.Runts + counters.Aborted);
            Assert.Equal(link.Preamble.Length, counters.DiscardedBytes);
            Assert.Equal(wire.Count, counters.Bytes);
        }, iter: 2000);

    [Fact]
    public void Decode_ArbitraryBytes_NeverThrowsAndAccountsForEveryFrame() =>
        Gen.Select(
            Gen.Frequency(
                (3, Gen.Byte.Array[0, 3000]),
                (3, Gen.OneOf(Gen.Const((byte)0x7D), Gen.Const((byte)0x7E), Gen.Const((byte)0xFF), Gen.Const((byte)0x03), Gen.Byte).Array[0, 3000])),
            Gen.OneOf(Gen.Const(0xFFFFFFFFu), Gen.Const(0u), Gen.UInt),
            Gen.Int[1, 2000],
            Gen.Int[1, 200].Array[1, 6])
        .Sample((wire, receiveAccm, mru, chunkSizes) =>
        {
            var decoder = new HdlcDecoder(mru) { ReceiveAccm = receiveAccm };
            var sink = new FrameRecorder();

            Reference.DecodeInChunks(decoder, wire, chunkSizes, sink);

            var counters = decoder.Counters;
            Assert.Equal(Reference.DelimitedFrames(wire, receiveAccm), counters.Delimited);
            Assert.Equal(counters.Frames, sink.Frames.Count);
            Assert.All(sink.Frames, f => Assert.True(f.Information.Length <= mru));
            Assert.Equal(wire.Length, counters.Bytes);
            int firstFlag = Array.IndexOf(wire, (byte)0x7E);
            Assert.Equal(firstFlag < 0 ? wire.Length : firstFlag, counters.DiscardedBytes);
        }, iter: 2000);

    [Fact]
    public void Decode_AnyChunkingOfTheSameWire_GivesTheSameFramesAndCounters() =>
        Gen.Select(Gen.Byte.Array[0, Mru], Gen.Int[1, 100].Array[1, 5])
        .Sample((noise, chunkSizes) =>
        {
            // Real frames mixed with noise, decoded whole and in pieces.
            var encoder = new HdlcEncoder();
            var wire = new List<byte>(noise);
            for (int i = 0; i < 3; i++)
            {
                var buffer = new byte[HdlcEncoder.MaxEncodedLength(noise.Length)];
                int written = encoder.Encode(0x0021, noise, buffer);
                wire.AddRange(buffer.AsSpan(0, written));
                wire.AddRange(noise.AsSpan(0, noise.Length / (i + 2)));
            }
            byte[] bytes = [.. wire];

            var whole = new HdlcDecoder();
            var wholeSink = new FrameRecorder();
            whole.Decode(bytes, wholeSink);
            var pieces = new HdlcDecoder();
            var piecesSink = new FrameRecorder();
            Reference.DecodeInChunks(pieces, bytes, chunkSizes, piecesSink);

            Assert.Equal(whole.Counters, pieces.Counters);
            Assert.Equal(wholeSink.Frames.Select(f => f.Information), piecesSink.Frames.Select(f => f.Information));
            Assert.True(whole.Counters.Frames >= 3);
        }, iter: 500);
}
