using System.Runtime.InteropServices;
using System.Text;
using LinkActors.Emulator.Interop;

namespace LinkActors.Emulator.Faults;

/// <summary>
/// A named pipe a person writes control lines to (<c>echo drop-carrier &gt; /tmp/x/control</c>). It is
/// opened read-write so that it never reports end-of-file between writers, and polled so that
/// <see cref="Dispose"/> stops the reader promptly.
/// </summary>
public sealed unsafe class ControlFifo : IDisposable
{
    private const int PollIntervalMilliseconds = 100;

    private readonly int _fd;
    private readonly Thread _reader;
    private readonly Action<string> _onLine;
    private readonly bool _created;
    private volatile bool _stopping;

    private ControlFifo(string path, int fd, bool created, Action<string> onLine)
    {
        Path = path;
        _fd = fd;
        _created = created;
        _onLine = onLine;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "control " + path };
    }

    public string Path { get; }

    /// <summary>Creates the FIFO if needed (mode 0600) and starts calling <paramref name="onLine"/> per line.</summary>
    public static ControlFifo Open(string path, Action<string> onLine)
    {
        bool created = false;
        if (!File.Exists(path))
        {
            string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (directory is not null)
                Directory.CreateDirectory(directory);
            if (Libc.Mkfifo(path, 0x180) != 0)
                throw Libc.LastError("mkfifo " + path);
            created = true;
        }
        int fd = Libc.Open(path, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0)
            throw Libc.LastError("open " + path);
        var fifo = new ControlFifo(path, fd, created, onLine);
        fifo._reader.Start();
        return fifo;
    }

    public void Dispose()
    {
        if (_stopping)
            return;
        _stopping = true;
        if (Thread.CurrentThread != _reader)
            _reader.Join();
        Libc.Close(_fd);
        if (_created)
            File.Delete(Path);
    }

    private void ReadLoop()
    {
        byte[] buffer = new byte[1024];
        var line = new StringBuilder();
        while (!_stopping)
        {
            short revents = Libc.PollOne(_fd, Libc.POLLIN, PollIntervalMilliseconds);
            if ((revents & Libc.POLLIN) == 0)
                continue;
            nint n;
            fixed (byte* p = buffer)
                n = Libc.Read(_fd, p, buffer.Length);
            if (n <= 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (n < 0 && errno is not (Libc.EAGAIN or Libc.EINTR))
                    return;
                continue;
            }
            foreach (char c in Encoding.UTF8.GetString(buffer, 0, (int)n))
            {
                if (c == '\n')
                {
                    string text = line.ToString().Trim();
                    line.Clear();
                    if (text.Length > 0)
                        _onLine(text);
                }
                else if (line.Length < 1024)
                {
                    line.Append(c);
                }
            }
        }
    }
}
