using System.Diagnostics;
using System.Text.Json;

namespace LinkActors.Actors.Tests.Network;

/// <summary>
/// A network namespace made for one test (la-test-...), deleted with everything in it by Dispose.
/// Checks run `ip -n NAME -j ...`; programs run with `ip netns exec NAME ...`.
/// </summary>
internal sealed class TestNamespace : IDisposable
{
    public TestNamespace()
    {
        Name = $"la-test-{Guid.NewGuid().ToString("N")[..10]}";
        Shell.Run("ip", "netns", "add", Name);
        Ip("link", "set", "lo", "up");
    }

    public string Name { get; }

    public string Ip(params string[] args) => Shell.Run("ip", ["-n", Name, .. args]);

    public JsonElement IpJson(params string[] args)
    {
        var text = Ip(["-j", .. args]);
        return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "[]" : text).RootElement.Clone();
    }

    /// <summary>Interface names in the namespace.</summary>
    public IReadOnlyList<string> Links() =>
        IpJson("link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!).ToList();

    /// <summary>IPv4 routes of the main table as `ip route` prints them, one per line.</summary>
    public string Routes() => Ip("route", "show").Trim();

    /// <summary>Runs a program inside the namespace; throws on a non-zero exit.</summary>
    public string Exec(TimeSpan timeout, params string[] args) => Shell.Run("ip", ["netns", "exec", Name, .. args], timeout);

    /// <summary>Starts a program inside the namespace and leaves it running.</summary>
    public Process Start(params string[] args) => Shell.Start("ip", ["netns", "exec", Name, .. args]);

    public void Dispose()
    {
        try
        {
            Shell.Run("ip", "netns", "del", Name);
        }
        catch (InvalidOperationException)
        {
        }
    }
}

internal static class Shell
{
    public static string Run(string file, params string[] args) => Run(file, args, TimeSpan.FromSeconds(20));

    public static string Run(string file, string[] args, TimeSpan timeout)
    {
        using var process = Start(file, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} timed out after {timeout}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
        return stdout.Result;
    }

    public static Process Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }
}
