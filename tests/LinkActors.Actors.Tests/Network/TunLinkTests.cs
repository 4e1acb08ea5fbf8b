using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Tests.Shared;
using Xunit.Abstractions;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Actors.Tests.Network;

/// <summary>
/// Two whole links as kernel interfaces: a client in one network namespace and a server in another,
/// over a socat pty pair, in one actor system. IP crosses the link (ping, a TCP transfer), the host
/// changes (addresses, routes, resolv.conf, scripts) are made, and after the link ends nothing is left.
/// Needs root (namespaces, TUN), socat and ping.
/// </summary>
[Collection("netns")]
public sealed class TunLinkTests : TwoNamespaceTestKit
{
    private static readonly TimeSpan UpWithin = TimeSpan.FromSeconds(25);

    public TunLinkTests(ITestOutputHelper output) : base("akka.loglevel = INFO\nakka.stdout-loglevel = INFO", "la-tun-", output)
    {
    }

    private string Script(string name, string output)
    {
        // Records its arguments and environment exactly; it interprets none of them.
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, $"#!/bin/sh\n{{ env; echo \"ARGC=$#\"; for a in \"$@\"; do echo \"ARG=$a\"; done; }} > {output}\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void TunLinks_CarryPingAndTcp_ConfigureTheHost_AndLeaveNothingBehind()
    {
        var pwned = Path.Combine(Path.GetTempPath(), $"la-pwned-{Guid.NewGuid():N}");
        var injection = $"x; touch {pwned}";
        // The client's namespace has a default route of its own, which replacedefaultroute must put back.
        ClientNs.Ip("link", "add", "la-dummy0", "type", "veth", "peer", "name", "la-dummy1");
        ClientNs.Ip("link", "set", "la-dummy1", "up");
        ClientNs.Ip("link", "set", "la-dummy0", "up");
        ClientNs.Ip("addr", "add", "198.51.100.10/24", "dev", "la-dummy0");
        ClientNs.Ip("route", "add", "default", "via", "198.51.100.1", "dev", "la-dummy0");
        var routesBefore = ClientNs.Routes();
        var resolv = Path.Combine(Dir, "etc-ppp", "resolv.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(resolv)!);
        File.WriteAllText(resolv, "nameserver 192.0.2.53\n");
        var clientUp = Path.Combine(Dir, "client-ip-up.out");
        var clientDown = Path.Combine(Dir, "client-ip-down.out");
        var serverUp = Path.Combine(Dir, "server-ip-up.out");

        using var pty = new SocatPtyPair();
        var events = CreateTestProbe();
        foreach (var type in new[] { typeof(LinkProtocol.Up), typeof(LinkProtocol.Ended), typeof(TunProtocol.InterfaceCreated),
                     typeof(TunProtocol.InterfaceRemoved), typeof(RouteProtocol.Configured), typeof(RouteProtocol.ScriptFinished) })
            Sys.EventStream.Subscribe(events, type);

        var server = Link("server", pty.B, pty.LockDirectory,
            "role = server\n ipcp { local = 192.0.2.1, remote = 192.0.2.2, ms-dns = [198.51.100.53, 198.51.100.54] }\n" +
            $" auth {{ require = pap, secrets = [ {{ client = \"{injection}\", server = \"*\", secret = s3cret, addresses = [\"*\"] }} ] }}\n" +
            $" network {{ mode = tun, ip-up = \"{Script("server-ip-up", serverUp)}\", state-directory = \"{Dir}/state-server\" }}");
        var client = Link("client", pty.A, pty.LockDirectory,
            "ipcp { noipdefault = true, usepeerdns = true }\n" +
            $" auth {{ user = \"{injection}\", password = s3cret }}\n" +
            " network { mode = tun, defaultroute = true, replacedefaultroute = true, defaultroute-metric = 5, routes = [\"198.51.100.128/25\"]\n" +
            $"   usepeerdns-file = \"{resolv}\", ipparam = \"{injection}\", state-directory = \"{Dir}/state-client\"\n" +
            $"   ip-up = \"{Script("client-ip-up", clientUp)}\", ip-down = \"{Script("client-ip-down", clientDown)}\" }}");
        var serverManager = Manage(server, ServerNs);
        var clientManager = Manage(client, ClientNs);
        try
        {
            var interfaces = new Dictionary<string, string>();
            var scripts = new HashSet<string>();
            var ups = new HashSet<string>();
            events.FishForMessage(m =>
            {
                switch (m)
                {
                    case TunProtocol.InterfaceCreated c: interfaces[c.Link] = c.Interface; break;
                    case LinkProtocol.Up u: ups.Add(u.Link); break;
                    case RouteProtocol.ScriptFinished s when s.Script == "ip-up":
                        Assert.Equal(0, s.ExitCode);
                        scripts.Add(s.Link);
                        break;
                }
                return ups.Count == 2 && scripts.Count == 2;
            }, UpWithin);
            var clientIf = interfaces["client"];
            var serverIf = interfaces["server"];

            // Addresses: ours with the peer's, as a point-to-point link (RFC 1332 §3.3).
            var clientAddr = ClientNs.IpJson("addr", "show", "dev", clientIf)[0].GetProperty("addr_info")
                .EnumerateArray().Single(a => a.GetProperty("family").GetString() == "inet");
            Assert.Equal("192.0.2.2", clientAddr.GetProperty("local").GetString());
            Assert.Equal("192.0.2.1", clientAddr.GetProperty("address").GetString());
            var serverAddr = ServerNs.IpJson("addr", "show", "dev", serverIf)[0].GetProperty("addr_info")
                .EnumerateArray().Single(a => a.GetProperty("family").GetString() == "inet");
            Assert.Equal("192.0.2.1", serverAddr.GetProperty("local").GetString());
            Assert.Equal("192.0.2.2", serverAddr.GetProperty("address").GetString());
            Assert.Contains("UP", ClientNs.IpJson("link", "show", "dev", clientIf)[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

            // Routes: ours replaced the dummy default route; the configured route is on the link.
            var routes = ClientNs.IpJson("route", "show").EnumerateArray().ToList();
            var defaults = routes.Where(r => r.GetProperty("dst").GetString() == "default").ToList();
            var ourDefault = Assert.Single(defaults);
            Assert.Equal(clientIf, ourDefault.GetProperty("dev").GetString());
            Assert.Equal(5, ourDefault.GetProperty("metric").GetInt32());
            Assert.Contains(routes, r => r.GetProperty("dst").GetString() == "198.51.100.128/25" && r.GetProperty("dev").GetString() == clientIf);
            Output.WriteLine($"client routes while up:\n{ClientNs.Routes()}");

            // DNS (RFC 1877) in the link's resolv.conf, as pppd writes it.
            Assert.Equal("nameserver 198.51.100.53\nnameserver 198.51.100.54\n", File.ReadAllText(resolv));

            // Scripts: pppd's arguments and environment; a value with shell syntax in it is only data.
            var up = ScriptOutput(clientUp);
            Assert.Equal(clientIf, up["IFNAME"]);
            Assert.Equal("192.0.2.2", up["IPLOCAL"]);
            Assert.Equal("192.0.2.1", up["IPREMOTE"]);
            Assert.Equal("198.51.100.53", up["DNS1"]);
            Assert.Equal("198.51.100.54", up["DNS2"]);
            Assert.Equal("1", up["USEPEERDNS"]);
            Assert.Equal("client", up["LINKNAME"]);
            Assert.Equal(injection, up["IPPARAM"]);
            Assert.Equal(pty.A, up["DEVICE"]);
            Assert.Equal("6", up["ARGC"]);
            Assert.Equal([clientIf, pty.A, "115200", "192.0.2.2", "192.0.2.1", injection], ScriptArguments(clientUp));
            var serverEnv = ScriptOutput(serverUp);
            Assert.Equal(injection, serverEnv["PEERNAME"]);
            Assert.Equal("192.0.2.1", serverEnv["IPLOCAL"]);
            Assert.False(File.Exists(pwned), "a peer-supplied value was run as a command");

            // Ping both ways across the link.
            Output.WriteLine(ClientNs.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "3", "-W", "2", "192.0.2.1"));
            Output.WriteLine(ServerNs.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "3", "-W", "2", "192.0.2.2"));

            TransferAndCompare(50 * 1024 * 1024);

            // The client ends the link; both sides take everything down.
            clientManager.Tell(new LinkManagement.StopAll("test done"));
            var ended = new HashSet<string>();
            var removed = new HashSet<string>();
            var downScript = false;
            events.FishForMessage(m =>
            {
                switch (m)
                {
                    case LinkProtocol.Ended e: ended.Add(e.Link); break;
                    case TunProtocol.InterfaceRemoved r: removed.Add(r.Link); break;
                    case RouteProtocol.ScriptFinished s when s.Script == "ip-down": downScript = true; break;
                }
                return ended.Count == 2 && removed.Count == 2 && downScript;
            }, UpWithin);

            Assert.DoesNotContain(clientIf, ClientNs.Links());
            Assert.DoesNotContain(serverIf, ServerNs.Links());
            Assert.Equal(routesBefore, ClientNs.Routes());
            Assert.Equal("", ServerNs.Routes());
            Assert.Equal("nameserver 192.0.2.53\n", File.ReadAllText(resolv));
            Assert.Empty(Directory.GetFiles(Path.Combine(Dir, "state-client")));
            Assert.Empty(Directory.GetFiles(Path.Combine(Dir, "state-server")));
            var down = ScriptOutput(clientDown);
            Assert.True(long.Parse(down["BYTES_SENT"]) >= 50L * 1024 * 1024, $"BYTES_SENT {down["BYTES_SENT"]}");
            Assert.True(long.Parse(down["BYTES_RCVD"]) > 0);
            Assert.True(down.ContainsKey("CONNECT_TIME"));
            Assert.False(File.Exists(pwned));
        }
        finally
        {
            clientManager.Tell(new LinkManagement.StopAll("test cleanup"));
            serverManager.Tell(new LinkManagement.StopAll("test cleanup"));
            File.Delete(pwned);
        }
    }

    private void TransferAndCompare(int size)
    {
        var input = Path.Combine(Dir, "in.bin");
        var output = Path.Combine(Dir, "out.bin");
        var data = new byte[size];
        Random.Shared.NextBytes(data);
        File.WriteAllBytes(input, data);
        var listener = ServerNs.Start("socat", "-u", "TCP-LISTEN:5001,reuseaddr", $"OPEN:{output},creat,trunc");
        try
        {
            Thread.Sleep(300);
            var clock = Stopwatch.StartNew();
            ClientNs.Exec(TimeSpan.FromMinutes(5), "socat", "-u", $"OPEN:{input}", "TCP:192.0.2.1:5001");
            Assert.True(listener.WaitForExit(TimeSpan.FromMinutes(1)), "the receiver did not finish");
            clock.Stop();
            Output.WriteLine($"TCP transfer of {size / (1024 * 1024)} MiB: {clock.Elapsed.TotalSeconds:0.0} s, " +
                $"{size / clock.Elapsed.TotalSeconds / (1024 * 1024):0.00} MiB/s");
            Assert.Equal(Convert.ToHexString(SHA256.HashData(data)), Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(output))));
        }
        finally
        {
            Shell.Stop(listener);
            File.Delete(input);
            File.Delete(output);
        }
    }

    [Fact]
    public void TunMtu_IsTheLeastOfBothMrus_AsPppdsLcpUp()
    {
        // pppd's lcp_up: the interface MTU is min(peer's MRU, our MRU, mtu). The client asks for 576
        // and the server for 296: each side's interface gets 296, the server's through its own MRU.
        using var pty = new SocatPtyPair();
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(LinkProtocol.Up));
        Sys.EventStream.Subscribe(events, typeof(TunProtocol.InterfaceCreated));
        var server = Link("server", pty.B, pty.LockDirectory,
            "role = server\n lcp.mru = 296\n ipcp { local = 192.0.2.1, remote = 192.0.2.2 }\n ipv6cp.enabled = false\n" +
            $" network {{ mode = tun, state-directory = \"{Dir}/state-server\" }}");
        var client = Link("client", pty.A, pty.LockDirectory,
            "lcp.mru = 576\n ipcp { noipdefault = true }\n ipv6cp.enabled = false\n" +
            $" network {{ mode = tun, state-directory = \"{Dir}/state-client\" }}");
        var serverManager = Manage(server, ServerNs);
        var clientManager = Manage(client, ClientNs);
        try
        {
            var interfaces = new Dictionary<string, string>();
            var ups = new HashSet<string>();
            events.FishForMessage(m =>
            {
                switch (m)
                {
                    case TunProtocol.InterfaceCreated c: interfaces[c.Link] = c.Interface; break;
                    case LinkProtocol.Up u: ups.Add(u.Link); break;
                }
                return ups.Count == 2 && interfaces.Count == 2;
            }, UpWithin);
            int Mtu(TestNamespace ns, string name) => ns.IpJson("link", "show", "dev", name)[0].GetProperty("mtu").GetInt32();
            Assert.Equal(296, Mtu(ClientNs, interfaces["client"]));
            Assert.Equal(296, Mtu(ServerNs, interfaces["server"]));
        }
        finally
        {
            clientManager.Tell(new LinkManagement.StopAll("test done"));
            serverManager.Tell(new LinkManagement.StopAll("test done"));
        }
    }

    private static Dictionary<string, string> ScriptOutput(string path)
    {
        var values = new Dictionary<string, string>();
        foreach (var line in File.ReadAllLines(path))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && !line.StartsWith("ARG=", StringComparison.Ordinal))
                values[line[..equals]] = line[(equals + 1)..];
        }
        return values;
    }

    private static List<string> ScriptArguments(string path) =>
        File.ReadAllLines(path).Where(l => l.StartsWith("ARG=", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
}
