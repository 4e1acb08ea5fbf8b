using System.Diagnostics;

namespace LinkActors.Ppp.Tests.Oracle;

/// <summary>Finds and runs an external decoder with a time limit, capturing what it prints.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>
    /// The full path of <paramref name="name"/> on PATH or in the system directories, or a failed
    /// assertion saying how to install it: an oracle test that cannot run must not pass.
    /// </summary>
    public static string Require(string name, string package)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin"]);
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
                return candidate;
        }
        Assert.Fail($"{name} is not installed, so the interoperability oracle cannot run. Install it with `apt-get install {package}` (test.sh does this on a fresh machine).");
        return name;
    }

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        // A fixed locale keeps number formats and messages stable across machines.
        start.Environment["LC_ALL"] = "C";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(fileName)} did not finish within {timeout.TotalSeconds} s");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
