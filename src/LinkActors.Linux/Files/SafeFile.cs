using System.Buffers.Binary;
using LinkActors.Linux.Interop;

namespace LinkActors.Linux.Files;

/// <summary>
/// Files the daemon (often root) creates where others may also write: lock files, the state journal,
/// record files and logs. A planted symbolic link must never make it write somewhere else, and what
/// it writes is readable only by those who should read it.
/// </summary>
public static class SafeFile
{
    /// <summary>rw------- : record files, the state journal, anything that may hold a secret.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rw-r----- : log files (the group, e.g. adm, may read them).</summary>
    public const UnixFileMode OwnerAndGroupRead = OwnerOnly | UnixFileMode.GroupRead;

    /// <summary>rw-r--r-- : UUCP lock files, which other programs read for the owner's PID.</summary>
    public const UnixFileMode PublicRead = OwnerAndGroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Creates a new file with <paramref name="mode"/>, as open(O_CREAT|O_EXCL) does: it fails if
    /// anything is at the path, a symbolic link (even a dangling one) included, so no link is followed.
    /// </summary>
    /// <exception cref="IOException">Something is already at the path.</exception>
    public static FileStream CreateNew(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("file modes and symbolic link checks are Unix only");
        return new(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = mode,
        });
    }

    /// <summary>
    /// A temporary file of ours, created fresh: whatever is at its path (a leftover, or a symbolic link
    /// someone planted) is unlinked first; unlinking removes the link itself and never touches what it
    /// points to. If something appears again in between, this fails rather than follow it.
    /// </summary>
    public static FileStream CreateTemporary(string path, UnixFileMode mode)
    {
        if (Exists(path))
            File.Delete(path);
        return CreateNew(path, mode);
    }

    /// <summary>
    /// Opens <paramref name="path"/> for appending, creating it with <paramref name="mode"/>; an existing
    /// file is narrowed to that mode. A symbolic link at the path is refused (as O_NOFOLLOW would).
    /// </summary>
    /// <exception cref="IOException">The path is a symbolic link or cannot be opened.</exception>
    public static FileStream OpenAppend(string path, UnixFileMode mode, int bufferSize = 4096)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("file modes and symbolic link checks are Unix only");
        if (IsSymbolicLink(path))
            throw new IOException($"{path} is a symbolic link; it is not followed");
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            UnixCreateMode = mode,
            BufferSize = bufferSize,
        });
        try
        {
            File.SetUnixFileMode(stream.SafeFileHandle, mode);
        }
        catch (UnauthorizedAccessException)
        {
            // Not our file (the administrator made it for us): its mode is theirs to choose.
        }
        return stream;
    }

    /// <summary>
    /// Makes sure <paramref name="directory"/> exists as a real directory owned by us and writable by
    /// nobody else (created with <paramref name="mode"/> if missing), so that nobody can plant or swap
    /// files in it between our checks and our writes.
    /// </summary>
    /// <exception cref="IOException">It is a symbolic link, owned by someone else, or writable by others.</exception>
    public static void EnsurePrivateDirectory(string directory, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("file modes and symbolic link checks are Unix only");
        if (!Exists(directory))
            Directory.CreateDirectory(directory, mode);
        var (uid, fileMode, isLink) = Stat(directory);
        if (isLink)
            throw new IOException($"{directory} is a symbolic link, not a directory of ours");
        if (uid != Libc.GetEUid())
            throw new IOException($"{directory} belongs to user {uid}, not to us: others could change files in it");
        if ((fileMode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            throw new IOException($"{directory} is writable by others; make it 0755 or 0700");
    }

    /// <summary>Something (a file, a directory, a link, even a dangling one) is at the path.</summary>
    public static bool Exists(string path) => Statx(path, out _);

    public static bool IsSymbolicLink(string path) => Statx(path, out var buffer) && (ReadMode(buffer) & 0xF000) == 0xA000;

    /// <summary>A Unix domain socket (not a link to one) is at the path.</summary>
    public static bool IsSocket(string path) => Statx(path, out var buffer) && (ReadMode(buffer) & 0xF000) == 0xC000;

    /// <summary>The user id this process runs as (geteuid).</summary>
    public static uint EffectiveUserId => Libc.GetEUid();

    private static (uint Uid, UnixFileMode Mode, bool IsLink) Stat(string path)
    {
        if (!Statx(path, out var buffer))
            throw new IOException($"{path}: {Libc.Describe(Libc.LastError)}");
        int mode = ReadMode(buffer);
        return (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(Libc.StatxUidOffset)), (UnixFileMode)(mode & 0xFFF), (mode & 0xF000) == 0xA000);
    }

    private static int ReadMode(byte[] buffer) => BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(Libc.StatxModeOffset));

    private static unsafe bool Statx(string path, out byte[] buffer)
    {
        buffer = new byte[Libc.StatxSize];
        fixed (byte* b = buffer)
            return Libc.Statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, b) == 0;
    }
}
