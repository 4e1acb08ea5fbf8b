using System.ComponentModel;
using System.Diagnostics;

namespace LinkActors.Linux.Scripts;

/// <summary>One run of an ip-up style script: the program, its positional arguments, its whole environment.</summary>
public sealed record ScriptInvocation(string Path, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    public override string ToString() => $"ScriptInvocation {{ Path = {Path}, Arguments = {Arguments.Count}, Environment = {Environment.Count} }}";
}

/// <summary>How a script ended. <see cref="ExitCode"/> is null when it could not start or was killed at its timeout.</summary>
public sealed record ScriptResult(string Path, int? ExitCode, bool TimedOut, string? StartError, IReadOnlyList<string> Output, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() =>
        $"ScriptResult {{ Path = {Path}, ExitCode = {ExitCode?.ToString() ?? "none"}, TimedOut = {TimedOut}, Output = {Output.Count} lines, Elapsed = {Elapsed.TotalMilliseconds:0} ms }}";
}

/// <summary>
/// Runs a script without a shell, as pppd runs ip-up: the program is executed directly with an argument
/// vector and an environment built from scratch, so no value from the peer (its name, its addresses) is
/// ever parsed as a command. Standard input is closed; standard output and error are collected (bounded)
/// for the log. A script that outlives its timeout is killed with its process tree.
/// </summary>
public static class ScriptRunner
{
    /// <summary>pppd's script PATH: scripts get no environment of the daemon beyond it.</summary>
    public const string SafePath = "/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin";

    /// <summary>Lines of output kept per run; a chattier script is truncated, not buffered without bound.</summary>
    public const int MaxOutputLines = 200;

    public static async Task<ScriptResult> RunAsync(ScriptInvocation invocation, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var start = new ProcessStartInfo(invocation.Path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        foreach (var argument in invocation.Arguments)
            start.ArgumentList.Add(argument);
        start.Environment.Clear();
        start.Environment["PATH"] = SafePath;
        foreach (var (name, value) in invocation.Environment)
            start.Environment[name] = value;

        var output = new List<string>();
        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            return new ScriptResult(invocation.Path, null, false, e.Message, output, clock.Elapsed);
        }
        using (process)
        {
            void Collect(object sender, DataReceivedEventArgs line)
            {
                if (line.Data is null)
                    return;
                lock (output)
                {
                    if (output.Count < MaxOutputLines)
                        output.Add(line.Data);
                }
            }
            process.OutputDataReceived += Collect;
            process.ErrorDataReceived += Collect;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It exited meanwhile.
                }
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            List<string> lines;
            lock (output)
                lines = [.. output];
            return new ScriptResult(invocation.Path, timedOut ? null : process.ExitCode, timedOut, null, lines, clock.Elapsed);
        }
    }
}
