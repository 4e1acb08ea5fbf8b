using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using LinkActors.Host.Management;
using LinkActors.Host.Management.Systemd;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkActors.Host.Tests;

public sealed class SystemdTests
{
    private static readonly string UnitFile = Path.Combine(AppContext.BaseDirectory, "ops", "linkactors.service");

    [Fact]
    public void UnitFile_HasTheRequiredKeys()
    {
        var keys = File.ReadAllLines(UnitFile).Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)).GroupBy(p => p[0].Trim()).ToDictionary(g => g.Key, g => g.Select(p => p[1].Trim()).ToList());
        Assert.Equal(["notify"], keys["Type"]);
        Assert.Equal(["linkactors"], keys["User"]);
        Assert.Equal(["CAP_NET_ADMIN"], keys["AmbientCapabilities"]);
        Assert.Equal(["CAP_NET_ADMIN"], keys["CapabilityBoundingSet"]);
        Assert.Equal(["yes"], keys["NoNewPrivileges"]);
        Assert.Equal(["strict"], keys["ProtectSystem"]);
        Assert.Equal(["/run/linkactors /var/lock /etc/ppp"], keys["ReadWritePaths"]);
        Assert.True(keys.ContainsKey("WatchdogSec"));
        Assert.Contains(keys["DeviceAllow"], d => d.StartsWith("char-ttyS ", StringComparison.Ordinal));
        Assert.Contains(keys["DeviceAllow"], d => d.StartsWith("char-ttyUSB ", StringComparison.Ordinal));
        Assert.Contains(keys["DeviceAllow"], d => d.StartsWith("/dev/net/tun ", StringComparison.Ordinal));
        Assert.StartsWith("/usr/bin/linkactors run ", keys["ExecStart"].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnitFile_PassesSystemdAnalyzeVerify_OrTheToolIsAbsent()
    {
        string? tool = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (tool is null)
            return; // UnitFile_HasTheRequiredKeys covers the file without the tool
        // verify also checks that ExecStart's binary exists; the daemon is not installed here, so point it at one that is.
        var dir = Directory.CreateTempSubdirectory("linkactors-unit-");
        try
        {
            string copy = Path.Combine(dir.FullName, "linkactors.service");
            File.WriteAllText(copy, File.ReadAllText(UnitFile).Replace("ExecStart=/usr/bin/linkactors ", "ExecStart=/usr/bin/env linkactors ", StringComparison.Ordinal));
            var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("verify");
            // The man page named in Documentation= comes with the Debian package (checked by the packaging tests).
            start.ArgumentList.Add("--man=no");
            start.ArgumentList.Add(copy);
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(60_000));
            Assert.True(process.ExitCode == 0, output);
            Assert.DoesNotContain("linkactors.service", output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Notifier_SaysReadyOnceTheLinksAreUp_AndPingsTheWatchdog()
    {
        var dir = Directory.CreateTempSubdirectory("linkactors-notify-");
        string path = Path.Combine(dir.FullName, "notify");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        int polls = 0;
        Task<HealthView> Health() => Task.FromResult(++polls < 3
            ? Readiness.Evaluate(true, [])  with { Ready = false, Status = "waiting for wan to come up", Waiting = ["wan"] }
            : Readiness.Evaluate(true, []));
        using var notifier = new ServiceNotifier(new SystemdNotify(path), TimeSpan.FromMilliseconds(100), Health, () => true, NullLogger<ServiceNotifier>.Instance);
        await notifier.StartAsync(CancellationToken.None);
        var received = new List<string>();
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!(received.Any(r => r.StartsWith("READY=1", StringComparison.Ordinal)) && received.Count(r => r == "WATCHDOG=1") >= 2))
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            received.Add(Encoding.UTF8.GetString(buffer, 0, n));
        }
        await notifier.StopAsync(CancellationToken.None);
        Assert.Contains("STATUS=waiting for wan to come up", received);
        int ready = received.FindIndex(r => r.StartsWith("READY=1", StringComparison.Ordinal));
        Assert.True(ready > received.IndexOf("STATUS=waiting for wan to come up"));
        Assert.True(notifier.IsReady);
        int n2 = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        var rest = new List<string> { Encoding.UTF8.GetString(buffer, 0, n2) };
        while (socket.Available > 0)
            rest.Add(Encoding.UTF8.GetString(buffer, 0, socket.Receive(buffer)));
        Assert.Contains(rest.Concat(received), r => r.StartsWith("STOPPING=1", StringComparison.Ordinal));
        dir.Delete(recursive: true);
    }
}
