using System.Net;
using System.Net.Sockets;

namespace LinkActors.System.Tests;

/// <summary>
/// A PAP or CHAP link at debug level with record files: the secret never appears in a log line, an
/// endpoint answer, `status`, `events` or `doctor`; the record files (which hold what crossed the
/// line, a PAP password included, as pppd's do) are readable by their owner only.
/// </summary>
[Collection("daemons")]
[global::System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecretsNeverShownTests
{
    private static readonly TimeSpan UpWithin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(20);

    private static string Config(string name, string device, int port, string record, string body) => $$"""
        linkactors.management { enabled = true, bind = "127.0.0.1", port = {{port}} }
        linkactors.links.{{name}} {
          device = "{{device}}"
          local = true
          lock = false
          lcp.restart = 1s
          network.mode = endpoint
          record = "{{record}}"
          watchdog.ping-interval = 1s
          {{body}}
        }
        """;

    [Theory]
    [InlineData("pap")]
    [InlineData("chap")]
    public async Task AuthenticatedLink_AtDebugLevel_NeverShowsTheSecret(string method)
    {
        string secret = $"Zq{method}Secret-7a1c";
        using var pty = new PtyPair();
        int serverPort = FreePort(), clientPort = FreePort();
        var serverRecord = Path.Combine(pty.Directory, "server.record");
        var clientRecord = Path.Combine(pty.Directory, "client.record");
        var serverBody = $$"""
            role = server
            ipcp { local = "192.0.2.1", remote = "192.0.2.2" }
            auth { require = {{method}}, secrets = [ { client = device-17, server = "*", secret = "{{secret}}", addresses = ["*"] } ] }
            """;
        var clientBody = $$"""
            ipcp.noipdefault = true
            auth { user = device-17, password = "{{secret}}" }
            """;
        using var server = Daemon.Start("run", pty.Write("server.conf", Config("server", pty.B, serverPort, serverRecord, serverBody)), "--debug");
        using var client = Daemon.Start("run", pty.Write("client.conf", Config("client", pty.A, clientPort, clientRecord, clientBody)), "--debug");

        await server.WaitForAsync($@"server: {method.ToUpperInvariant()} authentication of the peer succeeded", UpWithin);
        await client.WaitForAsync(@"client: IPCP up: local 192\.0\.2\.2", UpWithin);

        var seen = new List<(string What, string Text)>();
        using (var http = new HttpClient())
        {
            foreach (var (port, link) in new[] { (clientPort, "client"), (serverPort, "server") })
            {
                foreach (var route in new[] { "links", $"links/{link}", $"links/{link}/events", "metrics", "ready", "alive" })
                    seen.Add(($"GET {port}/{route}", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/{route}"))));
                foreach (var verb in new[] { new[] { "status" }, new[] { "status", "--json" }, new[] { "events", link }, new[] { "doctor", link, "--sample", "0" } })
                {
                    using var cli = Daemon.Start([.. verb, "--endpoint", $"http://127.0.0.1:{port}/"]);
                    await cli.WaitForExitAsync(ExitWithin);
                    seen.Add(($"linkactors {string.Join(' ', verb)} ({link})", cli.Output));
                }
            }
        }

        client.Terminate();
        server.Terminate();
        await client.WaitForExitAsync(ExitWithin);
        await server.WaitForExitAsync(ExitWithin);
        seen.Add(("client log", client.Output));
        seen.Add(("server log", server.Output));

        // The logs are at debug level: the packet trace of the authentication is there, without the secret.
        Assert.Matches(method == "pap" ? @"sent \[PAP AuthReq id=0x[0-9a-f]+" : @"rcvd \[CHAP Challenge id=0x[0-9a-f]+", client.Output);
        foreach (var (what, text) in seen)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"{what}: nothing to check");
            Assert.True(!text.Contains(secret, StringComparison.Ordinal), $"{what} shows the secret:\n{text}");
        }
        foreach (var record in new[] { serverRecord, clientRecord })
        {
            Assert.True(new FileInfo(record).Length > 0, record);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(record));
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
