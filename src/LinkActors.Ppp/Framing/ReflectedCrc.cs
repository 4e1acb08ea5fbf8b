using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LinkActors.Ppp.Framing;

/// <summary>
/// A CRC whose bits go least significant first, as on an asynchronous line (RFC 1662 §C):
/// carry-less multiplication folding where PCLMULQDQ exists, slicing-by-8 tables otherwise.
/// The register is not complemented here; <see cref="Fcs16"/> and <see cref="Fcs32"/> do that.
/// </summary>
internal sealed class ReflectedCrc
{
    // Below this, the setup and the final 16-octet reduction cost more than the tables.
    private const int FoldThreshold = 64;

    private readonly uint[] _table;
    private readonly Vector128<ulong> _fold4;
    private readonly Vector128<ulong> _fold1;

    /// <param name="width">16 or 32.</param>
    /// <param name="polynomial">The generator with its x^width term, e.g. 0x11021 for x^16 + x^12 + x^5 + 1.</param>
    public ReflectedCrc(int width, ulong polynomial)
    {
        _table = BuildSlicingTables(Reflect(polynomial, width));

        // Folding keeps a 128-bit remainder X = Xhi·x^64 + Xlo and moves it F bits down the message:
        // X·x^F ≡ Xhi·(x^(F+64) mod P) + Xlo·(x^F mod P). Each half is a 64x64 carry-less product; in the
        // bit-reversed layout the product lands one bit early, hence the exponents less one.
        _fold4 = Vector128.Create(
            ReflectInto64(XPowerModP(4 * 128 + 63, polynomial, width), width),
            ReflectInto64(XPowerModP(4 * 128 - 1, polynomial, width), width));
        _fold1 = Vector128.Create(
            ReflectInto64(XPowerModP(128 + 63, polynomial, width), width),
            ReflectInto64(XPowerModP(128 - 1, polynomial, width), width));
    }

    public uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        if (Pclmulqdq.IsSupported && data.Length >= FoldThreshold)
            return UpdateFolded(crc, data);
        return UpdateSliced(crc, data);
    }

    internal uint UpdateSliced(uint crc, ReadOnlySpan<byte> data)
    {
        ref uint table = ref MemoryMarshal.GetArrayDataReference(_table);
        ref byte p = ref MemoryMarshal.GetReference(data);
        int n = data.Length;
        while (n >= 8)
        {
            ulong v = Unsafe.ReadUnaligned<ulong>(ref p);
            if (!BitConverter.IsLittleEndian)
                v = BinaryPrimitives.ReverseEndianness(v);
            v ^= crc;
            crc = Unsafe.Add(ref table, (7 * 256) + (int)(v & 0xFF))
                ^ Unsafe.Add(ref table, (6 * 256) + (int)((v >> 8) & 0xFF))
                ^ Unsafe.Add(ref table, (5 * 256) + (int)((v >> 16) & 0xFF))
                ^ Unsafe.Add(ref table, (4 * 256) + (int)((v >> 24) & 0xFF))
                ^ Unsafe.Add(ref table, (3 * 256) + (int)((v >> 32) & 0xFF))
                ^ Unsafe.Add(ref table, (2 * 256) + (int)((v >> 40) & 0xFF))
                ^ Unsafe.Add(ref table, 256 + (int)((v >> 48) & 0xFF))
                ^ Unsafe.Add(ref table, (int)(v >> 56));
            p = ref Unsafe.Add(ref p, 8);
            n -= 8;
        }
        while (n > 0)
        {
            crc = (crc >> 8) ^ Unsafe.Add(ref table, (int)((crc ^ p) & 0xFF));
            p = ref Unsafe.Add(ref p, 1);
            n--;
        }
        return crc;
    }

    private uint UpdateFolded(uint crc, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int n = data.Length;

        // The register's octets line up with the first message octets, so it is simply xor'd in.
        var x0 = Vector128.LoadUnsafe(ref p).AsUInt64() ^ Vector128.CreateScalar((ulong)crc);
        var x1 = Vector128.LoadUnsafe(ref p, 16).AsUInt64();
        var x2 = Vector128.LoadUnsafe(ref p, 32).AsUInt64();
        var x3 = Vector128.LoadUnsafe(ref p, 48).AsUInt64();
        int i = 64;
        var k4 = _fold4;
        while (i + 64 <= n)
        {
            x0 = Fold(x0, k4) ^ Vector128.LoadUnsafe(ref p, (nuint)i).AsUInt64();
            x1 = Fold(x1, k4) ^ Vector128.LoadUnsafe(ref p, (nuint)(i + 16)).AsUInt64();
            x2 = Fold(x2, k4) ^ Vector128.LoadUnsafe(ref p, (nuint)(i + 32)).AsUInt64();
            x3 = Fold(x3, k4) ^ Vector128.LoadUnsafe(ref p, (nuint)(i + 48)).AsUInt64();
            i += 64;
        }

        var k1 = _fold1;
        var x = Fold(x0, k1) ^ x1;
        x = Fold(x, k1) ^ x2;
        x = Fold(x, k1) ^ x3;
        while (i + 16 <= n)
        {
            x = Fold(x, k1) ^ Vector128.LoadUnsafe(ref p, (nuint)i).AsUInt64();
            i += 16;
        }

        // What is left is a 16-octet message congruent to everything folded so far; its CRC from a
        // zero register is the CRC of that prefix, and the tail continues from there.
        Span<byte> remainder = stackalloc byte[16];
        x.AsByte().StoreUnsafe(ref MemoryMarshal.GetReference(remainder));
        crc = UpdateSliced(0, remainder);
        return UpdateSliced(crc, data[i..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Fold(Vector128<ulong> x, Vector128<ulong> k) =>
        Pclmulqdq.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.CarrylessMultiply(x, k, 0x11);

    private static uint[] BuildSlicingTables(uint reflectedPolynomial)
    {
        var table = new uint[8 * 256];
        for (uint b = 0; b < 256; b++)
        {
            uint crc = b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ reflectedPolynomial : crc >> 1;
            table[b] = crc;
        }
        // Table k gives the CRC of an octet followed by k zero octets.
        for (int k = 1; k < 8; k++)
        {
            for (int b = 0; b < 256; b++)
            {
                uint previous = table[((k - 1) * 256) + b];
                table[(k * 256) + b] = (previous >> 8) ^ table[previous & 0xFF];
            }
        }
        return table;
    }

    private static uint Reflect(ulong polynomial, int width)
    {
        uint reflected = 0;
        for (int i = 0; i < width; i++)
        {
            if (((polynomial >> i) & 1) != 0)
                reflected |= 1u << (width - 1 - i);
        }
        return reflected;
    }

    private static ulong XPowerModP(int exponent, ulong polynomial, int width)
    {
        ulong r = 1;
        for (int i = 0; i < exponent; i++)
        {
            r <<= 1;
            if (((r >> width) & 1) != 0)
                r ^= polynomial;
        }
        return r;
    }

    // Coefficient of x^i goes to bit 63 - i: the layout of a 64-bit half loaded from a bit-reversed message.
    private static ulong ReflectInto64(ulong remainder, int width)
    {
        ulong v = 0;
        for (int i = 0; i < width; i++)
        {
            if (((remainder >> i) & 1) != 0)
                v |= 1UL << (63 - i);
        }
        return v;
    }
}
