using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace LinkActors.System.Tests;

/// <summary>A `linkactors` process started by a test: its output is kept and can be waited on.</summary>
internal sealed partial class Daemon : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private Daemon(Process process) => _process = process;

    /// <summary>The linkactors.dll built beside this test assembly (the project references the host).</summary>
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "linkactors.dll");

    public static Daemon Start(params string[] arguments) => StartProgram("dotnet", [Executable, .. arguments]);

    /// <summary>Any program (e.g. `unshare ... dotnet linkactors.dll ...`), its output kept as the daemon's.</summary>
    public static Daemon StartProgram(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["DOTNET_gcServer"] = "0";
        var process = new Process { StartInfo = info };
        var daemon = new Daemon(process);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    public string Output
    {
        get
        {
            lock (_gate)
                return _output.ToString();
        }
    }

    public int Pid => _process.Id;

    /// <summary>Waits until a line matches, and returns it; fails with the whole output otherwise.</summary>
    public async Task<Match> WaitForAsync(string pattern, TimeSpan within)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            var match = regex.Match(Output);
            if (match.Success)
                return match;
            if (_process.HasExited)
                break;
            await Task.Delay(50);
        }
        var last = regex.Match(Output);
        if (last.Success)
            return last;
        throw new TimeoutException($"no line matching /{pattern}/ within {within.TotalSeconds} s (exited: {_process.HasExited}); output:\n{Output}");
    }

    /// <summary>SIGTERM, as systemd stops a service.</summary>
    public void Terminate()
    {
        if (!_process.HasExited && kill(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the daemon did not exit within {within.TotalSeconds} s; output:\n{Output}");
        }
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            _output.AppendLine(line);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
