using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LinkActors.Ppp.Protocols;

/// <summary>
/// Where the pure protocol code gets its randomness (Magic-Numbers, CHAP challenges, interface
/// identifiers): passed in, never hidden, so tests can be deterministic and products use a CSPRNG.
/// </summary>
public interface IRandomSource
{
    /// <summary>Fills <paramref name="destination"/> with random octets.</summary>
    void Fill(Span<byte> destination);
}

/// <summary>Helpers over <see cref="IRandomSource"/>.</summary>
public static class RandomSourceExtensions
{
    public static uint NextUInt32(this IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        random.Fill(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static ulong NextUInt64(this IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        random.Fill(bytes);
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    /// <summary>A non-zero 64-bit value: RFC 5072 §4.1 reserves a zero Interface-Identifier.</summary>
    public static ulong NextUInt64NonZero(this IRandomSource random)
    {
        for (int attempt = 0; attempt < 64; attempt++)
        {
            ulong value = random.NextUInt64();
            if (value != 0)
                return value;
        }
        throw new InvalidOperationException("the random source returned only zeros");
    }

    /// <summary>A non-zero 32-bit value: RFC 1661 §6.4 makes a zero Magic-Number illegal.</summary>
    public static uint NextNonZeroUInt32(this IRandomSource random)
    {
        // A source that keeps returning zero is broken; bounded so a bad fake cannot hang us.
        for (int attempt = 0; attempt < 64; attempt++)
        {
            uint value = random.NextUInt32();
            if (value != 0)
                return value;
        }
        throw new InvalidOperationException("the random source returned only zeros");
    }
}

/// <summary>The operating system's cryptographic generator: what a real link uses (CHAP challenges must be unpredictable).</summary>
public sealed class CryptoRandomSource : IRandomSource
{
    public static CryptoRandomSource Instance { get; } = new();

    private CryptoRandomSource()
    {
    }

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}
