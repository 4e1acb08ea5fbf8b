namespace LinkActors.Ppp.Cmux;

/// <summary>
/// Finds basic-option frames (TS 27.010 §5.2.6) in the octets from the line. Fed chunks of any size, split
/// anywhere, it keeps its place between them: an explicit state per field. Frames with a bad FCS, too much
/// Information for N1, or a broken header are counted and dropped, and the decoder hunts for the next flag.
/// One decoder per line; not thread-safe.
/// </summary>
public sealed class CmuxDecoder
{
    private enum State
    {
        /// <summary>Outside any frame: skip to a flag.</summary>
        Hunting,

        /// <summary>After a flag: the address, or another flag (fill between frames).</summary>
        Address,
        Control,
        Length,
        LengthHigh,
        Information,
        Fcs,
        ClosingFlag,
    }

    private readonly byte[] _buffer;
    private readonly int _n1;
    private State _state = State.Hunting;
    private byte _address;
    private byte _control;
    private byte _lengthLow;
    private int _length;
    private int _filled;
    private byte _headerCrc;
    private bool _fcsGood;

    private long _frames;
    private long _badFcs;
    private long _oversize;
    private long _malformed;
    private long _discarded;
    private long _bytes;

    /// <param name="n1">The most Information a frame may carry (§5.7.2): 1..32768, 31 by default.</param>
    public CmuxDecoder(int n1 = Cmux.DefaultN1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n1, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n1, Cmux.MaxN1);
        _n1 = n1;
        _buffer = new byte[n1];
    }

    public int N1 => _n1;

    public CmuxCounters Counters => new(_frames, _badFcs, _oversize, _malformed, _discarded, _bytes);

    /// <summary>Decodes a chunk, calling <paramref name="sink"/> once per intact frame completed in it, in order.</summary>
    public void Decode(ReadOnlySpan<byte> chunk, ICmuxFrameSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _bytes += chunk.Length;
        int i = 0;
        while (i < chunk.Length)
        {
            switch (_state)
            {
                case State.Hunting:
                {
                    int flag = chunk[i..].IndexOf(Cmux.Flag);
                    if (flag < 0)
                    {
                        _discarded += chunk.Length - i;
                        return;
                    }
                    _discarded += flag;
                    i += flag + 1;
                    _state = State.Address;
                    break;
                }
                case State.Address:
                {
                    byte octet = chunk[i++];
                    if (octet == Cmux.Flag)
                        break;
                    // §5.2.1.2: the basic option's address is one octet, so its EA bit is set.
                    if ((octet & Cmux.ExtensionBit) == 0)
                    {
                        Malformed();
                        break;
                    }
                    _address = octet;
                    _headerCrc = CmuxFcs.Update(0xFF, [octet]);
                    _state = State.Control;
                    break;
                }
                case State.Control:
                {
                    byte octet = chunk[i++];
                    if (!IsKnownType((byte)(octet & ~Cmux.PollFinalBit)))
                    {
                        Malformed();
                        break;
                    }
                    _control = octet;
                    _headerCrc = CmuxFcs.Update(_headerCrc, [octet]);
                    _state = State.Length;
                    break;
                }
                case State.Length:
                {
                    byte octet = chunk[i++];
                    _headerCrc = CmuxFcs.Update(_headerCrc, [octet]);
                    if ((octet & Cmux.ExtensionBit) != 0)
                        StartInformation(octet >> 1);
                    else
                    {
                        _lengthLow = octet;
                        _state = State.LengthHigh;
                    }
                    break;
                }
                case State.LengthHigh:
                {
                    byte octet = chunk[i++];
                    _headerCrc = CmuxFcs.Update(_headerCrc, [octet]);
                    StartInformation((_lengthLow >> 1) | (octet << 7));
                    break;
                }
                case State.Information:
                {
                    int take = Math.Min(_length - _filled, chunk.Length - i);
                    chunk.Slice(i, take).CopyTo(_buffer.AsSpan(_filled));
                    _filled += take;
                    i += take;
                    if (_filled == _length)
                        _state = State.Fcs;
                    break;
                }
                case State.Fcs:
                {
                    byte fcs = chunk[i++];
                    byte crc = _headerCrc;
                    // §5.2.1.6: the information counts only outside UIH.
                    if ((_control & ~Cmux.PollFinalBit) != (byte)CmuxFrameType.Uih)
                        crc = CmuxFcs.Update(crc, _buffer.AsSpan(0, _length));
                    _fcsGood = CmuxFcs.Update(crc, [fcs]) == CmuxFcs.GoodRemainder;
                    _state = State.ClosingFlag;
                    break;
                }
                case State.ClosingFlag:
                {
                    byte octet = chunk[i++];
                    if (octet != Cmux.Flag)
                    {
                        if (_fcsGood)
                            _malformed++;
                        else
                            _badFcs++;
                        _state = State.Hunting;
                        break;
                    }
                    // The closing flag may also open the next frame.
                    _state = State.Address;
                    if (!_fcsGood)
                    {
                        _badFcs++;
                        break;
                    }
                    _frames++;
                    sink.OnFrame(
                        _address >> 2,
                        (_address & Cmux.CommandResponseBit) != 0,
                        (CmuxFrameType)(_control & ~Cmux.PollFinalBit),
                        (_control & Cmux.PollFinalBit) != 0,
                        _buffer.AsSpan(0, _length));
                    break;
                }
            }
        }
    }

    /// <summary>Decodes a chunk into a list of frames (tests, and callers that keep frames anyway).</summary>
    public IReadOnlyList<CmuxFrame> Decode(ReadOnlySpan<byte> chunk)
    {
        var collector = new Collector();
        Decode(chunk, collector);
        return collector.Frames;
    }

    private void StartInformation(int length)
    {
        // §5.7.2: a frame longer than N1 is not accepted.
        if (length > _n1)
        {
            _oversize++;
            _state = State.Hunting;
            return;
        }
        _length = length;
        _filled = 0;
        _state = length == 0 ? State.Fcs : State.Information;
    }

    private void Malformed()
    {
        _malformed++;
        _state = State.Hunting;
    }

    private static bool IsKnownType(byte control) => control is
        (byte)CmuxFrameType.Sabm or (byte)CmuxFrameType.Ua or (byte)CmuxFrameType.Dm or
        (byte)CmuxFrameType.Disc or (byte)CmuxFrameType.Uih or (byte)CmuxFrameType.Ui;

    private sealed class Collector : ICmuxFrameSink
    {
        public List<CmuxFrame> Frames { get; } = [];

        public void OnFrame(int dlci, bool commandResponse, CmuxFrameType type, bool pollFinal, ReadOnlySpan<byte> information) =>
            Frames.Add(new CmuxFrame(dlci, commandResponse, type, pollFinal, information.ToArray()));
    }
}
