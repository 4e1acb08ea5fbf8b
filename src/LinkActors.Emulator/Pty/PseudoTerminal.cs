using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using LinkActors.Emulator.Interop;

namespace LinkActors.Emulator.Pty;

/// <summary>
/// A pseudo-terminal whose slave side (<see cref="SlavePath"/>, optionally also reachable through a symlink)
/// is the modem's serial port for a client; the emulator owns the master side. One thread reads the master
/// and hands each chunk to the receiver, one thread writes queued output in order. Both poll with a short
/// timeout so that <see cref="Dispose"/> stops them promptly whatever the client does.
/// </summary>
internal sealed unsafe class PseudoTerminal : IDisposable
{
    private const int PollIntervalMilliseconds = 50;
    private const int ReadBufferSize = 4096;

    private readonly int _master;
    private readonly int _slaveKeepAlive;
    private readonly BlockingCollection<byte[]> _output = new(new ConcurrentQueue<byte[]>());
    private readonly Thread _reader;
    private readonly Thread _writer;
    private readonly Action<ReadOnlySpan<byte>> _onReceived;
    private readonly Action<Exception> _onFailed;
    private volatile bool _stopping;
    private int _disposed;

    private PseudoTerminal(int master, int slaveKeepAlive, string slavePath, string? linkPath,
        Action<ReadOnlySpan<byte>> onReceived, Action<Exception> onFailed)
    {
        _master = master;
        _slaveKeepAlive = slaveKeepAlive;
        SlavePath = slavePath;
        LinkPath = linkPath;
        _onReceived = onReceived;
        _onFailed = onFailed;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "pty-read " + slavePath };
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "pty-write " + slavePath };
    }

    /// <summary>The slave device, e.g. /dev/pts/3.</summary>
    public string SlavePath { get; }

    /// <summary>The symlink to <see cref="SlavePath"/>, when one was asked for.</summary>
    public string? LinkPath { get; }

    /// <summary>Opens a pty in raw mode and starts its threads. <paramref name="onReceived"/> runs on the read thread.</summary>
    public static PseudoTerminal Open(string? linkPath, Action<ReadOnlySpan<byte>> onReceived, Action<Exception> onFailed)
    {
        int master = Libc.PosixOpenpt(Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (master < 0)
            throw Libc.LastError("posix_openpt");
        int slave = -1;
        try
        {
            if (Libc.Grantpt(master) != 0)
                throw Libc.LastError("grantpt");
            if (Libc.Unlockpt(master) != 0)
                throw Libc.LastError("unlockpt");
            string slavePath = SlaveName(master);

            // The emulator keeps the slave open itself: with no slave descriptor open, the master reports
            // hang-up and reads fail with EIO, which would make the read loop spin between two clients.
            slave = Libc.Open(slavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (slave < 0)
                throw Libc.LastError("open " + slavePath);
            MakeRaw(slave);

            if (linkPath is not null)
                CreateLink(linkPath, slavePath);

            var pty = new PseudoTerminal(master, slave, slavePath, linkPath, onReceived, onFailed);
            pty._reader.Start();
            pty._writer.Start();
            return pty;
        }
        catch
        {
            if (slave >= 0)
                Libc.Close(slave);
            Libc.Close(master);
            throw;
        }
    }

    /// <summary>Queues octets for the client; they go out in the order queued.</summary>
    public void Write(byte[] data)
    {
        if (data.Length == 0 || _stopping)
            return;
        try
        {
            _output.Add(data);
        }
        catch (InvalidOperationException)
        {
            // Completed by Dispose while a late writer raced it: the octets have nowhere to go.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stopping = true;
        _output.CompleteAdding();
        if (Thread.CurrentThread != _reader)
            _reader.Join();
        if (Thread.CurrentThread != _writer)
            _writer.Join();
        _output.Dispose();
        if (LinkPath is not null)
            RemoveLink(LinkPath, SlavePath);
        Libc.Close(_slaveKeepAlive);
        Libc.Close(_master);
    }

    private static string SlaveName(int master)
    {
        byte* buffer = stackalloc byte[128];
        int rc = Libc.PtsnameR(master, buffer, 128);
        if (rc != 0)
            throw Libc.Error("ptsname_r", rc);
        return Marshal.PtrToStringUTF8((nint)buffer) ?? throw new IOException("ptsname_r returned no name");
    }

    private static void MakeRaw(int fd)
    {
        byte* termios = stackalloc byte[Libc.TermiosBufferSize];
        new Span<byte>(termios, Libc.TermiosBufferSize).Clear();
        if (Libc.Tcgetattr(fd, termios) != 0)
            throw Libc.LastError("tcgetattr");
        // A modem passes every octet untouched: no echo, no line editing, no CR/NL translation, 8 bits.
        Libc.Cfmakeraw(termios);
        if (Libc.Tcsetattr(fd, Libc.TCSANOW, termios) != 0)
            throw Libc.LastError("tcsetattr");
    }

    private static void CreateLink(string linkPath, string slavePath)
    {
        var existing = new FileInfo(linkPath);
        if (existing.LinkTarget is not null)
            existing.Delete();
        else if (existing.Exists)
            throw new IOException($"{linkPath} exists and is not a symlink; refusing to replace it.");
        string? directory = Path.GetDirectoryName(Path.GetFullPath(linkPath));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        File.CreateSymbolicLink(linkPath, slavePath);
    }

    private static void RemoveLink(string linkPath, string slavePath)
    {
        try
        {
            // Another emulator may have taken the path over since; its link is left alone.
            var link = new FileInfo(linkPath);
            if (link.LinkTarget == slavePath)
                link.Delete();
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void ReadLoop()
    {
        byte[] buffer = new byte[ReadBufferSize];
        try
        {
            while (!_stopping)
            {
                short revents = Libc.PollOne(_master, Libc.POLLIN, PollIntervalMilliseconds);
                if (revents == 0)
                    continue;
                if ((revents & Libc.POLLIN) == 0)
                {
                    // Hang-up without data: nothing to read until a client writes again.
                    Thread.Sleep(PollIntervalMilliseconds);
                    continue;
                }
                nint n;
                fixed (byte* p = buffer)
                    n = Libc.Read(_master, p, buffer.Length);
                if (n > 0)
                {
                    _onReceived(buffer.AsSpan(0, (int)n));
                    continue;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (n < 0 && errno is not (Libc.EAGAIN or Libc.EINTR or Libc.EIO))
                    throw Libc.Error("read " + SlavePath, errno);
                if (n < 0 && errno == Libc.EIO)
                    Thread.Sleep(PollIntervalMilliseconds);
            }
        }
        catch (Exception e) when (!_stopping)
        {
            _onFailed(e);
        }
    }

    private void WriteLoop()
    {
        try
        {
            while (!_stopping)
            {
                if (!_output.TryTake(out byte[]? data, PollIntervalMilliseconds))
                    continue;
                int offset = 0;
                while (offset < data.Length && !_stopping)
                {
                    nint n;
                    fixed (byte* p = data)
                        n = Libc.Write(_master, p + offset, data.Length - offset);
                    if (n > 0)
                    {
                        offset += (int)n;
                        continue;
                    }
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EAGAIN)
                        Libc.PollOne(_master, Libc.POLLOUT, PollIntervalMilliseconds);
                    else if (errno != Libc.EINTR)
                        throw Libc.Error("write " + SlavePath, errno);
                }
            }
        }
        catch (InvalidOperationException) when (_stopping)
        {
        }
        catch (ObjectDisposedException) when (_stopping)
        {
        }
        catch (Exception e) when (!_stopping)
        {
            _onFailed(e);
        }
    }

    public override string ToString() => LinkPath is null ? SlavePath : $"{LinkPath} -> {SlavePath}";
}
