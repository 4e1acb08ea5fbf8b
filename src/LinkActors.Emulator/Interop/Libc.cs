using System.Runtime.InteropServices;

namespace LinkActors.Emulator.Interop;

/// <summary>
/// The libc calls a pseudo-terminal and a FIFO need. Every call sets errno, read back with
/// <see cref="Marshal.GetLastPInvokeError"/>. Constants are the Linux values (x86_64 and aarch64 agree).
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    internal const int O_RDONLY = 0x0;
    internal const int O_RDWR = 0x2;
    internal const int O_NOCTTY = 0x100;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;

    internal const int EINTR = 4;
    internal const int EIO = 5;
    internal const int EAGAIN = 11;

    internal const short POLLIN = 0x1;
    internal const short POLLOUT = 0x4;
    internal const short POLLERR = 0x8;
    internal const short POLLHUP = 0x10;
    internal const short POLLNVAL = 0x20;

    internal const int TCSANOW = 0;

    // glibc's struct termios is 60 octets; the buffer is larger so that its layout never matters here:
    // it is only filled by tcgetattr, changed by cfmakeraw and handed back to tcsetattr.
    internal const int TermiosBufferSize = 256;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Library, EntryPoint = "posix_openpt", SetLastError = true)]
    internal static partial int PosixOpenpt(int flags);

    [LibraryImport(Library, EntryPoint = "grantpt", SetLastError = true)]
    internal static partial int Grantpt(int fd);

    [LibraryImport(Library, EntryPoint = "unlockpt", SetLastError = true)]
    internal static partial int Unlockpt(int fd);

    [LibraryImport(Library, EntryPoint = "ptsname_r", SetLastError = true)]
    internal static partial int PtsnameR(int fd, byte* buffer, nuint length);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "tcgetattr", SetLastError = true)]
    internal static partial int Tcgetattr(int fd, byte* termios);

    [LibraryImport(Library, EntryPoint = "tcsetattr", SetLastError = true)]
    internal static partial int Tcsetattr(int fd, int optionalActions, byte* termios);

    [LibraryImport(Library, EntryPoint = "cfmakeraw")]
    internal static partial void Cfmakeraw(byte* termios);

    [LibraryImport(Library, EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mkfifo(string path, uint mode);

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for <paramref name="events"/> on one descriptor.</summary>
    internal static short PollOne(int fd, short events, int timeoutMilliseconds)
    {
        var pfd = new PollFd { Fd = fd, Events = events };
        int n = Poll(&pfd, 1, timeoutMilliseconds);
        if (n < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR)
                return 0;
            throw Error("poll", errno);
        }
        return n == 0 ? (short)0 : pfd.Revents;
    }

    internal static IOException Error(string call, int errno) =>
        new($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    internal static IOException LastError(string call) => Error(call, Marshal.GetLastPInvokeError());
}
