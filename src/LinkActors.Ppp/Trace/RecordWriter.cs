using System.Buffers.Binary;

namespace LinkActors.Ppp.Trace;

/// <summary>
/// Writes the raw bytes of a serial line in pppd's <c>record</c> file format, which pppdump and
/// Wireshark read. The file has no header; it is a stream of tagged records:
/// <code>
/// 0x07 time_t(4, BE)        start time, whole seconds since the Unix epoch
/// 0x06 n(1)                 time step of n tenths of a second
/// 0x05 n(4, BE)             time step of n tenths of a second (n > 255)
/// 0x01 length(2, BE) bytes  bytes sent on the line (HDLC-framed, as on the wire)
/// 0x02 length(2, BE) bytes  bytes received
/// 0x03 / 0x04               end of the send / receive stream
/// </code>
/// Time is never read from a clock: every write says when it happened. Times before the last
/// one written add no step, so a reader's timeline never runs backwards. Not thread-safe.
/// </summary>
public sealed class RecordWriter : IDisposable
{
    private const byte TagSent = 0x01;
    private const byte TagReceived = 0x02;
    private const byte TagEndOfSent = 0x03;
    private const byte TagEndOfReceived = 0x04;
    private const byte TagTimeStep32 = 0x05;
    private const byte TagTimeStep8 = 0x06;
    private const byte TagStartTime = 0x07;

    /// <summary>The most bytes one data record can hold: its length field is 16 bits.</summary>
    public const int MaxChunkLength = ushort.MaxValue;

    private const long TicksPerTenth = TimeSpan.TicksPerSecond / 10;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _header = new byte[8];
    private long _lastTenths;
    private bool _disposed;

    /// <summary>
    /// Starts a record file on <paramref name="stream"/> and writes the start-time record at once.
    /// </summary>
    /// <param name="stream">Where the records go; written to, never read or sought.</param>
    /// <param name="start">When the recording starts; must lie between 1970 and 2106 (a 32-bit time_t).</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when this writer is disposed.</param>
    public RecordWriter(Stream stream, DateTimeOffset start, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long seconds = start.ToUnixTimeSeconds();
        if (seconds < 0 || seconds > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(start), start, "a record file's start time is a 32-bit time_t");
        _stream = stream;
        _leaveOpen = leaveOpen;
        // Readers place every record at start-second + the sum of the steps, so the steps are
        // counted from the whole second written here, not from the sub-second start instant.
        _lastTenths = seconds * 10;
        _header[0] = TagStartTime;
        BinaryPrimitives.WriteUInt32BigEndian(_header.AsSpan(1), (uint)seconds);
        _stream.Write(_header, 0, 5);
    }

    /// <summary>Records bytes this side wrote to the line at <paramref name="at"/>.</summary>
    public void WriteSent(ReadOnlySpan<byte> bytes, DateTimeOffset at) => WriteData(TagSent, bytes, at);

    /// <summary>Records bytes this side read from the line at <paramref name="at"/>.</summary>
    public void WriteReceived(ReadOnlySpan<byte> bytes, DateTimeOffset at) => WriteData(TagReceived, bytes, at);

    /// <summary>Records that the send direction ended (the line closed for writing).</summary>
    // Wireshark's pppdump reader refuses a file that ends with these markers ("cut short in the
    // middle of a packet") although pppdump reads it; the link's recorder therefore never writes them.
    public void WriteEndOfSent(DateTimeOffset at) => WriteMarker(TagEndOfSent, at);

    /// <summary>Records that the receive direction ended (end of file from the line).</summary>
    public void WriteEndOfReceived(DateTimeOffset at) => WriteMarker(TagEndOfReceived, at);

    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stream.Flush();
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _stream.Flush();
        if (!_leaveOpen)
            _stream.Dispose();
    }

    private void WriteData(byte tag, ReadOnlySpan<byte> bytes, DateTimeOffset at)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (bytes.IsEmpty)
            return;
        WriteTimeStep(at);
        // The length field is 16 bits, so a longer write becomes consecutive records of the same
        // direction; readers concatenate them, as they do pppd's own short chunks.
        while (!bytes.IsEmpty)
        {
            int length = Math.Min(bytes.Length, MaxChunkLength);
            _header[0] = tag;
            BinaryPrimitives.WriteUInt16BigEndian(_header.AsSpan(1), (ushort)length);
            _stream.Write(_header, 0, 3);
            _stream.Write(bytes[..length]);
            bytes = bytes[length..];
        }
    }

    private void WriteMarker(byte tag, DateTimeOffset at)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteTimeStep(at);
        _stream.WriteByte(tag);
    }

    private void WriteTimeStep(DateTimeOffset at)
    {
        // Whole tenths since the epoch: a step counts the tenth-boundaries crossed since the last
        // record, so rounding never accumulates over a long recording.
        long tenths = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerTenth;
        long step = tenths - _lastTenths;
        if (step <= 0)
            return;
        _lastTenths = tenths;
        while (step > 0)
        {
            if (step <= byte.MaxValue)
            {
                _header[0] = TagTimeStep8;
                _header[1] = (byte)step;
                _stream.Write(_header, 0, 2);
                return;
            }
            int part = (int)Math.Min(step, int.MaxValue);
            _header[0] = TagTimeStep32;
            BinaryPrimitives.WriteUInt32BigEndian(_header.AsSpan(1), (uint)part);
            _stream.Write(_header, 0, 5);
            step -= part;
        }
    }
}
