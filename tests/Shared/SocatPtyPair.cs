using System.Diagnostics;

namespace LinkActors.Tests.Shared;

/// <summary>
/// Two real ptys joined by socat (`socat PTY,raw,echo=0,link=A PTY,raw,echo=0,link=B`): what is written to
/// one comes out of the other. Killing socat makes both vanish, as an unplugged modem would. Dispose kills
/// socat and removes the directory.
/// </summary>
public sealed class SocatPtyPair : IDisposable
{
    private readonly Process _socat;

    public SocatPtyPair()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("la-pty-").FullName;
        LockDirectory = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "lock")).FullName;
        A = Path.Combine(Directory, "a");
        B = Path.Combine(Directory, "b");
        var start = new ProcessStartInfo("socat") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in new[] { "-d", "-d", $"PTY,raw,echo=0,link={A}", $"PTY,raw,echo=0,link={B}" })
            start.ArgumentList.Add(arg);
        _socat = Process.Start(start)!;
        _socat.ErrorDataReceived += (_, _) => { };
        _socat.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(A) || !File.Exists(B))
        {
            if (_socat.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                Dispose();
                throw new InvalidOperationException("socat did not create the pty links");
            }
            Thread.Sleep(20);
        }
    }

    public string Directory { get; }

    public string LockDirectory { get; }

    /// <summary>The side the actor opens.</summary>
    public string A { get; }

    /// <summary>The test's side.</summary>
    public string B { get; }

    /// <summary>Opens the test's side for reading and writing.</summary>
    public FileStream OpenB() => new(B, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);

    /// <summary>Ends socat: both ptys go away under whoever has them open.</summary>
    public void Kill()
    {
        if (_socat.HasExited)
            return;
        _socat.Kill();
        _socat.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        finally
        {
            _socat.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
