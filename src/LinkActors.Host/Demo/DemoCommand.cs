using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Akka.Actor;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Emulator.Bridge;
using LinkActors.Emulator.Modem;
using LinkActors.Emulator.Profiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Host.Demo;

/// <summary>
/// `linkactors demo`: a whole link with no hardware. An emulated Quectel BC66 presents a pty; its
/// CONNECT leads over loopback TCP to a LinkActors server acting as the ISP; a LinkActors client
/// dials the modem with the BC66 chat script, authenticates with CHAP, negotiates, pings and
/// moves data across the link, then hangs up with a Terminate exchange.
/// As root each link gets a real TUN interface in a network namespace made for the demo (client and
/// ISP apart), and real programs and sockets in those namespaces carry the traffic; otherwise, or with
/// `--endpoints`, the links use in-process packet endpoints and the demo says why.
/// </summary>
public static class DemoCommand
{
    private static readonly TimeSpan UpWithin = TimeSpan.FromSeconds(60);
    private static readonly IPAddress ServerAddress = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress ClientAddress = IPAddress.Parse("192.0.2.2");

    /// <param name="endpoints">Use in-process packet endpoints even when interfaces could be made.</param>
    public static async Task<int> RunAsync(TextWriter output, bool endpoints, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(output);
        var work = Directory.CreateTempSubdirectory("linkactors-demo-");
        DemoNamespaces? namespaces = null;
        try
        {
            string? whyNot = "--endpoints given";
            if (!endpoints)
                (namespaces, whyNot) = await DemoNamespaces.TryCreateAsync().ConfigureAwait(false);
            int port = FreeLoopbackPort();
            output.WriteLine("LinkActors demo");
            output.WriteLine($"  modem:  emulated Quectel BC66 on a pty ({work.FullName}/modem), registering with the network");
            output.WriteLine($"  ISP:    a LinkActors server behind the modem's CONNECT (loopback TCP port {port}), CHAP required");
            output.WriteLine($"  client: dials with the BC66 chat script, then LCP, CHAP, IPCP");
            output.WriteLine(namespaces is null
                ? $"  data:   {whyNot}: using in-process packet endpoints instead of TUN interfaces"
                : $"  data:   TUN interfaces: the client's in network namespace {namespaces.Client}, the ISP's in {namespaces.Isp} " +
                  "(made for this demo and deleted at its end; the host's own interfaces and routes are untouched)");
            output.WriteLine();

            await using var modem = ModemEmulator.Start(new ModemEmulatorOptions
            {
                Profile = ModemProfile.Bc66,
                LinkPath = Path.Combine(work.FullName, "modem"),
                Server = PppServers.Tcp("127.0.0.1", port),
                RegistrationDelay = TimeSpan.FromSeconds(1),
            });
            var links = Settings.Create(Settings.Parse(Hocon(port, modem.PortPath, work.FullName, namespaces is not null), "demo"), "demo");
            var dataTrace = new DataTrace();
            using var host = LinkHost.Build(links, new LogOptions(Debug: true, LogFile: null, dataTrace), Dependencies(namespaces));
            await host.StartAsync(cancellation).ConfigureAwait(false);
            var system = host.Services.GetRequiredService<ActorSystem>();
            var transferTrace = new TransferTrace(dataTrace, host.Services.GetRequiredService<LogBarrier>(), system.Log);
            // SIGINT / SIGTERM reach the host (it stops the links) and the command line (it cancels, then
            // exits after a grace period): either one ends the demo's traffic so that the clean-up fits in.
            using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellation,
                host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
            var events = Channel.CreateUnbounded<object>();
            var listener = system.ActorOf(EventForwarder.Props(events.Writer), "demo-events");
            foreach (var type in new[] { typeof(LinkProtocol.Up), typeof(LinkManagement.GaveUp), typeof(RouteProtocol.Configured) })
                system.EventStream.Subscribe(listener, type);

            int exit = 1;
            try
            {
                var up = await WaitUpAsync(events.Reader, configuredBoth: namespaces is not null, interrupted.Token).ConfigureAwait(false);
                if (up is null && !interrupted.IsCancellationRequested)
                    output.WriteLine("The client link did not come up; see the log above for the reason.");
                else if (up is not null && await ExerciseAsync(system, up, namespaces, work.FullName, transferTrace, output, interrupted.Token).ConfigureAwait(false))
                    exit = 0;
            }
            catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
            {
            }
            if (interrupted.IsCancellationRequested)
            {
                output.WriteLine("Interrupted: cleaning up.");
                exit = 1;
            }
            output.WriteLine();
            output.WriteLine("Hanging up: LCP Terminate-Request, disconnect script, port released.");
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            output.WriteLine($"Modem counters: {modem.Counters}");
            if (namespaces is not null && !await TearDownAsync(namespaces, output).ConfigureAwait(false))
                exit = 1;
            return exit;
        }
        finally
        {
            if (namespaces is not null)
                await namespaces.DisposeAsync().ConfigureAwait(false);
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A pty link the emulator still holds is removed by the emulator itself.
            }
        }
    }

    /// <summary>Each link's network side: its TUN interface in its own namespace, or the in-process endpoint.</summary>
    private static Func<LinkSettings, LinkDependencies> Dependencies(DemoNamespaces? namespaces) => namespaces is null
        ? LinkDependencyFactory.FromConfig
        : link => LinkDependencyFactory.Default(link) with
        {
            NetworkProps = NetworkFactory.For(link, link.Name == "client" ? namespaces.Client : namespaces.Isp),
        };

    private static async Task<bool> ExerciseAsync(ActorSystem system, LinkProtocol.Up up, DemoNamespaces? namespaces, string work,
        TransferTrace transferTrace, TextWriter output, CancellationToken cancellation)
    {
        var links = system.ActorSelection("/user/links");
        var status = await links.Ask<LinkProtocol.Status>(new LinkManagement.ToLink("client", LinkProtocol.GetStatus.Instance), TimeSpan.FromSeconds(5), cancellation).ConfigureAwait(false);
        output.WriteLine();
        output.WriteLine($"Link up: local {up.Local}, remote {up.Remote}, DNS {up.Dns1} {up.Dns2}");
        if (status.Modem is { } modemInfo)
            output.WriteLine($"Modem:   {modemInfo.Describe()}");
        if (namespaces is not null)
            return await TunExercise.RunAsync(namespaces, ClientAddress, ServerAddress, ResolvConf(work), transferTrace, output, cancellation).ConfigureAwait(false);
        var side = await links.Ask<LinkProtocol.NetworkSide>(new LinkManagement.ToLink("client", LinkProtocol.GetNetworkSide.Instance), TimeSpan.FromSeconds(5), cancellation).ConfigureAwait(false);
        if (side.Actor is not { } endpoint)
        {
            output.WriteLine("The client link has no network side.");
            return false;
        }
        return await EndpointExercise.RunAsync(system, endpoint, ClientAddress, ServerAddress, transferTrace, output).ConfigureAwait(false);
    }

    /// <summary>
    /// After the links have ended: their interfaces must be gone (a TUN interface lives only while its
    /// descriptor is open), then the namespaces are deleted and must no longer be listed.
    /// </summary>
    private static async Task<bool> TearDownAsync(DemoNamespaces namespaces, TextWriter output)
    {
        bool clean = true;
        foreach (var name in namespaces.Names)
        {
            var left = await DemoNamespaces.IpAsync(name, "-br", "link").ConfigureAwait(false);
            var interfaces = left.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).Where(i => i != "lo").ToList();
            if (interfaces.Count > 0)
            {
                output.WriteLine($"Still in {name} after the link ended: {string.Join(", ", interfaces)}");
                clean = false;
            }
        }
        var failures = await namespaces.DeleteAsync().ConfigureAwait(false);
        foreach (var failure in failures)
            output.WriteLine($"Could not delete network namespace {failure}");
        var remaining = await namespaces.RemainingAsync().ConfigureAwait(false);
        if (failures.Count == 0 && remaining.Count == 0)
            output.WriteLine($"Interfaces removed; network namespaces {namespaces.Client} and {namespaces.Isp} deleted.");
        else
            output.WriteLine($"Left behind: {string.Join(", ", remaining)}");
        return clean && failures.Count == 0 && remaining.Count == 0;
    }

    private static string ResolvConf(string work) => Path.Combine(work, "resolv.conf");

    private static string Hocon(int port, string modemPath, string work, bool tun)
    {
        // With interfaces, everything the links write on the host goes to the demo's own directory,
        // and the client's default route is only in its own namespace.
        string ispNetwork = tun ? $"network {{ mode = tun, state-directory = \"{work}/isp-state\" }}" : "network.mode = endpoint";
        string clientNetwork = tun
            ? $"network {{ mode = tun, defaultroute = true, usepeerdns-file = \"{ResolvConf(work)}\", state-directory = \"{work}/client-state\" }}"
            : "network.mode = endpoint";
        return $$"""
            linkactors.links {
              isp {
                role = server
                {{ispNetwork}}
                device = "socket::{{port}}"
                local = true
                lock = false
                auth {
                  require = chap
                  secrets = [ { client = "demo-device", server = "*", secret = "demo-secret", addresses = ["192.0.2.2"] } ]
                }
                ipcp { local = "192.0.2.1", remote = "192.0.2.2", ms-dns = ["198.51.100.53", "198.51.100.54"] }
              }
              client {
                device = "{{modemPath}}"
                {{clientNetwork}}
                local = true
                lock = false
                record = "{{work}}/client.record"
                connect {
                  timeout = 10s
                  script = [
                    ABORT, BUSY, ABORT, "NO CARRIER", ABORT, "NO DIALTONE", ABORT, ERROR, ABORT, "NO ANSWER",
                    "", AT, OK, ATE0, OK, ATI, OK, "AT+CSQ", OK, "AT+CPIN?", OK, "AT+COPS?", OK, "AT+CGREG?",
                    OK, "AT+CGDCONT=1,\"IP\",\"iot.1nce.net\",,0,0", OK, "ATDT*99#", CONNECT, ""
                  ]
                }
                auth { user = "demo-device", password = "demo-secret", refuse-pap = true }
                ipcp { noipdefault = true, usepeerdns = true }
                lcp { echo-interval = 5s, echo-failure = 3 }
                # The modem may still be searching for a cell on the first dial: redial after a short holdoff.
                persist = true
                holdoff = 2s
              }
            }
            """;
    }

    /// <summary>
    /// Waits for the client's IPCP to open (IP crosses the link only from then on, RFC 1661 §3.6) and,
    /// with interfaces, for both links to have put the negotiated addresses and routes on theirs; null
    /// when the link gave up.
    /// </summary>
    private static async Task<LinkProtocol.Up?> WaitUpAsync(ChannelReader<object> reader, bool configuredBoth, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(UpWithin);
        LinkProtocol.Up? up = null;
        var configured = new HashSet<string>();
        try
        {
            while (up is null || (configuredBoth && configured.Count < 2))
            {
                switch (await reader.ReadAsync(timeout.Token).ConfigureAwait(false))
                {
                    case LinkProtocol.Up u when u.Link == "client":
                        up = u;
                        break;
                    case RouteProtocol.Configured c when c.Family == "IPv4":
                        configured.Add(c.Link);
                        break;
                    case LinkManagement.GaveUp:
                        return null;
                }
            }
            return up;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
