using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using LinkActors.Linux.Files;
using LinkActors.Linux.Interop;

namespace LinkActors.Linux.Locking;

/// <summary>
/// A UUCP lock file (/var/lock/LCK..ttyS0), the convention pppd, minicom and ModemManager share to keep
/// two programs off one serial line. The file holds the owner's PID as ten ASCII digits, right-aligned,
/// and a newline. A lock whose PID no longer runs is stale and is taken over; a live one refuses.
/// Disposing removes the file, if it is still ours.
/// </summary>
public sealed class UucpLock : IDisposable
{
    public const string DefaultDirectory = "/var/lock";

    private const int StaleTakeoverAttempts = 3;

    private readonly int _pid;
    private bool _released;

    private UucpLock(string path, int pid)
    {
        Path = path;
        _pid = pid;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>LCK..&lt;name&gt;, where name is the device's last path component, as pppd names it.</summary>
    public static string LockFileName(string device)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        var name = System.IO.Path.GetFileName(device.TrimEnd('/'));
        if (name.Length == 0)
            throw new ArgumentException($"Device '{device}' has no file name to lock.", nameof(device));
        return "LCK.." + name;
    }

    /// <summary>Takes the lock for <paramref name="device"/>, removing a stale one.</summary>
    /// <exception cref="DeviceLockedException">A running process holds the lock.</exception>
    /// <exception cref="IOException">The lock directory is missing or not writable.</exception>
    public static UucpLock Acquire(string device, string lockDirectory = DefaultDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(lockDirectory);
        var path = System.IO.Path.Combine(lockDirectory, LockFileName(device));
        var pid = Environment.ProcessId;
        for (var attempt = 0; attempt < StaleTakeoverAttempts; attempt++)
        {
            if (TryCreate(path, pid))
                return new UucpLock(path, pid);
            var owner = ReadOwner(path);
            if (owner is null)
                continue;   // vanished between our attempt and the read: try again
            if (owner.Value == pid)
                throw new DeviceLockedException(device, path, owner.Value, "this process already holds it");
            if (owner.Value > 0 && IsAlive(owner.Value))
                throw new DeviceLockedException(device, path, owner.Value, $"process {owner.Value} is running");
            // Stale (dead owner or unreadable content): remove it and race for it again.
            TryDelete(path);
        }
        throw new DeviceLockedException(device, path, 0, "the lock kept changing under us");
    }

    /// <summary>The PID a lock file names: 0 if it cannot be read as one, null if it does not exist.</summary>
    public static int? ReadOwner(string path)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        // Old binary-format locks hold a 4-byte native int instead of text.
        if (content.Length == 4)
            return BinaryPrimitives.ReadInt32LittleEndian(content);
        var text = Encoding.ASCII.GetString(content).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0;
    }

    /// <summary>Removes the lock file, unless another process has since taken it over.</summary>
    public void Dispose()
    {
        if (_released)
            return;
        _released = true;
        if (ReadOwner(Path) == _pid)
            TryDelete(Path);
    }

    public override string ToString() => $"UucpLock {{ Path = {Path}, Pid = {_pid} }}";

    private static bool TryCreate(string path, int pid)
    {
        // Written to a private file first and then linked into place, so nobody ever reads a half-written lock.
        var directory = System.IO.Path.GetDirectoryName(path)!;
        var temporary = System.IO.Path.Combine(directory, $"LTMP.{pid}.{Environment.CurrentManagedThreadId}");
        // Created fresh (O_CREAT|O_EXCL): a symbolic link planted at the temporary name is removed,
        // never followed, so a root daemon cannot be made to truncate a file elsewhere.
        using (var stream = SafeFile.CreateTemporary(temporary, SafeFile.PublicRead))
            stream.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{pid,10}\n")));
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private static bool IsAlive(int pid)
    {
        if (Libc.Kill(pid, 0) == 0)
            return true;
        // EPERM: it exists but belongs to someone else.
        return Libc.LastError != Errno.ESRCH;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
