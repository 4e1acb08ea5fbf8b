using System.Runtime.InteropServices;

namespace LinkActors.Interop.Tests.Link;

/// <summary>
/// Opens a pty for binary use: raw mode, applied at once (TCSANOW, because the default of flushing
/// would throw away a Configure-Request pppd already wrote), and reads that return after 0.1 s
/// without data (VMIN 0, VTIME 1), so that a reader thread can notice it should stop.
/// </summary>
internal static unsafe partial class RawPty
{
    // glibc's struct termios on Linux: four tcflag_t, c_line, c_cc[32], two speed_t; 60 octets.
    private const int TermiosSize = 64;
    private const int CcOffset = 17;
    private const int VTime = 5;
    private const int VMin = 6;
    private const int TcsaNow = 0;

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static partial int TcSetAttr(int fd, int optionalActions, byte* termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static partial void CfMakeRaw(byte* termios);

    public static FileStream Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        try
        {
            int fd = (int)stream.SafeFileHandle.DangerousGetHandle();
            byte* termios = stackalloc byte[TermiosSize];
            if (TcGetAttr(fd, termios) != 0)
                throw new IOException($"tcgetattr({path}) failed: errno {Marshal.GetLastPInvokeError()}");
            CfMakeRaw(termios);
            termios[CcOffset + VMin] = 0;
            termios[CcOffset + VTime] = 1;
            if (TcSetAttr(fd, TcsaNow, termios) != 0)
                throw new IOException($"tcsetattr({path}) failed: errno {Marshal.GetLastPInvokeError()}");
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
