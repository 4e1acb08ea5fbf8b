using BenchmarkDotNet.Attributes;
using LinkActors.Ppp.Framing;

namespace LinkActors.Bench;

/// <summary>The frame check sequences alone, over one full-size frame.</summary>
[MemoryDiagnoser]
public class FcsBenchmarks
{
    private readonly byte[] _frame = new byte[FramingBenchmarks.PayloadLength];

    [GlobalSetup]
    public void Setup() => new Random(16).NextBytes(_frame);

    [Benchmark]
    public ushort Fcs16Compute() => Fcs16.Compute(_frame);

    [Benchmark]
    public uint Fcs32Compute() => Fcs32.Compute(_frame);
}
