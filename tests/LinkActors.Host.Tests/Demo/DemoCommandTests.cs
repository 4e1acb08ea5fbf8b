using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace LinkActors.Host.Tests.Demo;

/// <summary>
/// `linkactors demo` as a user runs it: the real executable in a child process, judged by what it prints
/// and by what is left on the machine afterwards. As root it must build the link over TUN interfaces in two
/// namespaces of its own; forced, or where it may not, it must use in-process endpoints and say why.
/// Needs root (the tests also run it as nobody and as root of a user namespace).
/// </summary>
public sealed partial class DemoCommandTests(ITestOutputHelper log)
{
    private static readonly TimeSpan DemoWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Demo_AsRoot_RunsTheLinkOverTunInTwoNamespaces_AndLeavesNothingBehind()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test runs the demo as root; run the tests as root");

        var run = await RunAsync([], DemoWithin);

        Assert.Equal(0, run.ExitCode);
        var output = run.Output;
        var data = DataLine().Match(output);
        Assert.True(data.Success, "no TUN data line:\n" + Head(output));
        string client = data.Groups["client"].Value, isp = data.Groups["isp"].Value;

        // IPCP negotiated the addresses (RFC 1332 §3.3) and the DNS servers (RFC 1877) on both sides.
        Assert.Contains("client: IPCP up: local 192.0.2.2, remote 192.0.2.1, dns 198.51.100.53 198.51.100.54", output);
        Assert.Contains("isp: IPCP up: local 192.0.2.1, remote 192.0.2.2", output);
        Assert.Contains("Link up: local 192.0.2.2, remote 192.0.2.1, DNS 198.51.100.53 198.51.100.54", output);
        // The negotiation trace: LCP, CHAP and IPCP packets as pppd prints them.
        Assert.Matches(@"sent \[LCP ConfReq id=0x[0-9a-f]+ .*<auth chap MD5>", output);
        Assert.Matches(@"rcvd \[CHAP Success id=0x[0-9a-f]+", output);
        Assert.Matches(@"rcvd \[IPCP ConfAck id=0x[0-9a-f]+ <addr 192\.0\.2\.2>", output);

        // Each link made a kernel interface in its own namespace, and the client's carries the negotiated addresses.
        Assert.Matches(@"client: interface ppp\d+ created", output);
        Assert.Matches(@"isp: interface ppp\d+ created", output);
        Assert.Matches(@"(?m)^\s+ppp\d+\s+\S+\s+192\.0\.2\.2 peer 192\.0\.2\.1/32", output);
        Assert.Matches(@"(?m)^\s+default dev ppp\d+", output);
        Assert.Matches(@"(?m)^\s+192\.0\.2\.1 dev ppp\d+ proto kernel scope link src 192\.0\.2\.2", output);

        // ping(8) in the client's namespace, 5 of 5 answered, and its 84-byte packets crossed the PPP link
        // both ways (the endpoint mode's own echo requests are 43 bytes).
        Assert.Contains($"$ ip netns exec {client} ping -c 5", output);
        Assert.Contains("5 packets transmitted, 5 received, 0% packet loss", output);
        Assert.True(Count(output, "sent [IP data 192.0.2.2 > 192.0.2.1 icmp len=84]") >= 5, "the echo requests did not go over the link");
        Assert.True(Count(output, "rcvd [IP data 192.0.2.1 > 192.0.2.2 icmp len=84]") >= 5, "the echo replies did not come back over the link");

        // The TCP transfer between the namespaces arrived whole.
        Assert.Matches(@"transfer: 2\.00 MiB over TCP from 192\.0\.2\.2:\d+ \(la-demo-client-[0-9a-f]+\) to 192\.0\.2\.1:5001 \(la-demo-isp-[0-9a-f]+\)", output);
        var sent = Regex.Match(output, @"SHA-256 sent\s+(?<hash>[0-9a-f]{64})");
        var received = Regex.Match(output, @"SHA-256 received (?<hash>[0-9a-f]{64}) \(match\)");
        Assert.True(sent.Success && received.Success, "no matching hashes:\n" + Tail(output));
        Assert.Equal(sent.Groups["hash"].Value, received.Groups["hash"].Value);
        // The transfer's thousands of per-packet lines are counted, not printed: the output stays readable.
        AssertTransferTraceHeldBack(output);

        // Hang-up: a Terminate exchange (RFC 1661 §3.7), both interfaces removed, both namespaces deleted.
        Assert.Matches(@"sent \[LCP TermReq id=0x[0-9a-f]+", output);
        Assert.Matches(@"rcvd \[LCP TermAck id=0x[0-9a-f]+", output);
        Assert.Matches(@"client: interface ppp\d+ deleted", output);
        Assert.Matches(@"isp: interface ppp\d+ deleted", output);
        Assert.Contains($"Interfaces removed; network namespaces {client} and {isp} deleted.", output);
        var after = DemoNamespacesListed();
        Assert.DoesNotContain(client, after);
        Assert.DoesNotContain(isp, after);
        Assert.Empty(ProcessesOf(run));
        Assert.True(run.Elapsed < DemoWithin, $"the demo took {run.Elapsed.TotalSeconds:0.0} s");
        log.WriteLine($"demo as root: {run.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Demo_WithEndpoints_AsRoot_RunsInProcess_AndMakesNoNamespaceOrInterface()
    {
        var run = await RunAsync(["--endpoints"], DemoWithin);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("  data:   --endpoints given: using in-process packet endpoints instead of TUN interfaces", run.Output);
        AssertEndpointTraffic(run.Output);
        Assert.DoesNotContain("la-demo-", run.Output);
        Assert.DoesNotMatch(@"interface ppp\d+ created", run.Output);
        Assert.Empty(ProcessesOf(run));
    }

    [Fact]
    public async Task Demo_NotRoot_SaysSo_AndRunsWithEndpoints()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test switches to the nobody user, which needs root");

        // setpriv(1): the same demo as uid/gid 65534 with no supplementary groups.
        var run = await RunAsync([], DemoWithin, ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/tmp"],
            checkLeftovers: false);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("  data:   not root: using in-process packet endpoints instead of TUN interfaces", run.Output);
        AssertEndpointTraffic(run.Output);
    }

    [Fact]
    public async Task Demo_WhenNoNamespaceCanBeMade_SaysWhy_AndRunsWithEndpoints()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test needs root");

        // Root of a new user namespace: uid 0 and /dev/net/tun are there, but `ip netns add` may not mount /run/netns.
        var run = await RunAsync([], DemoWithin, ["unshare", "--user", "--map-root-user"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"  data:   cannot create a network namespace \(ip netns add: .+\): using in-process packet endpoints instead of TUN interfaces", run.Output);
        AssertEndpointTraffic(run.Output);
        Assert.DoesNotContain("la-demo-", run.Output);
        Assert.Empty(ProcessesOf(run));
    }

    private static void AssertTransferTraceHeldBack(string output)
    {
        var held = Regex.Match(output, @"transfer: (?<lines>\d+) lines of per-packet IP data trace held back");
        Assert.True(held.Success && long.Parse(held.Groups["lines"].Value, System.Globalization.CultureInfo.InvariantCulture) > 1000,
            "the transfer's IP data trace was not held back:\n" + Tail(output));
        Assert.True(Count(output, "IP data") < 200, $"{Count(output, "IP data")} IP data lines printed");
    }

    private static void AssertEndpointTraffic(string output)
    {
        AssertTransferTraceHeldBack(output);
        Assert.Contains("Link up: local 192.0.2.2, remote 192.0.2.1, DNS 198.51.100.53 198.51.100.54", output);
        for (int seq = 1; seq <= 5; seq++)
            Assert.Matches($@"ping 192\.0\.2\.1: seq={seq} time=", output);
        Assert.Contains("transfer: 750 packets of 1400 bytes out, 750 back", output);
        Assert.Matches(@"sent \[LCP TermReq id=0x[0-9a-f]+", output);
        Assert.Matches(@"rcvd \[LCP TermAck id=0x[0-9a-f]+", output);
    }

    /// <param name="Mark">An environment variable value only this run's processes, and what they started, carry.</param>
    private sealed record DemoRun(int ExitCode, string Output, TimeSpan Elapsed, string Mark);

    private const string MarkVariable = "LINKACTORS_DEMO_TEST_RUN";

    /// <summary>Runs `dotnet linkactors.dll demo ARGS`, optionally under a wrapper command; kills it at the limit.</summary>
    /// <param name="checkLeftovers">The test looks for leftover processes by the run's mark afterwards, so the mark
    /// must be seen while it runs. A process that changed its user (setpriv) may not show its environment to us.</param>
    private async Task<DemoRun> RunAsync(string[] arguments, TimeSpan within, string[]? wrapper = null, bool checkLeftovers = true)
    {
        // The dotnet host by its full path: a wrapper may run with another PATH.
        var dotnet = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        string[] command = [.. wrapper ?? [], dotnet, Path.Combine(AppContext.BaseDirectory, "linkactors.dll"), "demo", .. arguments];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command[1..])
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_gcServer"] = "0";
        var mark = Guid.NewGuid().ToString("N");
        start.Environment[MarkVariable] = mark;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        // The check for leftovers looks for this mark: it must find the demo while it runs (a wrapper
        // such as setpriv is briefly between two execs, when its environment cannot be read).
        var seen = Stopwatch.StartNew();
        while (checkLeftovers && ProcessesMarked(mark).Count == 0 && !process.HasExited && seen.Elapsed < TimeSpan.FromSeconds(5))
            await Task.Delay(20);
        Assert.True(!checkLeftovers || process.HasExited || ProcessesMarked(mark).Count > 0, "the demo's process does not show the mark the leftover check looks for");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A slow machine gets twice the limit to finish; the root test checks the limit itself.
        using var limit = new CancellationTokenSource(within * 2);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"`{string.Join(' ', command)}` did not end within {(within * 2).TotalSeconds:0} s:\n{Tail(await stdout + await stderr)}");
        }
        clock.Stop();
        var output = await stdout + await stderr;
        log.WriteLine($"$ {string.Join(' ', command)}  (exit {process.ExitCode}, {clock.Elapsed.TotalSeconds:0.0} s)");
        log.WriteLine(string.Join('\n', output.Split('\n').Where(l => !l.Contains(" DBG ", StringComparison.Ordinal))));
        return new DemoRun(process.ExitCode, output, clock.Elapsed, mark);
    }

    /// <summary>The `la-demo-*` names `ip netns list` shows.</summary>
    private static List<string> DemoNamespacesListed()
    {
        using var process = Process.Start(new ProcessStartInfo("ip", "netns list") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).Where(n => n.StartsWith("la-demo-", StringComparison.Ordinal)).ToList();
    }

    /// <summary>Live processes that inherited the run's mark: the demo itself, or anything it started (ip, ping, ...).</summary>
    private static List<string> ProcessesOf(DemoRun run) => ProcessesMarked(run.Mark);

    private static List<string> ProcessesMarked(string value)
    {
        var mark = $"{MarkVariable}={value}\0";
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid) || pid == Environment.ProcessId)
                continue;
            try
            {
                if (File.ReadAllText(Path.Combine(directory, "environ")).Contains(mark, StringComparison.Ordinal))
                    found.Add($"{pid}: {File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ')}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Ended meanwhile, or a kernel thread.
            }
        }
        return found;
    }

    private static int Count(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    private static string Head(string text) => string.Join('\n', text.Split('\n').Take(40));

    private static string Tail(string text) => string.Join('\n', text.Split('\n').Where(l => !l.Contains(" DBG ", StringComparison.Ordinal)).TakeLast(60));

    [GeneratedRegex(@"  data:   TUN interfaces: the client's in network namespace (?<client>la-demo-client-[0-9a-f]{8}), the ISP's in (?<isp>la-demo-isp-[0-9a-f]{8})")]
    private static partial Regex DataLine();
}
