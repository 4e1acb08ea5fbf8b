using BenchmarkDotNet.Attributes;
using LinkActors.Ppp.Framing;

namespace LinkActors.Bench;

/// <summary>
/// Encoding and decoding of full-size IPv4 frames. Each operation is one frame; the frames cycle
/// through many different random payloads so that branch predictors cannot learn one of them.
/// </summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    public const int PayloadLength = 1500;
    private const int FrameCount = 64;

    private readonly byte[][] _payloads = new byte[FrameCount][];
    private readonly byte[][] _wire = new byte[FrameCount][];
    private readonly byte[] _destination = new byte[HdlcEncoder.MaxEncodedLength(PayloadLength)];
    private readonly CountingSink _sink = new();
    private HdlcEncoder _encoder = new();
    private HdlcDecoder _decoder = new();

    /// <summary>0xFFFFFFFF escapes every control character (about one octet in eight); 0 only 0x7D and 0x7E.</summary>
    [Params(0xFFFFFFFFu, 0u)]
    public uint Accm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1662);
        _encoder = new HdlcEncoder { TransmitAccm = Accm, Acfc = true, Pfc = true };
        _decoder = new HdlcDecoder { ReceiveAccm = Accm };
        for (int i = 0; i < FrameCount; i++)
        {
            _payloads[i] = new byte[PayloadLength];
            random.NextBytes(_payloads[i]);
            int written = _encoder.Encode(0x0021, _payloads[i], _destination);
            _wire[i] = _destination[..written];
        }
    }

    [Benchmark(OperationsPerInvoke = FrameCount)]
    public int Encode()
    {
        int total = 0;
        for (int i = 0; i < FrameCount; i++)
            total += _encoder.Encode(0x0021, _payloads[i], _destination);
        return total;
    }

    [Benchmark(OperationsPerInvoke = FrameCount)]
    public long Decode()
    {
        for (int i = 0; i < FrameCount; i++)
            _decoder.Decode(_wire[i], _sink);
        return _sink.Octets;
    }

    private sealed class CountingSink : IHdlcFrameSink
    {
        public long Octets { get; private set; }

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => Octets += information.Length;
    }
}
