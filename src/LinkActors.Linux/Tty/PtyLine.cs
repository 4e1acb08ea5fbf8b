using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static LinkActors.Linux.Interop.Libc;
using static LinkActors.Linux.Interop.Errno;

namespace LinkActors.Linux.Tty;

/// <summary>
/// A pseudo-terminal as the line, read and written with plain read(2) and write(2) on a non-blocking
/// descriptor in raw mode. A pty has no speed, no modem lines and no hardware flow control, so none of
/// what System.IO.Ports adds applies, and its I/O loop (one request per turn of a 1 ms poll) would be
/// the limit of the link. Reads block their caller in poll(2). A write goes
/// out at once on the caller's thread when the pty takes it all, which is the common case; what it
/// refuses is finished on the thread pool as the pty drains. <see cref="Close"/> wakes both.
/// </summary>
public sealed class PtyLine : IDisposable
{
    // How long a blocked write waits in one poll before it looks at its cancellation again.
    private const int WritePollSliceMilliseconds = 50;

    private readonly SafeFileHandle _fd;
    private readonly SafeFileHandle _closing;
    private volatile bool _closed;

    private PtyLine(SafeFileHandle fd, SafeFileHandle closing)
    {
        _fd = fd;
        _closing = closing;
    }

    /// <summary>Whether <paramref name="path"/> is (a link to) the slave side of a Unix 98 pty, /dev/pts/N.</summary>
    public static bool IsPseudoTerminal(string path)
    {
        string target;
        try
        {
            target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        return target.StartsWith("/dev/pts/", StringComparison.Ordinal) && target.Length > "/dev/pts/".Length;
    }

    /// <summary>Opens the pty in raw mode for exclusive use; XON/XOFF is kept if asked for.</summary>
    public static PtyLine Open(string path, bool xonxoff)
    {
        var raw = Interop.Libc.Open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (raw < 0)
        {
            var errno = LastError;
            throw errno switch
            {
                2 => new FileNotFoundException($"{path}: no such device.", path),
                13 => new UnauthorizedAccessException($"{path}: permission denied."),
                _ => Failure($"open {path}", errno),
            };
        }
        var fd = OwnDescriptor(raw);
        SafeFileHandle? closing = null;
        try
        {
            if (TcGetAttr(fd, out var termios) != 0)
                throw Failure($"tcgetattr {path}", LastError);
            CfMakeRaw(ref termios);
            if (xonxoff)
                termios.IFlag |= IXON | IXOFF;
            if (TcSetAttr(fd, TCSANOW, termios) != 0)
                throw Failure($"tcsetattr {path}", LastError);
            // As System.IO.Ports does: nobody else opens the pty while we hold it (root still can).
            _ = Exclusive(fd);
            var eventFd = EventFd(0, EFD_CLOEXEC);
            if (eventFd < 0)
                throw Failure("eventfd", LastError);
            closing = OwnDescriptor(eventFd);
            return new PtyLine(fd, closing);
        }
        catch
        {
            closing?.Dispose();
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Waits in poll(2) until the pty has bytes, then reads what is there. Cancelling, like <see cref="Close"/>, ends reading for good.</summary>
    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation)
    {
        try
        {
            return ValueTask.FromResult(Read(buffer.Span, cancellation));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        try
        {
            var written = WriteSome(data.Span);
            return written == data.Length
                ? ValueTask.CompletedTask
                : new ValueTask(Task.Run(() => WriteRest(data[written..], cancellation), cancellation));
        }
        catch (Exception e)
        {
            return ValueTask.FromException(e);
        }
    }

    public void Dispose() => Close();

    public void Close()
    {
        if (_closed)
            return;
        _closed = true;
        Wake();
        // Released only once a read or write still inside poll(2) or read(2) has returned.
        _fd.Dispose();
        _closing.Dispose();
    }

    private int Read(Span<byte> buffer, CancellationToken cancellation)
    {
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_closed, this);
            var n = ReadSome(buffer);
            if (n >= 0)
                return n;
            using var wake = cancellation.UnsafeRegister(static self => ((PtyLine)self!).Wake(), this);
            var events = WaitFor(POLLIN, timeoutMilliseconds: -1);
            if ((events & POLLIN) == 0 && (events & (POLLHUP | POLLERR)) != 0)
            {
                // Hung up: what is left, then end of file (or the EIO a pty gives once its master is gone).
                var last = ReadSome(buffer);
                return last < 0 ? 0 : last;
            }
        }
    }

    /// <summary>Bytes read; 0 at end of file; -1 when there is nothing to read now.</summary>
    private unsafe int ReadSome(Span<byte> buffer)
    {
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
                n = Interop.Libc.Read(_fd, p, (nuint)buffer.Length);
            if (n >= 0)
                return (int)n;
            var errno = LastError;
            if (errno == EAGAIN)
                return -1;
            if (errno != EINTR)
                throw Failure("read", errno);
        }
    }

    /// <summary>Writes what the pty takes now, without waiting.</summary>
    private unsafe int WriteSome(ReadOnlySpan<byte> data)
    {
        var done = 0;
        while (done < data.Length)
        {
            nint n;
            fixed (byte* p = data[done..])
                n = Interop.Libc.Write(_fd, p, (nuint)(data.Length - done));
            if (n > 0)
            {
                done += (int)n;
                continue;
            }
            var errno = LastError;
            if (n < 0 && errno == EAGAIN)
                return done;
            if (n < 0 && errno != EINTR)
                throw Failure("write", errno);
        }
        return done;
    }

    private void WriteRest(ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        while (!data.IsEmpty)
        {
            cancellation.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_closed, this);
            WaitFor(POLLOUT, WritePollSliceMilliseconds);
            data = data[WriteSome(data.Span)..];
        }
    }

    /// <summary>poll(2) on the pty and on the close signal; the pty's events, or throws when closing.</summary>
    private unsafe short WaitFor(short events, int timeoutMilliseconds)
    {
        // Held across poll(2), so that a Close meanwhile cannot free the numbers for reuse under it.
        var fdAdded = false;
        var closingAdded = false;
        try
        {
            _fd.DangerousAddRef(ref fdAdded);
            _closing.DangerousAddRef(ref closingAdded);
            var fds = stackalloc PollFd[2];
            fds[0] = new PollFd { Fd = (int)_fd.DangerousGetHandle(), Events = events };
            fds[1] = new PollFd { Fd = (int)_closing.DangerousGetHandle(), Events = POLLIN };
            while (Interop.Libc.Poll(fds, 2, timeoutMilliseconds) < 0)
            {
                var errno = LastError;
                if (errno != EINTR)
                    throw Failure("poll", errno);
            }
            if (fds[1].Revents != 0)
                throw new ObjectDisposedException(nameof(PtyLine), "The pty was closed.");
            if ((fds[0].Revents & POLLNVAL) != 0)
                throw new ObjectDisposedException(nameof(PtyLine), "The pty descriptor is not open.");
            return fds[0].Revents;
        }
        finally
        {
            if (closingAdded)
                _closing.DangerousRelease();
            if (fdAdded)
                _fd.DangerousRelease();
        }
    }

    private static unsafe int Exclusive(SafeHandle fd) => Ioctl(fd, TIOCEXCL, null);

    private static IOException Failure(string what, int errno) => new($"{what}: {Describe(errno)}");

    /// <summary>Makes every poll on this pty return, now and from now on.</summary>
    private unsafe void Wake()
    {
        var one = 1UL;
        var added = false;
        try
        {
            _closing.DangerousAddRef(ref added);
            _ = Interop.Libc.Write(_closing, (byte*)&one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Closed already: nobody polls it any more.
        }
        finally
        {
            if (added)
                _closing.DangerousRelease();
        }
    }
}
