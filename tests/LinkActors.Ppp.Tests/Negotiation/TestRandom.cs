using LinkActors.Ppp.Protocols;

namespace LinkActors.Ppp.Tests.Negotiation;

/// <summary>A seeded, repeatable random source for tests.</summary>
internal sealed class TestRandom(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public void Fill(Span<byte> destination) => _random.NextBytes(destination);
}

/// <summary>Returns the given octets in order, then zeros: for tests that need exact values.</summary>
internal sealed class ScriptedRandom(params byte[] bytes) : IRandomSource
{
    private int _next;

    public void Fill(Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = _next < bytes.Length ? bytes[_next++] : (byte)0;
    }
}
