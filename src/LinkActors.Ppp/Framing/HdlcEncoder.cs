using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Framing;

/// <summary>
/// Turns PPP packets into octet-stuffed HDLC-like frames (RFC 1662 §3, §4.2). One encoder per link
/// direction; not thread-safe. Encoding allocates nothing.
/// </summary>
public sealed class HdlcEncoder
{
    // Address, Control and a two-octet Protocol: the most a header can be.
    private const int MaxHeaderLength = 4;

    private readonly bool[] _extraEscapes = new bool[256];
    private uint _transmitAccm = Accm.All;
    private OctetSet _escaped;

    public HdlcEncoder() => _escaped = OctetSet.Create(_transmitAccm, _extraEscapes);

    /// <summary>
    /// The peer's ACCM: control characters the peer asked us to escape (RFC 1662 §7.1). All of them
    /// until LCP reaches Opened with another map.
    /// </summary>
    public uint TransmitAccm
    {
        get => _transmitAccm;
        set
        {
            _transmitAccm = value;
            _escaped = OctetSet.Create(value, _extraEscapes);
        }
    }

    /// <summary>The peer agreed to receive frames without Address and Control (RFC 1661 §6.6).</summary>
    public bool Acfc { get; set; }

    /// <summary>The peer agreed to receive one-octet Protocol fields (RFC 1661 §6.5).</summary>
    public bool Pfc { get; set; }

    /// <summary>
    /// Also escapes <paramref name="value"/>, like pppd's <c>escape</c> option. Octets 0x20-0x3F and 0x5E
    /// are refused, as pppd refuses them: escaped they become a control character the peer's ACCM may
    /// drop, or 0x7D 0x7E, the abort sequence (RFC 1662 §4.2).
    /// </summary>
    public void AddExtraEscape(byte value)
    {
        if (value is >= 0x20 and <= 0x3F or 0x5E)
            throw new ArgumentOutOfRangeException(nameof(value), value, "Octets 0x20-0x3F and 0x5E cannot be escaped.");
        _extraEscapes[value] = true;
        _escaped = OctetSet.Create(_transmitAccm, _extraEscapes);
    }

    public void ClearExtraEscapes()
    {
        Array.Clear(_extraEscapes);
        _escaped = OctetSet.Create(_transmitAccm, _extraEscapes);
    }

    /// <summary>True when <paramref name="value"/> is sent as Control Escape and value xor 0x20.</summary>
    public bool IsEscaped(byte value) => _escaped.Contains(value);

    /// <summary>
    /// The most octets <see cref="Encode"/> can write for <paramref name="informationLength"/> octets of
    /// information: two flags, and every other octet escaped. <see cref="Encode"/> needs this much room.
    /// </summary>
    public static int MaxEncodedLength(int informationLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(informationLength);
        return checked((2 * (MaxHeaderLength + informationLength + Hdlc.FcsLength)) + 2);
    }

    /// <summary>
    /// Writes one whole frame: Flag, [Address, Control], Protocol, Information, FCS-16, Flag.
    /// <paramref name="destination"/> must hold <see cref="MaxEncodedLength"/> octets, so that runs of
    /// data can be copied with whole-vector stores. Returns the number of octets written.
    /// </summary>
    public int Encode(ushort protocol, ReadOnlySpan<byte> information, Span<byte> destination)
    {
        int required = MaxEncodedLength(information.Length);
        if (destination.Length < required)
        {
            throw new ArgumentException(
                $"A frame with {information.Length} octets of information needs a destination of {required} octets, not {destination.Length}.",
                nameof(destination));
        }

        // RFC 1661 §6.5, §6.6: LCP packets always carry Address, Control and a two-octet Protocol,
        // so that a peer that has just renegotiated (or restarted) can still read them.
        bool lcp = protocol == PppProtocol.Lcp;
        Span<byte> header = stackalloc byte[MaxHeaderLength];
        int h = 0;
        if (!Acfc || lcp)
        {
            header[h++] = Hdlc.AllStationsAddress;
            header[h++] = Hdlc.UnnumberedInformation;
        }
        // RFC 1661 §6.5: only protocols whose high octet is zero can lose it, and the receiver tells the
        // forms apart by the low bit, so an (invalid) even protocol keeps both octets. RFC 1662 §4.3: a
        // frame under 4 octets is discarded as invalid, so an empty packet is never compressed that far.
        if (Pfc && !lcp && (protocol & 0xFF01) == 0x0001 && (h > 0 || !information.IsEmpty))
        {
            header[h++] = (byte)protocol;
        }
        else
        {
            header[h++] = (byte)(protocol >> 8);
            header[h++] = (byte)protocol;
        }
        header = header[..h];

        ushort fcs = (ushort)~Fcs16.Update(Fcs16.Update(Fcs16.Initial, header), information);

        OctetSet escaped = _escaped;
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        dst = Hdlc.Flag;
        int d = 1;
        for (int i = 0; i < header.Length; i++)
            d = Put(ref dst, d, header[i], escaped);
        d = PutInformation(information, ref dst, d, escaped);
        // RFC 1662 §C.2: the FCS goes least significant octet first.
        d = Put(ref dst, d, (byte)fcs, escaped);
        d = Put(ref dst, d, (byte)(fcs >> 8), escaped);
        Unsafe.Add(ref dst, d++) = Hdlc.Flag;
        return d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Put(ref byte dst, int d, byte value, OctetSet escaped)
    {
        if (escaped.Contains(value))
        {
            // RFC 1662 §4.2: Control Escape, then the octet with bit 5 complemented.
            Unsafe.Add(ref dst, d) = Hdlc.ControlEscape;
            Unsafe.Add(ref dst, d + 1) = (byte)(value ^ Hdlc.EscapeBit);
            return d + 2;
        }
        Unsafe.Add(ref dst, d) = value;
        return d + 1;
    }

    // Output lane 2k + 1 takes input octet k; lane 2k takes Control Escape, kept only if octet k is escaped.
    private static readonly Vector512<byte> SpreadIndices = Vector512.Create(
        [.. Enumerable.Range(0, 64).Select(j => (byte)((j & 1) != 0 ? j >> 1 : 64))]);

    private static readonly Vector512<byte> PairIndices = Vector512.Create(
        [.. Enumerable.Range(0, 64).Select(j => (byte)(j >> 1))]);

    private static readonly Vector512<byte> OddLanes = Vector512.Create(
        [.. Enumerable.Range(0, 64).Select(j => (byte)((j & 1) != 0 ? 0xFF : 0))]);

    /// <summary>
    /// 32 octets at a time: spread them to every other lane of a 64-octet vector with Control Escape in
    /// between, flip bit 5 of the escaped ones, and compress away the escapes not needed.
    /// </summary>
    private static int PutBlocksByCompress(ref byte src, int n, ref byte dst, ref int d, OctetSet escaped)
    {
        var rowsLow = escaped.RowsLow;
        var rowsHigh = escaped.RowsHigh;
        var spread = SpreadIndices;
        var pairs = PairIndices;
        var odd = OddLanes;
        var controlEscape = Vector512.Create(Hdlc.ControlEscape);
        var escapeBit = Vector512.Create(Hdlc.EscapeBit);
        int s = 0;
        // Stores are 64 octets wide; 64 octets of information still to come keep them inside the frame.
        while (s + 64 <= n)
        {
            var v = Vector256.LoadUnsafe(ref src, (nuint)s);
            var lanes = OctetSet.MatchLanes(v, rowsLow, rowsHigh);
            uint mask = lanes.ExtractMostSignificantBits();
            if (mask == 0)
            {
                v.StoreUnsafe(ref dst, (nuint)d);
                s += 32;
                d += 32;
                continue;
            }
            var data = Avx512Vbmi.PermuteVar64x8x2(Vector512.Create(v, v), spread, controlEscape);
            var hits = Avx512Vbmi.PermuteVar64x8x2(Vector512.Create(lanes, lanes), pairs, Vector512<byte>.Zero);
            // RFC 1662 §4.2: Control Escape, then the octet with bit 5 complemented.
            data ^= hits & odd & escapeBit;
            Avx512Vbmi2.Compress(Vector512<byte>.Zero, hits | odd, data).StoreUnsafe(ref dst, (nuint)d);
            s += 32;
            d += 32 + BitOperations.PopCount(mask);
        }
        return s;
    }

    /// <summary>
    /// Blocks of <typeparamref name="TBlock"/>'s width: each block is stored whole, then again from just
    /// after each escaped octet; a store may run past the block, but the next store or the rest of the
    /// frame overwrites it. Stopping two blocks before the end keeps every load inside the information and
    /// every store inside the frame (each remaining octet yields at least one octet of output). Returns the
    /// octets consumed.
    /// </summary>
    private static int PutBlocks<TBlock>(ref byte src, int n, ref byte dst, ref int d, OctetSet escaped) where TBlock : struct, IOctetBlock<TBlock>
    {
        int width = TBlock.Width;
        var block = TBlock.For(escaped);
        int s = 0;
        int o = d;
        while (s + 2 * width <= n)
        {
            uint mask = block.CopyAndMatch(ref src, s, ref dst, o);
            if (mask == 0)
            {
                s += width;
                o += width;
                continue;
            }

            int copied = 0;
            do
            {
                int t = BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                o += t - copied;
                // RFC 1662 §4.2: Control Escape, then the octet with bit 5 complemented.
                Unsafe.Add(ref dst, o) = Hdlc.ControlEscape;
                Unsafe.Add(ref dst, o + 1) = (byte)(Unsafe.Add(ref src, s + t) ^ Hdlc.EscapeBit);
                o += 2;
                copied = t + 1;
                TBlock.Copy(ref src, s + copied, ref dst, o);
            }
            while (mask != 0);
            o += width - copied;
            s += width;
        }
        d = o;
        return s;
    }

    private static int PutInformation(ReadOnlySpan<byte> information, ref byte dst, int d, OctetSet escaped)
    {
        ref byte src = ref MemoryMarshal.GetReference(information);
        int n = information.Length;
        int s = 0;

        if (OctetSet.CompressSupported && OctetSet.VectorsSupported)
            s = PutBlocksByCompress(ref src, n, ref dst, ref d, escaped);

        if (OctetSet.VectorsSupported)
            s += PutBlocks<Block256>(ref Unsafe.Add(ref src, s), n - s, ref dst, ref d, escaped);
        else if (OctetSet.Vector128Supported)
            s += PutBlocks<Block128>(ref Unsafe.Add(ref src, s), n - s, ref dst, ref d, escaped);

        var search = escaped.Search;
        while (s < n)
        {
            int run = information[s..].IndexOfAny(search);
            if (run < 0)
                run = n - s;
            information.Slice(s, run).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dst, d), run));
            s += run;
            d += run;
            if (s < n)
            {
                Unsafe.Add(ref dst, d) = Hdlc.ControlEscape;
                Unsafe.Add(ref dst, d + 1) = (byte)(Unsafe.Add(ref src, s) ^ Hdlc.EscapeBit);
                d += 2;
                s++;
            }
        }
        return d;
    }
}
