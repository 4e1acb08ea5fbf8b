namespace LinkActors.Linux.Interop;

/// <summary>The errno values the Linux layer and its users tell apart (asm-generic/errno-base.h, errno.h).</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EAGAIN = 11;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EADDRNOTAVAIL = 99;
}
