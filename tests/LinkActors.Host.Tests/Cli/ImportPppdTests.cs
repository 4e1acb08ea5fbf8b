using LinkActors.Actors.Configuration.Pppd;
using LinkActors.Host.Cli;

namespace LinkActors.Host.Tests.Cli;

/// <summary>`import-pppd` with a password in the peer file: never readable by others, never printed without a warning.</summary>
[global::System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ImportPppdTests : IDisposable
{
    private const string Password = "hunter2-import-secret";
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("la-import-");
    private readonly PppdEnvironment _environment;

    public ImportPppdTests()
    {
        var peers = Directory.CreateDirectory(Path.Combine(_root.FullName, "etc/ppp/peers"));
        File.WriteAllText(Path.Combine(peers.FullName, "isp"), $"/dev/ttyUSB2\n115200\nuser bob\npassword {Password}\nnoauth\n");
        _environment = new PppdEnvironment(_root.FullName, "/nonexistent-home");
    }

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Output_IsANew0600File_AndNothingSecretOnTheConsole()
    {
        var file = Path.Combine(_root.FullName, "links.conf");
        var (status, stdout, stderr) = Run(file);

        Assert.Equal(0, status);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Contains(Password, File.ReadAllText(file), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_ExistingFileOrSymlink_IsRefusedAndLeftAlone()
    {
        var victim = Path.Combine(_root.FullName, "victim");
        File.WriteAllText(victim, "keep");
        var link = Path.Combine(_root.FullName, "link.conf");
        File.CreateSymbolicLink(link, victim);

        var (status, _, stderr) = Run(link);

        Assert.Equal(1, status);
        Assert.Contains("already exists", stderr, StringComparison.Ordinal);
        Assert.Equal("keep", File.ReadAllText(victim));
    }

    [Fact]
    public void Stdout_WithAPassword_WarnsOnStderr()
    {
        var (status, stdout, stderr) = Run(null);

        Assert.Equal(0, status);
        Assert.Contains(Password, stdout, StringComparison.Ordinal);
        Assert.StartsWith("warning: the configuration printed holds a password", stderr, StringComparison.Ordinal);
    }

    private (int Status, string Stdout, string Stderr) Run(string? output)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int status = CommandLine.ImportPppd("isp", output, _environment, stdout, stderr);
        return (status, stdout.ToString(), stderr.ToString());
    }
}
