using System.Text;
using LinkActors.Emulator.Interop;
using Microsoft.Win32.SafeHandles;

namespace LinkActors.Emulator.Tests.Support;

/// <summary>
/// What a serial-port client does with the emulator: opens the slave path as a FileStream, writes, and
/// reads on its own thread into a buffer that tests wait on with timeouts. The read thread polls, so
/// disposing never waits on a blocked read.
/// </summary>
internal sealed class PtyClient : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly FileStream _stream;
    private readonly SafeFileHandle _handle;
    private readonly Thread _reader;
    private readonly List<byte> _received = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private volatile bool _stopping;

    public PtyClient(string path)
    {
        int fd = Libc.Open(path, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC);
        if (fd < 0)
            throw Libc.LastError("open " + path);
        _handle = new SafeFileHandle(fd, ownsHandle: true);
        _stream = new FileStream(_handle, FileAccess.ReadWrite, bufferSize: 0);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "test client " + path };
        _reader.Start();
    }

    public void Write(string text) => Write(Encoding.ASCII.GetBytes(text));

    public void Write(ReadOnlySpan<byte> data) => _stream.Write(data);

    /// <summary>Everything received so far, consumed.</summary>
    public byte[] TakeAll()
    {
        lock (_received)
        {
            byte[] all = [.. _received];
            _received.Clear();
            return all;
        }
    }

    /// <summary>Waits until <paramref name="count"/> octets have arrived and consumes exactly them.</summary>
    public async Task<byte[]> ReadExactlyAsync(int count, TimeSpan? timeout = null)
    {
        byte[]? result = await WaitForAsync(buffer => buffer.Count >= count ? count : -1, timeout);
        if (result is null)
            throw new TimeoutException($"Expected {count} octets, got {Peek().Length}: {Show(Peek())}");
        return result;
    }

    /// <summary>Waits for <paramref name="expected"/> and consumes everything up to and including it.</summary>
    public async Task<string> ExpectAsync(string expected, TimeSpan? timeout = null)
    {
        byte[] pattern = Encoding.ASCII.GetBytes(expected);
        byte[]? result = await WaitForAsync(buffer =>
        {
            int at = IndexOf(buffer, pattern);
            return at < 0 ? -1 : at + pattern.Length;
        }, timeout);
        if (result is null)
            throw new TimeoutException($"Expected {Show(pattern)}, got {Show(Peek())}");
        return Encoding.ASCII.GetString(result);
    }

    /// <summary>Sends a command line and returns the answer up to the final result (OK, ERROR, NO CARRIER, CONNECT).</summary>
    public async Task<string> CommandAsync(string command, TimeSpan? timeout = null)
    {
        Write(command + "\r");
        byte[]? result = await WaitForAsync(buffer =>
        {
            string text = Encoding.ASCII.GetString([.. buffer]);
            foreach (string final in new[] { "\r\nOK\r\n", "\r\nERROR\r\n", "\r\nNO CARRIER\r\n", "\r\nCONNECT\r\n" })
            {
                int at = text.IndexOf(final, StringComparison.Ordinal);
                if (at >= 0)
                    return at + final.Length;
            }
            return -1;
        }, timeout);
        if (result is null)
            throw new TimeoutException($"No final result to {command}; got {Show(Peek())}");
        return Encoding.ASCII.GetString(result);
    }

    /// <summary>True when nothing at all arrives for <paramref name="period"/>.</summary>
    public async Task<bool> StaysSilentAsync(TimeSpan period)
    {
        byte[]? any = await WaitForAsync(buffer => buffer.Count > 0 ? 0 : -1, period);
        return any is null && Peek().Length == 0;
    }

    public void Dispose()
    {
        _stopping = true;
        _reader.Join();
        _stream.Dispose();
        _arrived.Dispose();
    }

    public static string Show(ReadOnlySpan<byte> data) =>
        "\"" + Encoding.ASCII.GetString(data).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private byte[] Peek()
    {
        lock (_received)
            return [.. _received];
    }

    // take returns how many octets to consume once the condition holds, or -1 to keep waiting.
    private async Task<byte[]?> WaitForAsync(Func<List<byte>, int> take, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            lock (_received)
            {
                int n = take(_received);
                if (n >= 0)
                {
                    byte[] result = [.. _received.Take(n)];
                    _received.RemoveRange(0, n);
                    return result;
                }
            }
            TimeSpan remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
                return null;
            await _arrived.WaitAsync(remaining);
        }
    }

    private void ReadLoop()
    {
        byte[] buffer = new byte[4096];
        int fd = (int)_handle.DangerousGetHandle();
        while (!_stopping)
        {
            short revents = Libc.PollOne(fd, Libc.POLLIN, 50);
            if ((revents & Libc.POLLIN) == 0)
            {
                if (revents != 0)
                    Thread.Sleep(50);
                continue;
            }
            int n;
            try
            {
                n = _stream.Read(buffer);
            }
            catch (IOException)
            {
                return;
            }
            if (n <= 0)
                continue;
            lock (_received)
                _received.AddRange(buffer.AsSpan(0, n));
            _arrived.Release();
        }
    }

    private static int IndexOf(List<byte> buffer, byte[] pattern)
    {
        for (int i = 0; i + pattern.Length <= buffer.Count; i++)
        {
            int j = 0;
            while (j < pattern.Length && buffer[i + j] == pattern[j])
                j++;
            if (j == pattern.Length)
                return i;
        }
        return -1;
    }
}
