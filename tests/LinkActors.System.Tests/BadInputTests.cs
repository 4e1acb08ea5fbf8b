namespace LinkActors.System.Tests;

/// <summary>A bad configuration or a missing device: one clear line, a non-zero exit, never a hang.</summary>
[Collection("daemons")]
public sealed class BadInputTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task UnknownKey_OneLineNamingFileAndKey_Exit2()
    {
        using var pty = new PtyPair();
        var config = pty.Write("typo.conf", $"linkactors.links.a {{\n device = \"{pty.A}\"\n lcp {{ mruu = 1400 }}\n}}");
        using var daemon = Daemon.Start("run", config);
        Assert.Equal(2, await daemon.WaitForExitAsync(Within));
        Assert.Equal($"{config}: linkactors.links.a.lcp.mruu: unknown key", daemon.Output.Trim());
    }

    [Fact]
    public async Task UnreadableChatFile_OneLine_Exit2()
    {
        using var pty = new PtyPair();
        var config = pty.Write("chat.conf", $"linkactors.links.a {{\n device = \"{pty.A}\"\n connect.chat-file = \"/nonexistent/quectel-chat-connect\"\n}}");
        using var daemon = Daemon.Start("run", config);
        Assert.Equal(2, await daemon.WaitForExitAsync(Within));
        var line = Assert.Single(daemon.Output.Trim().Split('\n'));
        Assert.StartsWith($"{config}: linkactors.links.a.connect: ", line, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/quectel-chat-connect", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingDevice_SaysSo_AndExitsWithOpenFailed()
    {
        using var pty = new PtyPair();
        var config = pty.Write("missing.conf", "linkactors.management.enabled = false\nlinkactors.links.a {\n device = \"/dev/ttyNOSUCH9\"\n lock = false\n network.mode = endpoint\n watchdog.device-wait = 0s\n}");
        using var daemon = Daemon.Start("run", config);
        // pppd's status 7: the serial port could not be opened.
        Assert.Equal(7, await daemon.WaitForExitAsync(Within));
        Assert.Contains("/dev/ttyNOSUCH9", daemon.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageOnTheLine_DuringPpp_DoesNotCrashAndTheLinkStillComesUp()
    {
        using var pty = new PtyPair();
        var config = pty.Write("c.conf", $"linkactors.management.enabled = false\nlinkactors.links.a {{\n device = \"{pty.A}\"\n local = true\n lock = false\n lcp.restart = 1s\n ipcp.noipdefault = true\n network.mode = endpoint\n}}");
        using var daemon = Daemon.Start("run", config, "--debug");
        // The far end spews random bytes (with flags and escapes among them) at the link for a while.
        await using (var line = new FileStream(pty.B, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0))
        {
            var random = new Random(7);
            var noise = new byte[4096];
            for (int i = 0; i < 64; i++)
            {
                random.NextBytes(noise);
                await line.WriteAsync(noise);
            }
            await daemon.WaitForAsync(@"sent \[LCP ConfReq", Within);
        }
        Assert.DoesNotContain("Unhandled exception", daemon.Output, StringComparison.Ordinal);
        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(Within));
    }
}
