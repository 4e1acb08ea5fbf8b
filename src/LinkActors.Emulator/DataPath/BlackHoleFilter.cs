using System.Buffers;
using LinkActors.Ppp.Framing;
using LinkActors.Ppp.Packets;

namespace LinkActors.Emulator.DataPath;

/// <summary>
/// The failure of the BC66 field report, for one direction: PPP negotiates, then no IP packet gets through.
/// While enabled, the octet stream is cut at flags; each flag-delimited segment is decoded with
/// <see cref="HdlcDecoder"/>, and a segment that is an intact frame carrying a network-layer datagram is
/// left out. Everything else (control protocols, damaged frames, text between frames, the flags
/// themselves) passes octet for octet, so the stream after a dropped frame is exactly what was sent.
/// Not thread-safe: one per direction. With an <see cref="FrameInspector"/>, while <c>inspecting</c> says so
/// (or the black hole is on), every intact network-layer frame is also shown to it, and it may take the
/// frame off the line; otherwise the octets pass as they come, unheld.
/// </summary>
internal sealed class BlackHoleFilter(FrameInspector? inspect = null, Func<bool>? inspecting = null)
{
    // A segment longer than any frame (the largest MRU, escaped, plus header and FCS) is not a frame:
    // it is passed on as it is rather than held without bound.
    private const int MaxSegment = (2 * (ushort.MaxValue + 8)) + 2;

    private readonly HdlcDecoder _decoder = new(ushort.MaxValue)
    {
        // Accept every control character as data: whether the sender escaped them depends on the ACCM the
        // two ends negotiated, which the emulator does not track; the FCS still has the last word.
        ReceiveAccm = 0,
    };
    private readonly ProtocolCapture _capture = new();
    private byte[] _segment = new byte[2048];
    private int _segmentLength;
    private bool _inFrame;

    public long FramesDropped { get; private set; }

    /// <summary>Writes what passes of <paramref name="input"/> to <paramref name="output"/>.</summary>
    public void Process(ReadOnlySpan<byte> input, bool enabled, IBufferWriter<byte> output)
    {
        if (!enabled && (inspect is null || inspecting?.Invoke() == false))
        {
            // Switched off mid-frame: the held part goes out first, then everything as it comes.
            Flush(output);
            _inFrame = false;
            output.Write(input);
            return;
        }

        while (!input.IsEmpty)
        {
            int flag = input.IndexOf(Hdlc.Flag);
            if (!_inFrame)
            {
                // Hunting (RFC 1662 §4.4): text before the first flag is not a frame.
                if (flag < 0)
                {
                    output.Write(input);
                    return;
                }
                output.Write(input[..(flag + 1)]);
                input = input[(flag + 1)..];
                _inFrame = true;
                _segmentLength = 0;
                continue;
            }

            if (flag < 0)
            {
                Hold(input, output);
                return;
            }
            Hold(input[..flag], output);
            if (_inFrame)
            {
                if (!IsNetworkDatagram())
                    output.Write(_segment.AsSpan(0, _segmentLength));
                else if (enabled)
                {
                    inspect?.Invoke((ushort)_capture.Protocol, _capture.Information, blackHole: true);
                    FramesDropped++;
                }
                else if (!inspect!((ushort)_capture.Protocol, _capture.Information, blackHole: false))
                    output.Write(_segment.AsSpan(0, _segmentLength));
                _segmentLength = 0;
            }
            // The closing flag passes even after a dropped frame: it may also open the next frame, and
            // alone after the previous flag it is an empty frame, which receivers ignore (RFC 1662 §3.1).
            output.Write([Hdlc.Flag]);
            _inFrame = true;
            input = input[(flag + 1)..];
        }
    }

    /// <summary>True when <paramref name="protocol"/> carries IP traffic rather than link control.</summary>
    public static bool IsNetworkDatagram(ushort protocol) => protocol is
        PppProtocol.Ipv4 or PppProtocol.Ipv6 or PppProtocol.VjCompressedTcp or PppProtocol.VjUncompressedTcp;

    private void Hold(ReadOnlySpan<byte> part, IBufferWriter<byte> output)
    {
        if (_segmentLength + part.Length > MaxSegment)
        {
            // Too long to be a frame: give up on it and pass it and the rest up to the next flag.
            output.Write(_segment.AsSpan(0, _segmentLength));
            output.Write(part);
            _segmentLength = 0;
            _inFrame = false;
            return;
        }
        if (_segmentLength + part.Length > _segment.Length)
            Array.Resize(ref _segment, Math.Max(_segment.Length * 2, _segmentLength + part.Length));
        part.CopyTo(_segment.AsSpan(_segmentLength));
        _segmentLength += part.Length;
    }

    private bool IsNetworkDatagram()
    {
        if (_segmentLength == 0)
            return false;
        _capture.Protocol = -1;
        _decoder.Reset();
        _decoder.Decode([Hdlc.Flag], _capture);
        _decoder.Decode(_segment.AsSpan(0, _segmentLength), _capture);
        _decoder.Decode([Hdlc.Flag], _capture);
        return _capture.Protocol >= 0 && IsNetworkDatagram((ushort)_capture.Protocol);
    }

    private void Flush(IBufferWriter<byte> output)
    {
        if (_segmentLength > 0)
            output.Write(_segment.AsSpan(0, _segmentLength));
        _segmentLength = 0;
    }

    private sealed class ProtocolCapture : IHdlcFrameSink
    {
        public int Protocol = -1;
        public byte[] Information = [];

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information)
        {
            Protocol = protocol;
            Information = information.ToArray();
        }
    }
}

/// <summary>Sees one intact network-layer frame; true takes it off the line.</summary>
/// <param name="blackHole">The black hole drops the frame anyway: count it, answer nothing.</param>
internal delegate bool FrameInspector(ushort protocol, byte[] information, bool blackHole);
