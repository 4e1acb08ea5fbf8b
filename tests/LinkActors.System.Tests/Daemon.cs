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

    private readonly DirectoryInfo? _runtime;

    private Daemon(Process process, DirectoryInfo? runtime)
    {
        _process = process;
        _runtime = runtime;
    }

    /// <summary>
    /// The process's own runtime directory (RUNTIME_DIRECTORY, as systemd gives a service), so that each
    /// daemon of a test has its own control socket; null when the test chose the environment.
    /// </summary>
    public string? RuntimeDirectory => _runtime?.FullName;

    /// <summary>Where the daemon's control socket is, with the default configuration.</summary>
    public string ControlSocket => Path.Combine(RuntimeDirectory ?? throw new InvalidOperationException("no runtime directory of ours"), "control.sock");

    /// <summary>The linkactors.dll built beside this test assembly (the project references the host).</summary>
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "linkactors.dll");

    public static Daemon Start(params string[] arguments) => StartWith(null, null, arguments);

    /// <param name="environment">Variables to set (RUNTIME_DIRECTORY among them, or a fresh directory is made for it).</param>
    /// <param name="runAs">A command put before `dotnet` (e.g. setpriv ... to run as another user).</param>
    public static Daemon StartWith(IReadOnlyDictionary<string, string>? environment, string[]? runAs, params string[] arguments)
    {
        var command = new List<string>();
        if (runAs is { Length: > 0 })
            command.AddRange([.. runAs.Skip(1), "dotnet"]);
        command.Add(Executable);
        command.AddRange(arguments);
        return Launch(runAs is { Length: > 0 } ? runAs[0] : "dotnet", command, environment, ownRuntimeDirectory: true);
    }

    /// <summary>Any program (e.g. `unshare ... dotnet linkactors.dll ...`), its output kept as the daemon's; the
    /// program sees the runtime directory it is given (a private /run in its own namespaces, say).</summary>
    public static Daemon StartProgram(string program, IEnumerable<string> arguments) =>
        Launch(program, arguments, null, ownRuntimeDirectory: false);

    private static Daemon Launch(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, bool ownRuntimeDirectory)
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
        DirectoryInfo? runtime = null;
        if (ownRuntimeDirectory && (environment is null || !environment.ContainsKey("RUNTIME_DIRECTORY")))
        {
            runtime = Directory.CreateTempSubdirectory("la-run-");
            info.Environment["RUNTIME_DIRECTORY"] = runtime.FullName;
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        var process = new Process { StartInfo = info };
        var daemon = new Daemon(process, runtime);
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
        try
        {
            _runtime?.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
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
