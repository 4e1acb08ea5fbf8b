using Akka.Event;
using LinkActors.Linux.Files;
using LinkActors.Ppp.Trace;

namespace LinkActors.Actors.Framing;

/// <summary>
/// The pppd record file of one link (pppd's <c>record</c> option): every raw chunk both ways, as
/// pppdump and Wireshark read it. A diagnostic only: a file that cannot be opened or written is
/// logged once and recording stops, and the link goes on; an I/O error here must never restart
/// the framing actor and lose its routes.
/// </summary>
internal sealed class LineRecorder : IDisposable
{
    private readonly string _path;
    private readonly ILoggingAdapter _log;
    private RecordWriter? _writer;

    private LineRecorder(string path, RecordWriter writer, ILoggingAdapter log)
    {
        _path = path;
        _writer = writer;
        _log = log;
    }

    /// <summary>Appends to <paramref name="path"/> (as pppd does; each run has its own start record); null when it cannot.</summary>
    public static LineRecorder? Open(string path, DateTimeOffset start, ILoggingAdapter log)
    {
        FileStream? stream = null;
        try
        {
            // 0600: the record holds what crossed the line, PAP passwords included (pppd's record does too).
            stream = SafeFile.OpenAppend(path, SafeFile.OwnerOnly, bufferSize: 64 * 1024);
            return new LineRecorder(path, new RecordWriter(stream, start), log);
        }
        catch (Exception e) when (IsFileError(e))
        {
            stream?.Dispose();
            log.Error("cannot open the record file {Path}: {Reason}", path, e.Message);
            return null;
        }
    }

    public void Sent(ReadOnlySpan<byte> bytes, DateTimeOffset at)
    {
        try
        {
            _writer?.WriteSent(bytes, at);
        }
        catch (Exception e) when (IsFileError(e))
        {
            Stop(e);
        }
    }

    public void Received(ReadOnlySpan<byte> bytes, DateTimeOffset at)
    {
        try
        {
            _writer?.WriteReceived(bytes, at);
        }
        catch (Exception e) when (IsFileError(e))
        {
            Stop(e);
        }
    }

    public void Dispose()
    {
        try
        {
            _writer?.Dispose();
        }
        catch (Exception e) when (IsFileError(e))
        {
            _log.Error("cannot finish the record file {Path}: {Reason}", _path, e.Message);
        }

        _writer = null;
    }

    private void Stop(Exception e)
    {
        _log.Error("recording to {Path} stopped: {Reason}", _path, e.Message);
        Dispose();
    }

    private static bool IsFileError(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;
}
