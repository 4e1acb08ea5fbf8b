using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LinkActors.Interop.Tests.Harness;

/// <summary>
/// A real pppd 2.4.9 in user-mode-linux, its serial line bridged by socat to a pty at
/// <see cref="TtyPath"/>, for whatever speaks PPP on the other end. pppd's debug log ("sent [LCP
/// ConfReq ...]", "rcvd [...]") and the guest's own "LA-GUEST:" lines arrive on the guest console,
/// kept in <see cref="ConsoleLogPath"/> and searchable with <see cref="WaitForLogAsync"/>.
/// Disposing ends every process the run started, also when a test failed half-way.
/// </summary>
public sealed partial class PppdPeer : IAsyncDisposable
{
    private static readonly TimeSpan TtyWait = TimeSpan.FromSeconds(10);

    private readonly Process _socat;
    private readonly StreamWriter _consoleFile;
    private readonly List<string> _console = [];
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    private PppdPeer(Process socat, string workDirectory, StreamWriter consoleFile)
    {
        _socat = socat;
        WorkDirectory = workDirectory;
        _consoleFile = consoleFile;
    }

    public string WorkDirectory { get; }

    /// <summary>The pty whose other side is the guest's /dev/ttyS1, where pppd runs.</summary>
    public string TtyPath => Path.Combine(WorkDirectory, "tty");

    public string ConsoleLogPath => Path.Combine(WorkDirectory, "console.log");

    /// <summary>Every console line so far: kernel messages, pppd's log, the guest's "LA-GUEST:" lines.</summary>
    public IReadOnlyList<string> ConsoleLines
    {
        get
        {
            lock (_gate)
                return [.. _console];
        }
    }

    /// <summary>The lines pppd logged about packets it sent or received, parsed.</summary>
    public IReadOnlyList<PppdLogPacket> LoggedPackets => PppdLogPacket.ParseAll(ConsoleLines);

    /// <summary>Time since the guest was started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Builds the guest image if no cached one fits, starts the guest, and waits for the pty.</summary>
    /// <param name="role">Which end pppd plays.</param>
    /// <param name="pppdOptions">Extra pppd options, appended after the role's own; no quotes.</param>
    /// <param name="secrets">pap-secrets and chap-secrets for the guest, or none.</param>
    /// <param name="actions">Pings and faults the guest adds; <see cref="PppdGuestActions.Default"/> pings.</param>
    /// <param name="workDirectory">Where the pty link and the console log go; a fresh temporary folder if null.</param>
    public static async Task<PppdPeer> StartAsync(
        PppdRole role,
        string pppdOptions,
        PppdSecrets? secrets = null,
        PppdGuestActions? actions = null,
        string? workDirectory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pppdOptions);
        if (pppdOptions.Contains('"', StringComparison.Ordinal) || pppdOptions.Contains('\n', StringComparison.Ordinal))
            throw new ArgumentException("the kernel command line carries the options: no quotes or newlines", nameof(pppdOptions));
        actions ??= PppdGuestActions.Default;
        string image = await UmlImage.EnsureBuiltAsync().ConfigureAwait(false);

        workDirectory ??= Path.Combine(Path.GetTempPath(), "linkactors-interop", $"pppd-{DateTime.UtcNow:HHmmss}-{Guid.NewGuid():N}"[..30]);
        Directory.CreateDirectory(workDirectory);
        var runScript = Path.Combine(UmlImage.ScriptDirectory, "run-uml.sh");
        // The build copies files without their execute bit; socat's EXEC needs it.
        File.SetUnixFileMode(runScript, File.GetUnixFileMode(runScript) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);

        // setsid makes socat the leader of a new process group that UML's processes join, so that
        // disposal can signal all of them at once. socat reaches the guest kernel through run-uml.sh.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        start.ArgumentList.Add("socat");
        start.ArgumentList.Add($"PTY,link={Path.Combine(workDirectory, "tty")},raw,echo=0");
        start.ArgumentList.Add($"EXEC:{runScript}");
        start.Environment["LA_UML_DIR"] = image;
        start.Environment["LA_WORK_DIR"] = workDirectory;
        start.Environment["LA_ROLE"] = role == PppdRole.Server ? "server" : "client";
        start.Environment["LA_OPTS"] = pppdOptions;
        start.Environment["LA_PAP"] = secrets is null ? "" : PppdSecrets.ToKernelArgument(secrets.Pap);
        start.Environment["LA_CHAP"] = secrets is null ? "" : PppdSecrets.ToKernelArgument(secrets.Chap);
        start.Environment["LA_PING"] = actions.PingPeer ? "1" : "";
        start.Environment["LA_STOP_AFTER"] = Seconds(actions.StopPppdAfterIpUp);
        start.Environment["LA_TERM_AFTER"] = Seconds(actions.TerminatePppdAfterIpUp);

        var consoleFile = new StreamWriter(Path.Combine(workDirectory, "console.log")) { AutoFlush = true };
        var socat = Process.Start(start);
        if (socat is null)
        {
            await consoleFile.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException("could not start socat");
        }
        var peer = new PppdPeer(socat, workDirectory, consoleFile);
        try
        {
            socat.StandardInput.Close();
            socat.ErrorDataReceived += (_, e) => peer.OnConsoleLine(e.Data);
            socat.OutputDataReceived += (_, e) => peer.OnConsoleLine(e.Data);
            socat.BeginErrorReadLine();
            socat.BeginOutputReadLine();
            await peer.WaitForTtyAsync(cancellationToken).ConfigureAwait(false);
            return peer;
        }
        catch
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits for a console line matching <paramref name="pattern"/> (also one already seen).</summary>
    /// <exception cref="TimeoutException">With the console's last lines, when none came in time.</exception>
    public Task<Match> WaitForLogAsync(string pattern, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForLogAsync(new Regex(pattern, RegexOptions.CultureInvariant), timeout, cancellationToken);

    /// <inheritdoc cref="WaitForLogAsync(string, TimeSpan, CancellationToken)"/>
    public async Task<Match> WaitForLogAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        int seen = 0;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (; seen < _console.Count; seen++)
                {
                    var match = pattern.Match(_console[seen]);
                    if (match.Success)
                        return match;
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no console line matched /{pattern}/ within {timeout}; last lines:\n{Tail(30)}");
            }
        }
    }

    /// <summary>Waits for pppd to exit and returns its exit status (5 signal, 11 peer auth failed, 16 hangup, ...).</summary>
    public async Task<int> WaitForPppdExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var match = await WaitForLogAsync(PppdExited(), timeout, cancellationToken).ConfigureAwait(false);
        return int.Parse(match.Groups["rc"].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The guest powered off and socat closed the pty.</summary>
    public bool HasExited => _socat.HasExited;

    /// <summary>The console's last lines, for failure messages.</summary>
    public string Tail(int lines)
    {
        lock (_gate)
            return string.Join('\n', _console.Skip(Math.Max(0, _console.Count - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        int group = _socat.Id;
        if (!_socat.HasExited || ProcessGroup.IsAlive(group))
        {
            // socat hands SIGTERM to the guest kernel, which lets it tidy its host-side files.
            ProcessGroup.Terminate(group);
            var deadline = Stopwatch.StartNew();
            while (ProcessGroup.IsAlive(group) && deadline.Elapsed < TimeSpan.FromSeconds(3))
                await Task.Delay(50).ConfigureAwait(false);
            if (ProcessGroup.IsAlive(group))
                ProcessGroup.KillAll(group);
            deadline.Restart();
            while (ProcessGroup.IsAlive(group) && deadline.Elapsed < TimeSpan.FromSeconds(5))
                await Task.Delay(50).ConfigureAwait(false);
        }
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _socat.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Already killed above; the console stream just did not drain.
            }
        }
        _socat.Dispose();
        lock (_gate)
            _consoleFile.Dispose();
    }

    private void OnConsoleLine(string? line)
    {
        if (line is null)
            return;
        TaskCompletionSource changed;
        lock (_gate)
        {
            // UML's console ends lines with CR LF.
            line = line.TrimEnd('\r');
            _console.Add(line);
            if (!_disposed)
                _consoleFile.WriteLine(FormattableString.Invariant($"[{_clock.Elapsed.TotalSeconds,7:F3}] {line}"));
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private async Task WaitForTtyAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!File.Exists(TtyPath))
        {
            if (_socat.HasExited)
                throw new InvalidOperationException($"socat exited with {_socat.ExitCode} before creating {TtyPath}:\n{Tail(30)}");
            if (waited.Elapsed > TtyWait)
                throw new TimeoutException($"socat created no {TtyPath} within {TtyWait}");
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Seconds(TimeSpan? after) =>
        after is { } value ? value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) : "";

    [GeneratedRegex(@"^LA-GUEST: pppd exited rc=(?<rc>\d+)")]
    private static partial Regex PppdExited();
}
