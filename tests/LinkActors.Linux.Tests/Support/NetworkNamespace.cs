using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace LinkActors.Linux.Tests.Support;

/// <summary>
/// A network namespace made for one test and deleted by Dispose. Code that must create kernel objects
/// inside it (the TUN device, the netlink socket, a raw socket) runs through <see cref="Enter{T}"/>: a
/// dedicated thread joins the namespace with setns(2), which moves only that thread, and the objects it
/// opens stay bound to the namespace wherever they are used afterwards. Checks run `ip -n NAME ...`.
/// </summary>
internal sealed partial class NetworkNamespace : IDisposable
{
    private const int CLONE_NEWNET = 0x40000000;

    public NetworkNamespace()
    {
        Name = $"la-test-{Guid.NewGuid().ToString("N")[..10]}";
        Command.Run("ip", "netns", "add", Name);
    }

    public string Name { get; }

    /// <summary>Runs <paramref name="action"/> on a fresh thread that has joined this namespace.</summary>
    public T Enter<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{Name}");
                if (SetNs((int)handle.DangerousGetHandle(), CLONE_NEWNET) != 0)
                    throw new IOException($"setns into {Name} failed: errno {Marshal.GetLastPInvokeError()}");
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = $"netns {Name}" };
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw new InvalidOperationException($"in namespace {Name}: {failure.Message}", failure);
        return result;
    }

    /// <summary>`ip -n NAME args`, stdout returned; throws on a non-zero exit.</summary>
    public string Ip(params string[] args) => Command.Run("ip", ["-n", Name, .. args]);

    /// <summary>`ip -n NAME -j args` parsed.</summary>
    public JsonElement IpJson(params string[] args)
    {
        var text = Ip(["-j", .. args]);
        return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "[]" : text).RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            Command.Run("ip", "netns", "del", Name);
        }
        catch (InvalidOperationException)
        {
            // Already gone; nothing else to clean.
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nsType);
}

internal static class Command
{
    public static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(10_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} timed out");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
