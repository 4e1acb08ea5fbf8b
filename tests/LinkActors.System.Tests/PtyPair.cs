using System.Diagnostics;

namespace LinkActors.System.Tests;

/// <summary>Two connected ptys made by socat, as a null-modem cable between two serial ports.</summary>
internal sealed class PtyPair : IDisposable
{
    private readonly Process _socat;

    public PtyPair()
    {
        Directory = global::System.IO.Directory.CreateTempSubdirectory("linkactors-system-").FullName;
        A = Path.Combine(Directory, "a");
        B = Path.Combine(Directory, "b");
        var info = new ProcessStartInfo("socat") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-d", $"PTY,raw,echo=0,link={A}", $"PTY,raw,echo=0,link={B}" })
            info.ArgumentList.Add(argument);
        _socat = Process.Start(info) ?? throw new InvalidOperationException("socat did not start (apt-get install socat)");
        var deadline = Stopwatch.StartNew();
        while (!(File.Exists(A) && File.Exists(B)))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10) || _socat.HasExited)
                throw new InvalidOperationException($"socat made no pty pair: {_socat.StandardError.ReadToEnd()}");
            Thread.Sleep(20);
        }
    }

    public string Directory { get; }
    public string A { get; }
    public string B { get; }

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        if (!_socat.HasExited)
        {
            _socat.Kill();
            _socat.WaitForExit(5000);
        }
        _socat.Dispose();
        try
        {
            global::System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
