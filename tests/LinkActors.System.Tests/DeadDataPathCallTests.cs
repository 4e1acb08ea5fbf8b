using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using LinkActors.Emulator.Bridge;
using LinkActors.Emulator.Modem;
using LinkActors.Emulator.Profiles;
using LinkActors.Host;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.System.Tests;

/// <summary>
/// Issue 19, the headline: the seed user's own pppd files, unchanged, run as `linkactors call quectel-ppp`
/// against the emulated BC66 whose data side leads to a LinkActors server; the modem's black hole is named
/// a dead data path, `linkactors doctor quectel-ppp` (no flags) says so, and the link heals with persist or
/// ends with the dead-data-path exit code without it.
/// </summary>
/// <remarks>
/// The files stay byte for byte as the user has them: the process runs in a mount and network namespace of
/// its own where the fixture's etc/ppp and etc/chatscripts are bound over /etc/ppp and /etc/chatscripts,
/// the emulator's pty over /dev/ttyS0, and private directories over /run, /var/log and /tmp (so the record
/// file, /tmp/quectel.record, and the lock file stay in the namespace). Its own loopback lets `call` serve
/// the management endpoint on the default 127.0.0.1:8558 and `doctor` find it there with no flags, whatever
/// else runs on the machine. The window is the documented `call --watchdog-window 20` (default 90 s), so
/// that the test waits 20 s rather than 90 s for each verdict.
/// </remarks>
public sealed class DeadDataPathCallTests(ITestOutputHelper output)
{
    private const int WindowSeconds = 20;
    private const string Server = "192.0.2.1";
    private static readonly Regex Verdict = new(@"watchdog: .*the data path beyond the modem is dead", RegexOptions.Compiled);

    [Fact]
    public async Task Call_QuectelPeersUnchanged_BlackHole_IsNamedByTheWatchdogAndDoctor_AndHealsWithPersist()
    {
        if (!CanMakeNamespaces())
            throw new InvalidOperationException("this test needs root (mount and network namespaces, TUN)");
        await using var rig = await CallRig.StartAsync(output);
        using var call = rig.Call("persist", "holdoff", "0");
        await call.WaitForAsync("data-path watchdog on", TimeSpan.FromSeconds(90));
        await rig.WaitPingAsync(call, TimeSpan.FromSeconds(30));

        using var traffic = rig.PingForever(call);
        var blackHoleAt = Stopwatch.StartNew();
        rig.Modem.Faults.BlackHole(true);
        await call.WaitForAsync(Verdict.ToString(), TimeSpan.FromSeconds(WindowSeconds + 10));
        var named = blackHoleAt.Elapsed;
        output.WriteLine($"named the dead data path {named.TotalSeconds:0.0} s after the black hole began (window {WindowSeconds} s)");
        Assert.True(named <= TimeSpan.FromSeconds(WindowSeconds + 10));

        var (doctorCode, doctor) = await rig.InNamespaceAsync(call, TimeSpan.FromSeconds(60), "dotnet", Daemon.Executable, "doctor", CallRig.PeerName);
        output.WriteLine("$ linkactors doctor quectel-ppp\n" + doctor);
        Assert.Contains("dead data path", doctor, StringComparison.Ordinal);
        Assert.NotEqual(ManagementUnreachable, doctorCode);

        rig.Modem.Faults.BlackHole(false);
        var healing = Stopwatch.StartNew();
        await rig.WaitPingAsync(call, TimeSpan.FromSeconds(15));
        output.WriteLine($"traffic flowed again {healing.Elapsed.TotalSeconds:0.0} s after the black hole ended");
        Assert.True(healing.Elapsed <= TimeSpan.FromSeconds(15));

        output.WriteLine("--- linkactors call quectel-ppp persist holdoff 0 --watchdog-window 20 ---");
        output.WriteLine(string.Join("\n", call.Output.Split('\n').Where(l => l.Contains("watchdog", StringComparison.Ordinal) || l.Contains("ladder", StringComparison.Ordinal)
            || l.Contains("seen", StringComparison.Ordinal) || l.Contains("dialing again", StringComparison.Ordinal))));
        call.Terminate();
        await call.WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Call_QuectelPeersUnchanged_BlackHoleWithoutPersist_ExitsWithTheDeadDataPathCode()
    {
        if (!CanMakeNamespaces())
            throw new InvalidOperationException("this test needs root (mount and network namespaces, TUN)");
        await using var rig = await CallRig.StartAsync(output);
        using var call = rig.Call();
        await call.WaitForAsync("data-path watchdog on", TimeSpan.FromSeconds(90));
        await rig.WaitPingAsync(call, TimeSpan.FromSeconds(30));

        using var traffic = rig.PingForever(call);
        var blackHoleAt = Stopwatch.StartNew();
        rig.Modem.Faults.BlackHole(true);
        int code = await call.WaitForExitAsync(TimeSpan.FromSeconds(WindowSeconds + 40));
        output.WriteLine(call.Output);
        var verdict = Verdict.Match(call.Output);
        Assert.True(verdict.Success, "the log does not name the dead data path");
        Assert.True(blackHoleAt.Elapsed <= TimeSpan.FromSeconds(WindowSeconds + 40));
        Assert.Equal(DeadDataPathExitCode, code);
    }

    /// <summary>LinkActors' own exit code beside pppd's 0-19 (README, "Exit codes").</summary>
    private const int DeadDataPathExitCode = 32;

    /// <summary>`linkactors doctor` when it cannot reach the daemon.</summary>
    private const int ManagementUnreachable = 3;

    private static bool CanMakeNamespaces() => Environment.UserName == "root" || geteuid() == 0;

    [global::System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();

    /// <summary>The emulated BC66, the network's LinkActors server behind it, and the user's tree.</summary>
    private sealed class CallRig : IAsyncDisposable
    {
        public const string PeerName = "quectel-ppp";
        private readonly DirectoryInfo _work;
        private readonly IHost _server;
        private readonly ITestOutputHelper _output;
        private readonly List<Process> _processes = [];

        private CallRig(DirectoryInfo work, ModemEmulator modem, IHost server, ITestOutputHelper output)
        {
            _work = work;
            Modem = modem;
            _server = server;
            _output = output;
        }

        public ModemEmulator Modem { get; }

        private string Tree => Path.Combine(_work.FullName, "root");

        public static async Task<CallRig> StartAsync(ITestOutputHelper output)
        {
            var work = Directory.CreateTempSubdirectory("linkactors-dead-path-call-");
            string source = Path.Combine(FindFixtures(), "quectel");
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                string target = Path.Combine(work.FullName, "root", Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            foreach (var dir in new[] { "run", "var-log-and-tmp" })
                Directory.CreateDirectory(Path.Combine(work.FullName, dir));

            int port = FreeLoopbackPort();
            var modem = ModemEmulator.Start(new ModemEmulatorOptions
            {
                Profile = ModemProfile.Bc66,
                LinkPath = Path.Combine(work.FullName, "modem"),
                Server = PppServers.Tcp("127.0.0.1", port),
                RegistrationDelay = TimeSpan.FromMilliseconds(500),
                GuardTime = TimeSpan.FromMilliseconds(200),
            });
            var server = Assert.Single(Settings.Create(Settings.Parse($$"""
                linkactors.links.isp {
                  role = server
                  device = "socket::{{port}}"
                  local = true
                  lock = false
                  persist = true
                  holdoff = 0s
                  maxfail = 0
                  auth.require = none
                  ipcp { local = "{{Server}}", remote = "192.0.2.2" }
                  ipv6cp.enabled = false
                  watchdog.window = 0s
                  network { mode = endpoint, state-directory = "{{work.FullName}}/isp-state" }
                }
                """, "isp"), "isp"));
            var host = LinkHost.Build([server], new LogOptions(Debug: false, LogFile: null));
            await host.StartAsync();
            return new CallRig(work, modem, host, output);
        }

        /// <summary>`linkactors call quectel-ppp [OPTIONS] --watchdog-window 20` in its own mount and network namespace.</summary>
        public Daemon Call(params string[] pppdOptions)
        {
            const string setup = """
                set -e
                ip link set lo up
                mount --bind "$1/etc/ppp" /etc/ppp
                mount --bind "$1/etc/chatscripts" /etc/chatscripts
                mount --bind "$(readlink -f "$2")" /dev/ttyS0
                mount --bind "$3" /run
                mkdir -p /run/lock
                mount --bind "$4" /var/log
                mount --bind "$4" /tmp
                shift 4
                exec "$@"
                """;
            string[] arguments =
            [
                "--mount", "--net", "--propagation", "private", "--", "sh", "-c", setup, "sh",
                Tree, Modem.SlavePath, Path.Combine(_work.FullName, "run"), Path.Combine(_work.FullName, "var-log-and-tmp"),
                "dotnet", Daemon.Executable, "call", PeerName, .. pppdOptions, "--watchdog-window", WindowSeconds.ToString(global::System.Globalization.CultureInfo.InvariantCulture),
            ];
            return Daemon.StartProgram("unshare", arguments);
        }

        /// <summary>Runs a program in the call's network and mount namespaces (its loopback, and its private /run with
        /// the control socket the CLI finds there), to completion.</summary>
        public async Task<(int Code, string Output)> InNamespaceAsync(Daemon call, TimeSpan within, params string[] command)
        {
            var info = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in (string[])["-t", call.Pid.ToString(global::System.Globalization.CultureInfo.InvariantCulture), "-n", "-m", "--", .. command])
                info.ArgumentList.Add(argument);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(within);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{string.Join(' ', command)} did not finish within {within.TotalSeconds} s");
            }
            return (process.ExitCode, await stdout + await stderr);
        }

        /// <summary>One echo request at a time to the server across the link until one is answered, within a bound.</summary>
        public async Task WaitPingAsync(Daemon call, TimeSpan within)
        {
            var deadline = Stopwatch.StartNew();
            string last = "";
            while (deadline.Elapsed < within)
            {
                (int code, last) = await InNamespaceAsync(call, TimeSpan.FromSeconds(10), "ping", "-n", "-c", "1", "-W", "1", Server);
                if (code == 0)
                    return;
            }
            throw new TimeoutException($"no echo reply from {Server} within {within.TotalSeconds} s; last ping: {last}\nlinkactors:\n{call.Output}");
        }

        /// <summary>A ping every 500 ms across the link until disposed: IP sent, so the passive watchdog has something to judge.</summary>
        public IDisposable PingForever(Daemon call)
        {
            var info = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in (string[])["-t", call.Pid.ToString(global::System.Globalization.CultureInfo.InvariantCulture), "-n", "--", "ping", "-n", "-i", "0.5", Server])
                info.ArgumentList.Add(argument);
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            lock (_processes)
                _processes.Add(process);
            return new Stopper(process);
        }

        public async ValueTask DisposeAsync()
        {
            lock (_processes)
            {
                foreach (var process in _processes)
                    new Stopper(process).Dispose();
            }
            await _server.StopAsync();
            _server.Dispose();
            await Modem.DisposeAsync();
            try
            {
                _work.Delete(recursive: true);
            }
            catch (IOException e)
            {
                _output.WriteLine($"left {_work.FullName}: {e.Message}");
            }
        }

        private sealed class Stopper(Process process) : IDisposable
        {
            public void Dispose()
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
                    // Already gone.
                }
            }
        }

        private static int FreeLoopbackPort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        /// <summary>tests/LinkActors.Actors.Tests/Pppd/Fixtures: the pppd drop-in issue's fixture tree.</summary>
        private static string FindFixtures([CallerFilePath] string thisFile = "")
        {
            string[] starts = [AppContext.BaseDirectory, Directory.GetCurrentDirectory(), Path.GetDirectoryName(thisFile) ?? "/"];
            foreach (var start in starts)
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "LinkActors.sln")))
                        return Path.Combine(dir.FullName, "tests", "LinkActors.Actors.Tests", "Pppd", "Fixtures");
                }
            }
            throw new DirectoryNotFoundException("LinkActors.sln not found above the test output, the current directory or the test source");
        }
    }
}
