using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using LinkActors.Interop.Tests.Harness;
using LinkActors.Interop.Tests.Link;
using LinkActors.Interop.Tests.Oracle;
using Xunit.Abstractions;

namespace LinkActors.Interop.Tests.Scenarios;

/// <summary>
/// One test's pppd and our end on the same pty, with the steps every test shares: wait for the
/// network, ping both ways, close, and check the record file against Wireshark and pppd's log.
/// Traces go to the test output and to files in the run's folder.
/// </summary>
public sealed class InteropRun : IAsyncDisposable
{
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Our end's default configuration for each pppd role.</summary>
    public static LinkUnderTestOptions OursFor(PppdRole pppdRole) => pppdRole == PppdRole.Server
        ? new LinkUnderTestOptions { Role = LinkUnderTestRole.Client }
        : new LinkUnderTestOptions
        {
            Role = LinkUnderTestRole.Server,
            LocalAddress = IPAddress.Parse("10.0.0.1"),
            RemoteAddress = IPAddress.Parse("10.0.0.2"),
        };

    private readonly ITestOutputHelper _output;
    private readonly StreamWriter _trace;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _traceGate = new();
    private bool _disposed;

    private InteropRun(ITestOutputHelper output, PppdPeer pppd, StreamWriter trace)
    {
        _output = output;
        Pppd = pppd;
        _trace = trace;
        RecordPath = Path.Combine(pppd.WorkDirectory, "linkactors.record");
        Link = null!;
    }

    public PppdPeer Pppd { get; }

    public ILinkUnderTest Link { get; private set; }

    public string RecordPath { get; }

    /// <summary>Which implementation of our end this run drives: <see cref="LinkUnderTest.Actors"/>, the daemon.</summary>
    public string Implementation { get; private set; } = "";

    /// <summary>The real daemon, when that is what this run drives.</summary>
    public ActorsLink? Daemon => Link as ActorsLink;

    public static async Task<InteropRun> StartAsync(ITestOutputHelper output, string implementation, PppdRole role, string pppdOptions,
        LinkUnderTestOptions ours, PppdSecrets? secrets = null, PppdGuestActions? actions = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var started = Stopwatch.StartNew();
        var pppd = await PppdPeer.StartAsync(role, pppdOptions, secrets, actions).ConfigureAwait(false);
        var trace = new StreamWriter(Path.Combine(pppd.WorkDirectory, "linkactors.trace")) { AutoFlush = true };
        var run = new InteropRun(output, pppd, trace) { Implementation = implementation };
        run.Step($"pppd ({role}, '{pppdOptions}') started in {pppd.WorkDirectory}; image build/check took {UmlImage.BuildTime.TotalSeconds:F1} s; our end: {implementation}");
        try
        {
            if (implementation == LinkUnderTest.Actors)
            {
                // The daemon sends its Configure-Request as soon as it has opened the pty, as a real
                // client or server does. Until pppd has the guest's tty in raw mode, the guest's line
                // discipline would echo those bytes back and we would hear ourselves: start the daemon
                // once pppd has taken the line.
                await pppd.WaitForLogAsync(@"^Connect: ppp\d+ <--> ", NetworkTimeout).ConfigureAwait(false);
            }
            run.Link = LinkUnderTest.Create(implementation, ours, run.Log);
            await run.Link.StartAsync(pppd.TtyPath, run.RecordPath).ConfigureAwait(false);
        }
        catch
        {
            await run.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        run.Step($"started in {started.Elapsed.TotalSeconds:F1} s");
        return run;
    }

    /// <summary>The address of pppd's end.</summary>
    public IPAddress PeerAddress => Link.Status.RemoteAddress ?? throw new InvalidOperationException("IPCP gave no peer address");

    public async Task WaitForNetworkAsync()
    {
        await Link.WaitForNetworkAsync(NetworkTimeout).ConfigureAwait(false);
        Step($"network up at {Pppd.Elapsed.TotalSeconds:F1} s after boot: {Link.Status.LocalAddress} <-> {Link.Status.RemoteAddress}");
    }

    /// <summary>Our echo to pppd's end (a small one, then one of the whole MTU) and pppd's guest pinging us.</summary>
    public async Task PingBothWaysAsync(int? fullSize = null)
    {
        try
        {
            if (Daemon is not null)
            {
                // The daemon cannot be told to send an echo of a chosen size: its watchdog probe
                // (watchdog.ping-interval, small requests to the peer's address) is our echo.
                var probe = await Link.PingAsync(PeerAddress, 84, StepTimeout).ConfigureAwait(false);
                Step($"the daemon's ping probe to {PeerAddress} answered in {probe.TotalMilliseconds:F1} ms (no full-size echo from this end)");
                await Pppd.WaitForLogAsync($@"^LA-GUEST: ping {Regex.Escape(PeerLocalAddressForGuest())} ok", StepTimeout).ConfigureAwait(false);
                Step($"guest's ping answered ({Link.Status.EchoRequestsAnswered} ICMP packets sent by the daemon)");
                return;
            }
            var rtt = await Link.PingAsync(PeerAddress, 84, StepTimeout).ConfigureAwait(false);
            int size = fullSize ?? Link.Status.InterfaceMtu;
            var rttFull = await Link.PingAsync(PeerAddress, size, StepTimeout).ConfigureAwait(false);
            Step($"echo to {PeerAddress}: 84 octets {rtt.TotalMilliseconds:F0} ms, {size} octets {rttFull.TotalMilliseconds:F0} ms");
        }
        catch (NotSupportedException e)
        {
            // linkactors run cannot be told to ping: the guest's ping to our address, answered by the
            // daemon's in-process endpoint, is the echo test for this implementation.
            Step($"our end sends no echo requests ({e.Message}): relying on the guest's ping to us");
        }
        await Pppd.WaitForLogAsync($@"^LA-GUEST: ping {Regex.Escape(PeerLocalAddressForGuest())} ok", StepTimeout).ConfigureAwait(false);
        Step($"guest's ping answered ({Link.Status.EchoRequestsAnswered} echo requests answered)");
    }

    /// <summary>Our LCP Terminate-Request; pppd then exits with 16 ("hangup").</summary>
    public async Task<int> CloseAsync()
    {
        await Link.CloseAsync(StepTimeout).ConfigureAwait(false);
        int rc = await Pppd.WaitForPppdExitAsync(StepTimeout).ConfigureAwait(false);
        Step($"closed; pppd exited with {rc}");
        if (Daemon is { } daemon)
        {
            // SIGTERM: the daemon ends the link with a Terminate exchange and exits 0 (a requested stop).
            Assert.Equal(0, daemon.ExitCode);
            Assert.Contains(daemon.Lines, l => l.Contains("sent [LCP TermReq", StringComparison.Ordinal));
            Assert.Contains(daemon.Lines, l => l.Contains("rcvd [LCP TermAck", StringComparison.Ordinal));
            Assert.Contains(Pppd.LoggedPackets, p => !p.Sent && p.Protocol == "LCP" && p.Code == "TermReq");
            await Pppd.WaitForLogAsync("^LCP terminated by peer", StepTimeout).ConfigureAwait(false);
        }
        return rc;
    }

    /// <summary>Stops our end (flushing the record), then decodes the record with tshark and compares it with pppd's log.</summary>
    public async Task<IReadOnlyList<TsharkFrame>> VerifyRecordAsync()
    {
        await Link.DisposeAsync().ConfigureAwait(false);
        var frames = await TsharkOracle.DecodeAsync(RecordPath).ConfigureAwait(false);
        Assert.NotEmpty(frames);
        var bad = frames.Where(f => !f.FcsGood).ToList();
        Assert.True(bad.Count == 0, $"bad FCS in {bad.Count} of {frames.Count} frames: {string.Join("; ", bad)}");
        var report = RecordCrossCheck.Compare(Pppd.LoggedPackets, frames);
        Step($"record: {frames.Count} frames, all FCS good; pppd log cross-check: {report}");
        Assert.True(report.Problems.Count == 0, report.ToString());
        Assert.True(report.Matched >= 4, $"only {report.Matched} logged packets found in the record");
        return frames;
    }

    public void Step(string text) => Log($"{FormattableString.Invariant($"[{_clock.Elapsed.TotalSeconds,7:F3}]")} == {text}");

    public void Log(string line)
    {
        lock (_traceGate)
        {
            if (_disposed)
                return;
            _trace.WriteLine(line);
            try
            {
                _output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test has already finished; the file keeps the line.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Link is not null)
                await Link.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await Pppd.DisposeAsync().ConfigureAwait(false);
        }
        lock (_traceGate)
        {
            if (_disposed)
                return;
            try
            {
                _output.WriteLine($"pppd console ({Pppd.ConsoleLogPath}):\n{Pppd.Tail(200)}");
            }
            catch (InvalidOperationException)
            {
                // Output closed: the console log file has it all.
            }
            _disposed = true;
            _trace.Dispose();
        }
    }

    private string PeerLocalAddressForGuest() => Link.Status.LocalAddress?.ToString() ?? "?";
}
