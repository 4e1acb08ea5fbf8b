namespace LinkActors.System.Tests;

/// <summary>
/// The product as a user runs it: a client `linkactors run` and a server `linkactors run`, two
/// processes joined by a pty pair, negotiate, carry IP packets both ways, and end with a
/// Terminate exchange when systemd (here, the test) sends SIGTERM.
/// </summary>
[Collection("daemons")]
public sealed class TwoDaemonsOverPtyTests
{
    private static readonly TimeSpan UpWithin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(20);

    private static string Config(string name, string device, string body) => $$"""
        linkactors.management.enabled = false
        linkactors.links.{{name}} {
          device = "{{device}}"
          local = true
          lock = false
          lcp.restart = 1s
          network.mode = endpoint
          {{body}}
        }
        """;

    private const string Server = """
        role = server
        ipcp { local = "192.0.2.1", remote = "192.0.2.2", ms-dns = ["198.51.100.53", "198.51.100.54"] }
        watchdog.ping-interval = 1s
        """;

    private const string Client = """
        ipcp { noipdefault = true, usepeerdns = true }
        watchdog.ping-interval = 1s
        """;

    [Fact]
    public async Task TwoProcesses_ReachNetwork_PingBothWays_AndEndOnSigterm()
    {
        using var pty = new PtyPair();
        using var server = Daemon.Start("run", pty.Write("server.conf", Config("server", pty.B, Server)), "--debug");
        using var client = Daemon.Start("run", pty.Write("client.conf", Config("client", pty.A, Client)), "--debug");

        await client.WaitForAsync(@"client: IPCP up: local 192\.0\.2\.2, remote 192\.0\.2\.1, dns 198\.51\.100\.53 198\.51\.100\.54", UpWithin);
        await server.WaitForAsync(@"server: IPCP up: local 192\.0\.2\.1, remote 192\.0\.2\.2", UpWithin);

        // IP packets both ways: each side's probe pings the other's address and is answered.
        await client.WaitForAsync(@"client: ping 192\.0\.2\.1 seq=\d+ time=[\d.]+ ms", UpWithin);
        await server.WaitForAsync(@"server: ping 192\.0\.2\.2 seq=\d+ time=[\d.]+ ms", UpWithin);

        client.Terminate();
        Assert.Equal(0, await client.WaitForExitAsync(ExitWithin));
        Assert.Matches(@"sent \[LCP TermReq id=0x[0-9a-f]+", client.Output);
        Assert.Matches(@"rcvd \[LCP TermAck id=0x[0-9a-f]+", client.Output);
        await server.WaitForAsync(@"rcvd \[LCP TermReq id=0x[0-9a-f]+", ExitWithin);
        await server.WaitForAsync(@"sent \[LCP TermAck id=0x[0-9a-f]+", ExitWithin);
        await server.WaitForAsync(@"server: phase Dead", ExitWithin);

        // The server's link ended (no persist): like pppd it exits, with pppd's status for a hang-up.
        Assert.Equal(16, await server.WaitForExitAsync(ExitWithin));
    }

    [Theory]
    [InlineData("pap")]
    [InlineData("chap")]
    public async Task Authentication_RightAndWrongSecret(string method)
    {
        foreach (var (password, expectUp) in new[] { ("s3cret", true), ("wrong", false) })
        {
            using var pty = new PtyPair();
            var serverAuth = $"auth {{ require = {method}, secrets = [ {{ client = device-17, server = \"*\", secret = s3cret, addresses = [\"*\"] }} ] }}";
            using var server = Daemon.Start("run", pty.Write("server.conf", Config("server", pty.B, $"{Server}\n{serverAuth}")));
            using var client = Daemon.Start("run", pty.Write("client.conf", Config("client", pty.A, $"{Client}\nauth {{ user = device-17, password = {password} }}")));
            if (expectUp)
            {
                await server.WaitForAsync($@"server: {method.ToUpperInvariant()} authentication of the peer succeeded \(peer device-17\)", UpWithin);
                await client.WaitForAsync(@"client: IPCP up: local 192\.0\.2\.2", UpWithin);
                client.Terminate();
                Assert.Equal(0, await client.WaitForExitAsync(ExitWithin));
            }
            else
            {
                // pppd's exit statuses: 19 we failed to authenticate ourselves, 11 the peer failed.
                Assert.Equal(19, await client.WaitForExitAsync(UpWithin));
                Assert.Equal(11, await server.WaitForExitAsync(UpWithin));
                Assert.Matches("we failed to authenticate ourselves to the peer", client.Output);
                Assert.Matches("the peer failed to authenticate itself", server.Output);
                Assert.DoesNotContain("s3cret", server.Output, StringComparison.Ordinal);
                Assert.DoesNotContain("wrong", client.Output.Replace("wrong secret", "", StringComparison.Ordinal), StringComparison.Ordinal);
            }
        }
    }
}

/// <summary>Daemon tests start processes that use ptys and CPU: run them one at a time.</summary>
[CollectionDefinition("daemons", DisableParallelization = true)]
public sealed class DaemonCollection;
