using System.ComponentModel;
using System.Diagnostics;

namespace LinkActors.Host.Demo;

/// <summary>What a program the demo ran printed, and how it ended.</summary>
internal sealed record ChildResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>One line for a message: the error output, else the standard output, else the exit status.</summary>
    public string Reason => (Error.Trim(), Output.Trim()) switch
    {
        ({ Length: > 0 } error, _) => error.ReplaceLineEndings(" "),
        (_, { Length: > 0 } output) => output.ReplaceLineEndings(" "),
        _ => $"exit status {ExitCode}",
    };
}

/// <summary>
/// Runs a program to its end without a shell (arguments are passed as they are), with a time limit
/// after which it is killed with everything it started, so the demo leaves no process behind.
/// </summary>
internal static class ChildProcess
{
    /// <summary>Exit status for a program that could not be started (as a shell reports "command not found").</summary>
    public const int NotFound = 127;

    /// <summary>Exit status for a program killed at its time limit (as timeout(1) reports it).</summary>
    public const int TimedOut = 124;

    /// <param name="cancellation">Kills the program, as its time limit does.</param>
    public static async Task<ChildResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"{file} did not start");
        }
        catch (Win32Exception e)
        {
            return new ChildResult(NotFound, "", $"{file}: {e.Message}");
        }
        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                string why = cancellation.IsCancellationRequested ? "interrupted" : $"killed after {timeout.TotalSeconds:0} s";
                return new ChildResult(TimedOut, await output.ConfigureAwait(false), $"{file} {why}. {await error.ConfigureAwait(false)}");
            }
            return new ChildResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
    }
}
