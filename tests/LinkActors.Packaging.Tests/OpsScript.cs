using System.Diagnostics;
using System.Text;

namespace LinkActors.Packaging.Tests;

/// <summary>Runs one of the repository's ops/ scripts to its end (or its deadline) and keeps what it printed.</summary>
public sealed record OpsScriptResult(int ExitCode, string Output, TimeSpan Elapsed)
{
    public IReadOnlyList<string> OkLines => Output.Split('\n').Where(l => l.StartsWith("ok: ", StringComparison.Ordinal)).ToList();
}

public static class OpsScript
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "test.sh")) && Directory.Exists(Path.Combine(dir.FullName, "ops")))
                return dir.FullName;
        }
        throw new InvalidOperationException("the repository (test.sh beside ops/) is not above " + AppContext.BaseDirectory);
    }

    public static OpsScriptResult Run(string script, TimeSpan deadline, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot, script))
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(deadline))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output) output.AppendLine($"(ended: {script} ran past its deadline of {deadline})");
            return new OpsScriptResult(-1, output.ToString(), watch.Elapsed);
        }
        process.WaitForExit();
        lock (output)
            return new OpsScriptResult(process.ExitCode, output.ToString(), watch.Elapsed);
    }
}
