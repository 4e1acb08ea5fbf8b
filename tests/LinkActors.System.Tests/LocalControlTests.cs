using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace LinkActors.System.Tests;

/// <summary>
/// Local control locked down: the CLI talks to the daemon over its control socket (0660, group
/// linkactors); control verbs over TCP need the token even on loopback; a program squatting on the
/// TCP port never receives the token from the CLI; a taken socket stops the daemon with one line.
/// </summary>
[Collection("daemons")]
[global::System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalControlTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private static readonly string[] AsNobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"];
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("linkactors-control-");

    public void Dispose() => _directory.Delete(recursive: true);

    /// <summary>A link that keeps waiting for its device (it never appears), so it stays in Dial until told otherwise.</summary>
    private string Config(int port, string extra = "") => Write("control.conf", $$"""
        linkactors.management {
          port = {{port}}
          {{extra}}
        }
        linkactors.links.w { device = "/dev/ttyNOSUCH9", lock = false, persist = true }
        """);

    [Fact]
    public async Task Nobody_CannotRedialOrTakeDownALink_ByTheSocketOrByTcp_ButRootCan()
    {
        int port = FreePort();
        // The runtime directory reachable by anyone (0755 here, so that the socket's own mode is what is tested).
        var runtime = RuntimeDirectory();
        string socket = Path.Combine(runtime, "control.sock");
        // A socket left behind by a daemon that died is replaced.
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            stale.Bind(new UnixDomainSocketEndPoint(socket));
        var root = new Dictionary<string, string> { ["RUNTIME_DIRECTORY"] = runtime };
        using var daemon = Daemon.StartWith(root, null, "run", Config(port));
        await daemon.WaitForAsync(@"Control socket \S+control\.sock", Within);
        await daemon.WaitForAsync(@"w: phase Dial", Within);
        Assert.Equal((UnixFileMode)0b110_110_000, File.GetUnixFileMode(socket));
        var before = await ReadLinkAsync(port);
        Assert.Equal(1, before.GetProperty("attempts").GetInt32());

        foreach (var verb in new[] { "down", "redial" })
        {
            // The CLI as nobody, over the socket: the kernel refuses the connection.
            using (var cli = Daemon.StartWith(null, AsNobody, verb, "w", "--socket", socket))
            {
                Assert.Equal(3, await cli.WaitForExitAsync(Within));
                Assert.Contains("permission denied", Assert.Single(Lines(cli.Output)), StringComparison.Ordinal);
            }
            // The CLI as nobody, over TCP on loopback without a token: 401.
            using (var cli = Daemon.StartWith(null, AsNobody, verb, "w", "--endpoint", $"http://127.0.0.1:{port}/"))
            {
                Assert.Equal(1, await cli.WaitForExitAsync(Within));
                Assert.StartsWith("control verbs over TCP need the management token, and this daemon has none", Assert.Single(Lines(cli.Output)), StringComparison.Ordinal);
            }
            // And the request the way the finding made it: curl as nobody, on the socket and on the port.
            var (socketStatus, socketOut) = await RunAsync([.. AsNobody, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                "--unix-socket", socket, $"http://localhost/links/w/{verb}"]);
            Assert.True(socketStatus != 0 && socketOut.Trim() == "000", $"curl over the socket as nobody: exit {socketStatus}, {socketOut}");
            var (_, tcpOut) = await RunAsync([.. AsNobody, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", $"http://127.0.0.1:{port}/links/w/{verb}"]);
            Assert.Equal("401", tcpOut.Trim());
        }
        var after = await ReadLinkAsync(port);
        Assert.Equal(1, after.GetProperty("attempts").GetInt32());
        Assert.True(after.GetProperty("running").GetBoolean());
        Assert.DoesNotContain("requested over the management endpoint", daemon.Output, StringComparison.Ordinal);

        // Root, over the socket by default (no --socket, no token): the same verbs work.
        using (var cli = Daemon.StartWith(root, null, "redial", "w"))
        {
            Assert.Equal(0, await cli.WaitForExitAsync(Within));
            Assert.Equal("w: the link is hanging up and dialing again now", Assert.Single(Lines(cli.Output)));
        }
        await daemon.WaitForAsync("w: redial requested over the management endpoint", Within);
        using (var cli = Daemon.StartWith(root, null, "down", "w"))
        {
            Assert.Equal(0, await cli.WaitForExitAsync(Within));
            Assert.Equal("w: the link is being taken down and will stay down", Assert.Single(Lines(cli.Output)));
        }
        await daemon.WaitForAsync("w: down requested over the management endpoint", Within);
        daemon.Terminate();
        await daemon.WaitForExitAsync(Within);
        Assert.False(File.Exists(socket), "the control socket is removed on the way out");
    }

    [Fact]
    public async Task Squatter_OnTheTcpPort_NeverReceivesTheToken()
    {
        const string Token = "squatted-token-5b2e9c";
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        int port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var received = new StringBuilder();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            // Answers every request as a daemon would, with a made-up proof, and keeps everything it is sent.
            while (!stop.IsCancellationRequested)
            {
                using var client = await squatter.AcceptTcpClientAsync(stop.Token);
                using var stream = client.GetStream();
                var buffer = new byte[65536];
                while (true)
                {
                    int read;
                    try
                    {
                        read = await stream.ReadAsync(buffer, stop.Token);
                    }
                    catch (IOException)
                    {
                        break;
                    }
                    if (read == 0)
                        break;
                    lock (received)
                        received.Append(Encoding.Latin1.GetString(buffer, 0, read));
                    string body = $"{{\"nonce\":\"{new string('a', 64)}\",\"proof\":\"{new string('b', 64)}\"}}";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(
                        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}"), stop.Token);
                }
            }
        });
        foreach (var verb in new[] { new[] { "down", "w" }, ["redial", "w"], ["status"] })
        {
            using var cli = Daemon.StartWith(new Dictionary<string, string> { ["LINKACTORS_TOKEN"] = Token }, null, [.. verb, "--endpoint", $"http://127.0.0.1:{port}/"]);
            Assert.Equal(3, await cli.WaitForExitAsync(Within));
            Assert.Equal($"refusing to send the management token to http://127.0.0.1:{port}/: it did not prove that it knows the token " +
                "(another program may be listening there, or the daemon has another token or none)", Assert.Single(Lines(cli.Output)));
        }
        using (var cli = Daemon.Start("down", "w", "--endpoint", $"http://127.0.0.1:{port}/", "--token", Token))
            Assert.Equal(3, await cli.WaitForExitAsync(Within));
        stop.Cancel();
        squatter.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => accepting);
        string seen;
        lock (received)
            seen = received.ToString();
        // The CLI did talk to the squatter (its challenge), and nothing it sent holds the token.
        Assert.Contains("GET /auth/challenge?nonce=", seen, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, seen, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", seen, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TokenOverTcp_WithTheRealDaemon_ControlsTheLink_AndAWrongTokenIsRefusedBeforeItIsSent()
    {
        const string Token = "the-real-token-81f0";
        int port = FreePort();
        using var daemon = Daemon.Start("run", Config(port, $"token = \"{Token}\""));
        await daemon.WaitForAsync(@"w: phase Dial", Within);
        await daemon.WaitForAsync(@"Management endpoint on", Within);
        using (var wrong = Daemon.Start("redial", "w", "--endpoint", $"http://127.0.0.1:{port}/", "--token", "not-the-token"))
        {
            Assert.Equal(3, await wrong.WaitForExitAsync(Within));
            Assert.StartsWith("refusing to send the management token", Assert.Single(Lines(wrong.Output)), StringComparison.Ordinal);
        }
        Assert.Equal(1, (await ReadLinkAsync(port)).GetProperty("attempts").GetInt32());
        using (var right = Daemon.Start("redial", "w", "--endpoint", $"http://127.0.0.1:{port}/", "--token", Token))
        {
            Assert.Equal(0, await right.WaitForExitAsync(Within));
            Assert.Equal("w: the link is hanging up and dialing again now", Assert.Single(Lines(right.Output)));
        }
        await daemon.WaitForAsync("w: redial requested over the management endpoint", Within);
    }

    [Fact]
    public async Task ControlSocketTaken_OneLine_Exit1()
    {
        string socket = Path.Combine(RuntimeDirectory(), "control.sock");
        // Another daemon already listens on the socket (here: this test).
        using var other = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        other.Bind(new UnixDomainSocketEndPoint(socket));
        other.Listen(1);
        using var daemon = Daemon.StartWith(new Dictionary<string, string> { ["RUNTIME_DIRECTORY"] = Path.GetDirectoryName(socket)! }, null, "run", Config(FreePort()));
        int status = await daemon.WaitForExitAsync(Within);
        Assert.Equal(1, status);
        Assert.Equal($"management endpoint: cannot listen on the control socket {socket}: the socket is already in use (another daemon listens on it)",
            Assert.Single(Lines(daemon.Output)));
    }

    private string RuntimeDirectory()
    {
        const UnixFileMode Open = (UnixFileMode)0b111_101_101;
        File.SetUnixFileMode(_directory.FullName, Open);
        var runtime = Directory.CreateDirectory(Path.Combine(_directory.FullName, "run"), Open).FullName;
        File.SetUnixFileMode(runtime, Open);
        return runtime;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string[] Lines(string output) => output.Trim().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<JsonElement> ReadLinkAsync(int port)
    {
        using var http = new HttpClient();
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/links/w")));
        return json.RootElement.Clone();
    }

    private static async Task<(int Status, string Output)> RunAsync(string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
