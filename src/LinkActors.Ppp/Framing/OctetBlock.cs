using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LinkActors.Ppp.Framing;

/// <summary>
/// One vector width of the HDLC block loops, holding an <see cref="OctetSet"/>'s rows in registers: a
/// block is loaded once, stored whole, and its members of the set found; a block copy re-stores from just
/// after an escape. The loops are written once, generic over the width (the JIT compiles one body per
/// width, with these calls inlined).
/// </summary>
internal interface IOctetBlock<TSelf> where TSelf : struct, IOctetBlock<TSelf>
{
    /// <summary>Octets in one block.</summary>
    static abstract int Width { get; }

    static abstract TSelf For(OctetSet set);

    /// <summary>Copies the block at <paramref name="from"/> to <paramref name="to"/> and returns a bit per member of the set in it.</summary>
    uint CopyAndMatch(ref byte src, int from, ref byte dst, int to);

    static abstract void Copy(ref byte src, int from, ref byte dst, int to);
}

/// <summary>32-octet blocks (AVX2).</summary>
internal readonly struct Block256(Vector256<byte> rowsLow, Vector256<byte> rowsHigh) : IOctetBlock<Block256>
{
    public static int Width => 32;

    public static Block256 For(OctetSet set) => new(set.RowsLow, set.RowsHigh);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint CopyAndMatch(ref byte src, int from, ref byte dst, int to)
    {
        var v = Vector256.LoadUnsafe(ref src, (nuint)from);
        v.StoreUnsafe(ref dst, (nuint)to);
        return OctetSet.Match(v, rowsLow, rowsHigh);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ref byte src, int from, ref byte dst, int to) =>
        Vector256.LoadUnsafe(ref src, (nuint)from).StoreUnsafe(ref dst, (nuint)to);
}

/// <summary>16-octet blocks (AdvSimd on ARM64, SSE on x64).</summary>
internal readonly struct Block128(Vector128<byte> rowsLow, Vector128<byte> rowsHigh) : IOctetBlock<Block128>
{
    public static int Width => 16;

    public static Block128 For(OctetSet set) => new(set.RowsLow128, set.RowsHigh128);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint CopyAndMatch(ref byte src, int from, ref byte dst, int to)
    {
        var v = Vector128.LoadUnsafe(ref src, (nuint)from);
        v.StoreUnsafe(ref dst, (nuint)to);
        return OctetSet.Match(v, rowsLow, rowsHigh);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ref byte src, int from, ref byte dst, int to) =>
        Vector128.LoadUnsafe(ref src, (nuint)from).StoreUnsafe(ref dst, (nuint)to);
}
