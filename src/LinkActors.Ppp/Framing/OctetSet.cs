using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LinkActors.Ppp.Framing;

/// <summary>
/// An immutable set of octets that stop a run of ordinary data: those to escape when sending, or
/// those to act on when receiving. Built once per ACCM or escape-set change, never per frame.
/// </summary>
internal sealed class OctetSet
{
    private static readonly Vector256<byte> BitOfHighNibble = Vector256.Create(
        Vector128.Create((byte)1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128));

    private readonly byte[] _members = new byte[256];

    private OctetSet(ReadOnlySpan<bool> members)
    {
        var values = new List<byte>();
        Span<byte> rowsLow = stackalloc byte[16];
        Span<byte> rowsHigh = stackalloc byte[16];
        for (int b = 0; b < 256; b++)
        {
            if (!members[b])
                continue;
            _members[b] = 1;
            values.Add((byte)b);
            int row = b & 0x0F;
            int column = b >> 4;
            if (column < 8)
                rowsLow[row] |= (byte)(1 << column);
            else
                rowsHigh[row] |= (byte)(1 << (column - 8));
        }
        Search = SearchValues.Create(values.ToArray());
        RowsLow = Vector256.Create(Vector128.Create((ReadOnlySpan<byte>)rowsLow));
        RowsHigh = Vector256.Create(Vector128.Create((ReadOnlySpan<byte>)rowsHigh));
        RowsLow128 = Vector128.Create((ReadOnlySpan<byte>)rowsLow);
        RowsHigh128 = Vector128.Create((ReadOnlySpan<byte>)rowsHigh);
        RowsLow512 = Vector512.Create(RowsLow, RowsLow);
        RowsHigh512 = Vector512.Create(RowsHigh, RowsHigh);
    }

    public SearchValues<byte> Search { get; }

    /// <summary>Bit c of entry r is set when octet c·16 + r is a member, for c below 8.</summary>
    public Vector256<byte> RowsLow { get; }

    /// <summary>Bit c - 8 of entry r is set when octet c·16 + r is a member, for c from 8.</summary>
    public Vector256<byte> RowsHigh { get; }

    public Vector128<byte> RowsLow128 { get; }

    public Vector128<byte> RowsHigh128 { get; }

    public Vector512<byte> RowsLow512 { get; }

    public Vector512<byte> RowsHigh512 { get; }

    /// <summary>A 256-entry table, 1 for members, for lookups without a bounds check.</summary>
    public ref byte Table => ref MemoryMarshal.GetArrayDataReference(_members);

    public bool Contains(byte value) => _members[value] != 0;

    /// <summary>The octets HDLC framing always escapes plus the control characters in <paramref name="accm"/> and <paramref name="extra"/>.</summary>
    public static OctetSet Create(uint accm, ReadOnlySpan<bool> extra)
    {
        Span<bool> members = stackalloc bool[256];
        for (int b = 0; b < 0x20; b++)
            members[b] = Accm.Contains(accm, (byte)b);
        for (int b = 0; b < extra.Length; b++)
            members[b] |= extra[b];
        // RFC 1662 §4.2: Flag and Control Escape are always escaped, whatever the ACCM says.
        members[Hdlc.Flag] = true;
        members[Hdlc.ControlEscape] = true;
        return new OctetSet(members);
    }

    public static bool VectorsSupported => Avx2.IsSupported;

    /// <summary>
    /// 16-octet vectors through the cross-platform API: AdvSimd on ARM64 (a Raspberry Pi), SSE on x64
    /// without AVX2. Used where <see cref="VectorsSupported"/> is false.
    /// </summary>
    public static bool Vector128Supported => Vector128.IsHardwareAccelerated;

    /// <summary>The widest path the encoder and decoder take on this machine, as the runtime allows it.</summary>
    public static HdlcVectorPath Path =>
        CompressSupported && VectorsSupported ? HdlcVectorPath.Avx512
        : VectorsSupported ? HdlcVectorPath.Avx2
        : Vector128Supported ? HdlcVectorPath.Vector128
        : HdlcVectorPath.Scalar;

    /// <summary>Byte compress and two-table byte permutes: escapes are added or removed without a loop.</summary>
    public static bool CompressSupported =>
        Avx512Vbmi2.IsSupported && Avx512Vbmi.IsSupported && Avx512BW.IsSupported;

    /// <summary>One bit per lane of <paramref name="v"/>, set where the octet is a member.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Match(Vector256<byte> v, Vector256<byte> rowsLow, Vector256<byte> rowsHigh) =>
        ~Vector256.Equals(MatchHits(v, rowsLow, rowsHigh), Vector256<byte>.Zero).ExtractMostSignificantBits();

    /// <summary>All ones in the lanes of <paramref name="v"/> that hold a member, zero elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> MatchLanes(Vector256<byte> v, Vector256<byte> rowsLow, Vector256<byte> rowsHigh) =>
        ~Vector256.Equals(MatchHits(v, rowsLow, rowsHigh), Vector256<byte>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> MatchHits(Vector256<byte> v, Vector256<byte> rowsLow, Vector256<byte> rowsHigh)
    {
        // PSHUFB yields zero for an index with its top bit set, so each table answers only for its half
        // of the octet range and the two results can simply be or'd.
        var rows = Avx2.Shuffle(rowsLow, v) | Avx2.Shuffle(rowsHigh, v ^ Vector256.Create((byte)0x80));
        var highNibble = Avx2.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & Vector256.Create((byte)0x0F);
        return rows & Avx2.Shuffle(BitOfHighNibble, highNibble);
    }

    /// <summary>One bit per lane of <paramref name="v"/>, set where the octet is a member.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Match(Vector128<byte> v, Vector128<byte> rowsLow, Vector128<byte> rowsHigh)
    {
        // Every index is kept within 0-15, where PSHUFB (x64) and TBL (ARM64) agree, so the native
        // shuffle needs no fix-up for out-of-range lanes.
        var row = v & Vector128.Create((byte)0x0F);
        var column = Vector128.ShiftRightLogical(v, 4);
        var upperHalf = Vector128.LessThan(v.AsSByte(), Vector128<sbyte>.Zero).AsByte();
        var rows = Vector128.ConditionalSelect(
            upperHalf, Vector128.ShuffleNative(rowsHigh, row), Vector128.ShuffleNative(rowsLow, row));
        var hit = rows & Vector128.ShuffleNative(BitOfHighNibble.GetLower(), column);
        return ~Vector128.Equals(hit, Vector128<byte>.Zero).ExtractMostSignificantBits() & 0xFFFF;
    }

    /// <summary>All ones in the lanes of <paramref name="v"/> that hold a member, zero elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> MatchLanes(Vector512<byte> v, Vector512<byte> rowsLow, Vector512<byte> rowsHigh)
    {
        var rows = Avx512BW.Shuffle(rowsLow, v) | Avx512BW.Shuffle(rowsHigh, v ^ Vector512.Create((byte)0x80));
        var highNibble = Avx512BW.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & Vector512.Create((byte)0x0F);
        var hit = rows & Avx512BW.Shuffle(Vector512.Create(BitOfHighNibble, BitOfHighNibble), highNibble);
        return ~Vector512.Equals(hit, Vector512<byte>.Zero);
    }
}
