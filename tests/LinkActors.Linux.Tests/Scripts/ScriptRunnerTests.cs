using System.Net;
using LinkActors.Linux.Scripts;

namespace LinkActors.Linux.Tests.Scripts;

public sealed class ScriptRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("la-script-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Script(string body)
    {
        var path = Path.Combine(_dir, $"s{Guid.NewGuid():N}");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public async Task RunAsync_ShellMetacharactersInValues_ArriveAsPlainData()
    {
        var marker = Path.Combine(_dir, "pwned");
        var hostile = $"x; touch {marker} `touch {marker}` $(touch {marker})";
        var link = new ScriptLink("ppp0", "/dev/ttyUSB0", 115200, "lte", hostile, hostile);
        var invocation = PppdScriptArguments.Ipv4(Script("echo \"$6\"; echo \"$PEERNAME\"; echo \"$IPPARAM\""), link,
            IPAddress.Parse("192.0.2.2"), IPAddress.Parse("192.0.2.1"), null, null, usePeerDns: false, null);

        var result = await ScriptRunner.RunAsync(invocation, TimeSpan.FromSeconds(10));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([hostile, hostile, hostile], result.Output);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task RunAsync_EnvironmentIsOnlyPppdsVariables()
    {
        var link = new ScriptLink("ppp0", "/dev/ttyUSB0", 115200, "lte", "", null);
        var invocation = PppdScriptArguments.Ipv4(Script("env | sort"), link, IPAddress.Parse("192.0.2.2"), null,
            IPAddress.Parse("198.51.100.53"), null, usePeerDns: true, new ScriptTotals(TimeSpan.FromSeconds(61), 1000, 2000));

        var result = await ScriptRunner.RunAsync(invocation, TimeSpan.FromSeconds(10));

        var names = result.Output.Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]).Where(n => n is not ("PWD" or "SHLVL" or "_")).ToList();
        Assert.Equal(["BYTES_RCVD", "BYTES_SENT", "CONNECT_TIME", "DEVICE", "DNS1", "IFNAME", "IPLOCAL", "IPREMOTE", "LINKNAME", "PATH", "PPPD_PID", "SPEED", "USEPEERDNS"], names);
        Assert.Contains("IPREMOTE=0.0.0.0", result.Output);
        Assert.Contains("CONNECT_TIME=61", result.Output);
    }

    [Fact]
    public async Task RunAsync_ScriptOutlivesTimeout_IsKilled()
    {
        var invocation = new ScriptInvocation(Script("echo started; sleep 30"), [], new Dictionary<string, string>());

        var result = await ScriptRunner.RunAsync(invocation, TimeSpan.FromMilliseconds(500));

        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_MissingScript_ReportsStartError()
    {
        var result = await ScriptRunner.RunAsync(new ScriptInvocation(Path.Combine(_dir, "absent"), [], new Dictionary<string, string>()), TimeSpan.FromSeconds(5));

        Assert.NotNull(result.StartError);
        Assert.False(result.Succeeded);
    }
}
