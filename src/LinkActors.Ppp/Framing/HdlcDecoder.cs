using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LinkActors.Ppp.Framing;

/// <summary>
/// Finds PPP frames in a stream of octets from an asynchronous line (RFC 1662 §4). Fed chunks of any
/// size, split anywhere; it keeps its place between them. One decoder per link; not thread-safe.
/// In steady state it allocates nothing: frames are handed over as spans of its own buffer.
/// </summary>
public sealed class HdlcDecoder
{
    // Address, Control and a two-octet Protocol: the most a header can be.
    private const int MaxHeaderLength = 4;

    // RFC 1662 §4.3: shorter than this with the 16-bit FCS, a frame is invalid.
    private const int MinFrameLength = 4;

    // Runs are copied with whole-vector stores that may reach this far past the frame's last octet.
    private const int VectorSlack = 64;

    private enum State
    {
        /// <summary>Before the first flag: octets are not part of any frame (modem text, line noise).</summary>
        Hunting,

        /// <summary>Inside a frame, after a flag.</summary>
        Frame,

        /// <summary>Inside a frame, just after Control Escape.</summary>
        Escaped,

        /// <summary>The frame outgrew the MRU: skip to the next flag.</summary>
        Discarding,
    }

    private State _state = State.Hunting;
    private byte[] _buffer;
    private int _length;
    private int _mru;
    private int _maxContent;
    private uint _receiveAccm = Accm.All;
    private OctetSet _special;

    private long _frames;
    private long _badFcs;
    private long _runts;
    private long _oversize;
    private long _aborted;
    private long _discardedBytes;
    private long _bytes;

    public HdlcDecoder(int mru = 1500)
    {
        ValidateMru(mru);
        _mru = mru;
        _maxContent = MaxContent(mru);
        _buffer = new byte[_maxContent + VectorSlack];
        _special = OctetSet.Create(_receiveAccm, default);
    }

    /// <summary>
    /// The longest Information field accepted; longer frames are counted as Oversize and dropped.
    /// Changing it allocates a larger buffer if needed, and applies to the frame in progress.
    /// </summary>
    public int Mru
    {
        get => _mru;
        set
        {
            ValidateMru(value);
            _mru = value;
            _maxContent = MaxContent(value);
            if (_buffer.Length < _maxContent + VectorSlack)
                Array.Resize(ref _buffer, _maxContent + VectorSlack);
        }
    }

    /// <summary>
    /// Our ACCM, as we asked the peer to honour it: a control character in it that arrives unescaped was
    /// inserted by equipment on the path and is dropped (RFC 1662 §4.2, §7.1).
    /// </summary>
    public uint ReceiveAccm
    {
        get => _receiveAccm;
        set
        {
            _receiveAccm = value;
            _special = OctetSet.Create(value, default);
        }
    }

    public HdlcCounters Counters =>
        new(_frames, _badFcs, _runts, _oversize, _aborted, _discardedBytes, _bytes);

    /// <summary>
    /// Consumes <paramref name="chunk"/>, calling <paramref name="sink"/> once per intact frame completed
    /// in it, in order. A frame begun in this chunk is finished by the next ones.
    /// </summary>
    public void Decode<TSink>(ReadOnlySpan<byte> chunk, TSink sink)
        where TSink : IHdlcFrameSink, allows ref struct
    {
        _bytes += chunk.Length;
        int n = chunk.Length;
        int i = 0;
        while (i < n)
        {
            switch (_state)
            {
                case State.Hunting:
                {
                    int flag = chunk[i..].IndexOf(Hdlc.Flag);
                    if (flag < 0)
                    {
                        _discardedBytes += n - i;
                        return;
                    }
                    _discardedBytes += flag;
                    i += flag + 1;
                    _length = 0;
                    _state = State.Frame;
                    break;
                }

                case State.Frame:
                {
                    OctetSet special = _special;
                    if (OctetSet.CompressSupported)
                        i = CopyBlocksByCompress(chunk, i, special);
                    if (OctetSet.VectorsSupported)
                        i = CopyBlocks<Block256>(chunk, i, special);
                    else if (OctetSet.Vector128Supported)
                        i = CopyBlocks<Block128>(chunk, i, special);

                    int run = chunk[i..].IndexOfAny(special.Search);
                    if (run < 0)
                        run = n - i;
                    if (_length + run > _maxContent)
                    {
                        _state = State.Discarding;
                        i += run;
                        break;
                    }
                    chunk.Slice(i, run).CopyTo(_buffer.AsSpan(_length));
                    _length += run;
                    i += run;
                    if (i == n)
                        break;

                    byte octet = chunk[i++];
                    if (octet == Hdlc.Flag)
                    {
                        // RFC 1662 §3.1: two flags in a row make an empty frame, which is time fill.
                        if (_length > 0 && TryTakeFrame(out ushort protocol, out int start, out int length))
                            sink.OnFrame(protocol, new ReadOnlySpan<byte>(_buffer, start, length));
                    }
                    else if (octet == Hdlc.ControlEscape)
                    {
                        _state = State.Escaped;
                    }
                    // Otherwise a control character in our ACCM arrived unescaped: something on the path
                    // inserted it, so it is removed before the FCS is computed (RFC 1662 §4.2).
                    break;
                }

                case State.Escaped:
                {
                    byte octet = chunk[i++];
                    if (octet == Hdlc.Flag)
                    {
                        // RFC 1662 §4.3: Control Escape then Flag aborts the frame.
                        _aborted++;
                        _length = 0;
                        _state = State.Frame;
                    }
                    else if (Accm.Contains(_receiveAccm, octet))
                    {
                        // RFC 1662 §4.2: dropped like anywhere else; the escape applies to the next octet.
                    }
                    else if (_length >= _maxContent)
                    {
                        _state = State.Discarding;
                    }
                    else
                    {
                        _buffer[_length++] = (byte)(octet ^ Hdlc.EscapeBit);
                        _state = State.Frame;
                    }
                    break;
                }

                case State.Discarding:
                {
                    int flag = chunk[i..].IndexOf(Hdlc.Flag);
                    if (flag < 0)
                        return;
                    i += flag + 1;
                    _oversize++;
                    _length = 0;
                    _state = State.Frame;
                    break;
                }
            }
        }
    }

    /// <summary>Drops any partial frame and waits for the next flag, as at start-up. Counters are kept.</summary>
    public void Reset()
    {
        _state = State.Hunting;
        _length = 0;
    }

    // Lane j takes lane j - 1; lane 0 takes zero.
    private static readonly Vector512<byte> PreviousLaneIndices = Vector512.Create(
        [.. Enumerable.Range(0, 64).Select(j => (byte)(j == 0 ? 64 : j - 1))]);

    /// <summary>
    /// Copies 64-octet blocks into the frame buffer, removing Control Escapes with a byte compress, up to
    /// the first flag or dropped control character. Stops early, leaving the rest to
    /// <see cref="CopyBlocks{TBlock}"/> and the state machine, when an escape's partner is special.
    /// </summary>
    private int CopyBlocksByCompress(ReadOnlySpan<byte> chunk, int i, OctetSet special)
    {
        int n = chunk.Length;
        int len = _length;
        int max = _maxContent;
        ref byte src = ref MemoryMarshal.GetReference(chunk);
        ref byte dst = ref MemoryMarshal.GetArrayDataReference(_buffer);
        var rowsLow = special.RowsLow512;
        var rowsHigh = special.RowsHigh512;
        var previous = PreviousLaneIndices;
        var controlEscape = Vector512.Create(Hdlc.ControlEscape);
        var escapeBit = Vector512.Create(Hdlc.EscapeBit);

        // Stores are 64 octets wide from a length within the MRU, which the buffer's slack allows for.
        while (i + 64 <= n && len <= max)
        {
            var v = Vector512.LoadUnsafe(ref src, (nuint)i);
            ulong mask = OctetSet.MatchLanes(v, rowsLow, rowsHigh).ExtractMostSignificantBits();
            if (mask == 0)
            {
                v.StoreUnsafe(ref dst, (nuint)len);
                i += 64;
                len += 64;
                continue;
            }

            var escapeLanes = Vector512.Equals(v, controlEscape);
            ulong escapes = escapeLanes.ExtractMostSignificantBits();
            ulong stops = mask & ~escapes;
            int limit = stops == 0 ? 64 : BitOperations.TrailingZeroCount(stops);
            escapes &= limit == 64 ? ulong.MaxValue : (1UL << limit) - 1;
            // Control Escape escaped (7D 7D) is left to the octet-by-octet rules.
            if ((escapes & (escapes << 1)) != 0)
                break;
            // An escape whose partner is beyond the limit starts the next step instead; with no two
            // escapes adjacent, the octet before it is not an escape.
            if (limit > 0 && ((escapes >> (limit - 1)) & 1) != 0)
            {
                limit--;
                escapes &= ~(1UL << limit);
            }
            if (limit == 0)
                break;

            // RFC 1662 §4.2: drop each Control Escape and complement bit 5 of the octet after it. Lanes past
            // the limit are garbage past the new length, overwritten later.
            var flip = Avx512Vbmi.PermuteVar64x8x2(escapeLanes, previous, Vector512<byte>.Zero) & escapeBit;
            Avx512Vbmi2.Compress(Vector512<byte>.Zero, ~escapeLanes, v ^ flip).StoreUnsafe(ref dst, (nuint)len);
            len += limit - BitOperations.PopCount(escapes);
            i += limit;
            if (stops != 0)
                break;
        }
        _length = len;
        return i;
    }

    /// <summary>
    /// Copies blocks of <typeparamref name="TBlock"/>'s width into the frame buffer, resolving escapes
    /// inside them, until an octet the state machine must see (a flag, a dropped control character, an
    /// escape of a special octet), the end of the chunk is near, or the frame outgrows the MRU. Returns
    /// where it stopped.
    /// </summary>
    private int CopyBlocks<TBlock>(ReadOnlySpan<byte> chunk, int i, OctetSet special) where TBlock : struct, IOctetBlock<TBlock>
    {
        int width = TBlock.Width;
        var block = TBlock.For(special);
        int n = chunk.Length;
        int len = _length;
        int max = _maxContent;
        ref byte src = ref MemoryMarshal.GetReference(chunk);
        ref byte dst = ref MemoryMarshal.GetArrayDataReference(_buffer);
        ref byte isSpecial = ref special.Table;

        // Each block is stored whole, then again from just after each escape pair; a store may run past
        // the block, and the next store overwrites the excess. Loads reach two blocks and one octet past i
        // (a pair may straddle the block's end) and stores two blocks past a length that was within the
        // MRU, inside the buffer's slack.
        while (i + 2 * width + 1 <= n && len <= max)
        {
            uint mask = block.CopyAndMatch(ref src, i, ref dst, len);
            if (mask == 0)
            {
                i += width;
                len += width;
                continue;
            }

            int copied = 0;
            do
            {
                int t = BitOperations.TrailingZeroCount(mask);
                len += t - copied;
                if (Unsafe.Add(ref src, i + t) != Hdlc.ControlEscape)
                {
                    _length = len;
                    return i + t;
                }
                byte next = Unsafe.Add(ref src, i + t + 1);
                if (Unsafe.Add(ref isSpecial, next) != 0)
                {
                    _length = len;
                    return i + t;
                }
                // RFC 1662 §4.2: the octet after Control Escape had bit 5 complemented. It is not special,
                // so its bit in the mask is clear and only the escape's own bit needs removing.
                Unsafe.Add(ref dst, len++) = (byte)(next ^ Hdlc.EscapeBit);
                copied = t + 2;
                mask &= mask - 1;
                TBlock.Copy(ref src, i + copied, ref dst, len);
            }
            while (mask != 0);

            int consumed = Math.Max(width, copied);
            len += consumed - copied;
            i += consumed;
        }
        _length = len;
        return i;
    }

    private bool TryTakeFrame(out ushort protocol, out int start, out int length)
    {
        protocol = 0;
        start = 0;
        length = 0;
        var frame = new ReadOnlySpan<byte>(_buffer, 0, _length);
        _length = 0;

        if (frame.Length < MinFrameLength)
        {
            _runts++;
            return false;
        }
        if (Fcs16.Update(Fcs16.Initial, frame) != Fcs16.GoodResidue)
        {
            _badFcs++;
            return false;
        }

        int end = frame.Length - Hdlc.FcsLength;
        int p = 0;
        // RFC 1661 §6.6: Address and Control are there exactly when the first two octets are FF 03;
        // both forms are accepted whatever was negotiated.
        if (frame[0] == Hdlc.AllStationsAddress && frame[1] == Hdlc.UnnumberedInformation)
            p = 2;

        // RFC 1661 §6.5: a Protocol octet with its low bit set is the last one, so an odd first octet
        // is a compressed one-octet field.
        if (p < end && (frame[p] & 1) != 0)
        {
            protocol = frame[p];
            p += 1;
        }
        else if (p + 2 <= end)
        {
            protocol = (ushort)((frame[p] << 8) | frame[p + 1]);
            p += 2;
        }
        else
        {
            _runts++;
            return false;
        }

        if (end - p > _mru)
        {
            _oversize++;
            return false;
        }
        _frames++;
        start = p;
        length = end - p;
        return true;
    }

    private static int MaxContent(int mru) => mru + MaxHeaderLength + Hdlc.FcsLength;

    private static void ValidateMru(int mru)
    {
        // The MRU option is 16 bits wide (RFC 1661 §6.1).
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mru);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mru, ushort.MaxValue);
    }
}
