using System.Runtime.InteropServices;

namespace LinkActors.Linux.Namespaces;

/// <summary>
/// Creates kernel objects inside a named network namespace (`ip netns add NAME`, /run/netns/NAME): the
/// work runs on a fresh thread that joins the namespace with setns(2), which moves only that thread. What
/// it opens there (a TUN device, a netlink socket) stays bound to the namespace wherever it is used later.
/// </summary>
public static partial class NetworkNamespaceThread
{
    private const int CLONE_NEWNET = 0x40000000;
    private const string NamespaceDirectory = "/run/netns";

    /// <summary>Runs <paramref name="action"/> in namespace <paramref name="name"/>, or on the calling thread when it is null.</summary>
    /// <exception cref="IOException">The namespace does not exist or cannot be joined.</exception>
    public static T Run<T>(string? name, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (name is null)
            return action();
        if (name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
            throw new ArgumentException($"'{name}' is not a namespace name.", nameof(name));
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path.Combine(NamespaceDirectory, name));
                if (SetNs(handle.DangerousGetHandle().ToInt32(), CLONE_NEWNET) != 0)
                    throw new IOException($"setns into network namespace {name} failed: errno {Marshal.GetLastPInvokeError()}");
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = $"netns {name}" };
        thread.Start();
        thread.Join();
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return result;
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nsType);
}
