using CsCheck;
using LinkActors.Ppp.Cmux;

namespace LinkActors.Ppp.Tests.Cmux;

public class CmuxPropertyTests
{
    private static readonly Gen<(int Dlci, byte[] Payload)[]> GenPayloads =
        Gen.Select(Gen.Int[1, 63], Gen.Byte.Array[0, 600]).Array[1, 12];

    [Fact]
    public void RandomPayloads_InRandomChunkings_RoundTrip()
    {
        Gen.Select(GenPayloads, Gen.Int[1, 64].Array[1, 8], Gen.Int[1, 300]).Sample((payloads, chunks, n1) =>
        {
            var line = payloads.SelectMany(p => CmuxEncoder.EncodeData(p.Dlci, true, p.Payload, n1)).ToArray();
            var decoder = new CmuxDecoder(n1);
            var frames = new List<CmuxFrame>();
            int at = 0;
            for (int c = 0; at < line.Length; c++)
            {
                int take = Math.Min(chunks[c % chunks.Length], line.Length - at);
                frames.AddRange(decoder.Decode(line.AsSpan(at, take)));
                at += take;
            }
            Assert.Equal(0, decoder.Counters.Errors);
            foreach (var (dlci, payload) in payloads)
            {
                // Channels are reassembled in order; several payloads for one DLCI concatenate.
                var expected = payloads.Where(p => p.Dlci == dlci).SelectMany(p => p.Payload).ToArray();
                var got = frames.Where(f => f.Dlci == dlci).SelectMany(f => f.Information.ToArray()).ToArray();
                Assert.Equal(expected, got);
            }
            Assert.All(frames, f => Assert.True(f.Information.Length <= n1));
        });
    }

    [Fact]
    public void Garbage_NeverThrows_AndFramesAfterItAreFound()
    {
        Gen.Select(Gen.Byte.Array[0, 2000], Gen.Int[1, 100], Gen.Int[1, 32768]).Sample((garbage, chunk, n1) =>
        {
            var decoder = new CmuxDecoder(n1);
            for (int at = 0; at < garbage.Length; at += chunk)
                decoder.Decode(garbage.AsSpan(at, Math.Min(chunk, garbage.Length - at)));
            for (int at = 0; at + 1 < garbage.Length; at += 7)
                CmuxControlMessage.TryDecode(garbage.AsSpan(at), out _, out _);
            // After any garbage, two flags and a whole frame are found: at worst the garbage left the
            // decoder inside a frame whose length it will wait out, so feed enough to finish that first.
            var sabm = CmuxEncoder.Encode(0, true, CmuxFrameType.Sabm, true, []);
            var before = decoder.Counters.Frames;
            var resync = new byte[Math.Min(n1, 32767) + 4];
            Array.Fill(resync, LinkActors.Ppp.Cmux.Cmux.Flag);
            decoder.Decode(resync);
            var found = decoder.Decode(sabm);
            Assert.Contains(found, f => f.Type == CmuxFrameType.Sabm);
            Assert.True(decoder.Counters.Frames > before);
        });
    }
}
