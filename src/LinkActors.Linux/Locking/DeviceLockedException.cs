namespace LinkActors.Linux.Locking;

/// <summary>Another live process holds the UUCP lock of a device.</summary>
public sealed class DeviceLockedException : IOException
{
    public DeviceLockedException(string device, string lockPath, int ownerPid, string reason)
        : base($"Device {device} is locked by {lockPath}: {reason}.")
    {
        Device = device;
        LockPath = lockPath;
        OwnerPid = ownerPid;
    }

    public DeviceLockedException() : this("?", "?", 0, "unknown") { }

    public DeviceLockedException(string message) : base(message)
    {
        Device = LockPath = "?";
    }

    public DeviceLockedException(string message, Exception innerException) : base(message, innerException)
    {
        Device = LockPath = "?";
    }

    public string Device { get; }

    public string LockPath { get; }

    /// <summary>The PID in the lock file (0 if unknown).</summary>
    public int OwnerPid { get; }
}
