using System.Diagnostics;

namespace LinkActors.Actors.Watchdog;

/// <summary>
/// Runs the configured power-cycle program (no shell, no PATH lookup), bounded in time: the last
/// rung of the escalation ladder, for a modem that no longer answers even its reset command.
/// </summary>
public static class PowerCycleHook
{
    /// <summary>How the program ended, in words for the log and the event.</summary>
    public sealed record Result(bool Succeeded, string Detail);

    public static async Task<Result> RunAsync(IReadOnlyList<string> command, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
            return new Result(false, "no power-cycle command is configured");
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        foreach (var argument in command.Skip(1))
            start.ArgumentList.Add(argument);
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return new Result(false, $"{command[0]} could not be started: {e.Message}");
        }
        if (process is null)
            return new Result(false, $"{command[0]} could not be started");
        using (process)
        {
            using var bound = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return new Result(false, $"{command[0]} was still running after {timeout.TotalSeconds:0} s and was killed");
            }
            return process.ExitCode == 0
                ? new Result(true, $"{command[0]} exited with status 0")
                : new Result(false, $"{command[0]} exited with status {process.ExitCode}");
        }
    }
}
