using System.Diagnostics;
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
/// </summary>
public static class DemoCommand
{
    private static readonly TimeSpan UpWithin = TimeSpan.FromSeconds(60);
    private static readonly IPAddress ServerAddress = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress ClientAddress = IPAddress.Parse("192.0.2.2");

    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellation)
    {
        var work = Directory.CreateTempSubdirectory("linkactors-demo-");
        try
        {
            int port = FreeLoopbackPort();
            output.WriteLine("LinkActors demo");
            output.WriteLine($"  modem:  emulated Quectel BC66 on a pty ({work.FullName}/modem), registering with the network");
            output.WriteLine($"  ISP:    a LinkActors server behind the modem's CONNECT (loopback TCP port {port}), CHAP required");
            output.WriteLine($"  client: dials with the BC66 chat script, then LCP, CHAP, IPCP");
            output.WriteLine(Environment.UserName == "root" || Environment.IsPrivilegedProcess
                ? "  data:   in-process packet endpoints (this demo keeps the host's interfaces untouched; `linkactors run` with network.mode = tun makes a real interface)"
                : "  data:   in-process packet endpoints: not running as root, so no TUN interface or route is created");
            output.WriteLine();

            await using var modem = ModemEmulator.Start(new ModemEmulatorOptions
            {
                Profile = ModemProfile.Bc66,
                LinkPath = Path.Combine(work.FullName, "modem"),
                Server = PppServers.Tcp("127.0.0.1", port),
                RegistrationDelay = TimeSpan.FromSeconds(1),
            });
            var links = Settings.Create(Settings.Parse(Hocon(port, modem.PortPath, work.FullName), "demo"), "demo");
            using var host = LinkHost.Build(links, new LogOptions(Debug: true, LogFile: null));
            await host.StartAsync(cancellation).ConfigureAwait(false);
            var system = host.Services.GetRequiredService<ActorSystem>();
            var events = Channel.CreateUnbounded<object>();
            var listener = system.ActorOf(Props.Create(() => new EventForwarder(events.Writer)), "demo-events");
            system.EventStream.Subscribe(listener, typeof(LinkProtocol.Up));
            system.EventStream.Subscribe(listener, typeof(LinkProtocol.Ended));
            system.EventStream.Subscribe(listener, typeof(LinkManagement.GaveUp));

            int exit = 1;
            var up = await WaitForAsync<LinkProtocol.Up>(events.Reader, u => u.Link == "client", cancellation).ConfigureAwait(false);
            if (up is null)
            {
                output.WriteLine("The client link did not come up; see the log above for the reason.");
            }
            else
            {
                exit = await ExerciseAsync(system, up, output).ConfigureAwait(false);
            }
            output.WriteLine();
            output.WriteLine("Hanging up: LCP Terminate-Request, disconnect script, port released.");
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            output.WriteLine($"Modem counters: {modem.Counters}");
            return exit;
        }
        finally
        {
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

    private static async Task<int> ExerciseAsync(ActorSystem system, LinkProtocol.Up up, TextWriter output)
    {
        var links = system.ActorSelection("/user/links");
        var status = await links.Ask<LinkProtocol.Status>(new LinkManagement.ToLink("client", LinkProtocol.GetStatus.Instance), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        output.WriteLine();
        output.WriteLine($"Link up: local {up.Local}, remote {up.Remote}, DNS {up.Dns1} {up.Dns2}");
        if (status.Modem is { } modemInfo)
            output.WriteLine($"Modem:   {modemInfo.Describe()}");
        var side = await links.Ask<LinkProtocol.NetworkSide>(new LinkManagement.ToLink("client", LinkProtocol.GetNetworkSide.Instance), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (side.Actor is not { } endpoint)
        {
            output.WriteLine("The client link has no network side.");
            return 1;
        }
        var replies = Channel.CreateUnbounded<PacketEndpoint.PacketReceived>();
        var subscriber = system.ActorOf(Props.Create(() => new EventForwarder(new ChannelWriterAdapter(replies.Writer))), "demo-replies");
        endpoint.Tell(new PacketEndpoint.Subscribe(subscriber));

        const ushort pingId = 0x0d30;
        int answered = 0;
        for (ushort seq = 1; seq <= 5; seq++)
        {
            var sent = Stopwatch.StartNew();
            endpoint.Tell(new PacketEndpoint.SendPacket(Icmp.BuildEchoRequest(ClientAddress, ServerAddress, pingId, seq, "linkactors demo"u8)));
            if (await WaitForReplyAsync(replies.Reader, pingId, seq, TimeSpan.FromSeconds(3)).ConfigureAwait(false))
            {
                answered++;
                output.WriteLine($"ping {ServerAddress}: seq={seq} time={sent.Elapsed.TotalMilliseconds:0.0} ms");
            }
            else
            {
                output.WriteLine($"ping {ServerAddress}: seq={seq} no reply");
            }
        }

        // A short transfer: 1 MiB as 1400-byte echo payloads, every one answered by the server's endpoint.
        const int payload = 1400, count = 750;
        var data = new byte[payload];
        Random.Shared.NextBytes(data);
        var clock = Stopwatch.StartNew();
        int back = 0;
        for (ushort seq = 1; seq <= count; seq++)
        {
            endpoint.Tell(new PacketEndpoint.SendPacket(Icmp.BuildEchoRequest(ClientAddress, ServerAddress, pingId + 1, seq, data)));
            if (seq % 16 == 0 || seq == count)
            {
                while (back < seq && await WaitForReplyAsync(replies.Reader, pingId + 1, null, TimeSpan.FromSeconds(3)).ConfigureAwait(false))
                    back++;
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        double megabytes = back * (double)payload * 2 / (1024 * 1024);
        output.WriteLine($"transfer: {count} packets of {payload} bytes out, {back} back, {megabytes:0.00} MiB across the link in {seconds:0.00} s ({megabytes / seconds:0.0} MiB/s, both directions)");
        return answered == 5 && back == count ? 0 : 1;
    }

    private static string Hocon(int port, string modemPath, string work) => $$"""
        linkactors.links {
          isp {
            role = server
            network.mode = endpoint
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
            network.mode = endpoint
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

    private static async Task<T?> WaitForAsync<T>(ChannelReader<object> reader, Func<T, bool> match, CancellationToken cancellation) where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(UpWithin);
        try
        {
            while (true)
            {
                var message = await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                if (message is T wanted && match(wanted))
                    return wanted;
                if (message is LinkManagement.GaveUp)
                    return null;
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task<bool> WaitForReplyAsync(ChannelReader<PacketEndpoint.PacketReceived> reader, ushort id, ushort? seq, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var packet = await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                if (Icmp.IsEchoReply(packet.Packet.Span, id, out var got, out _) && (seq is null || got == seq))
                    return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Hands event-stream messages to a channel the demo awaits.</summary>
    private sealed class EventForwarder : ReceiveActor
    {
        public EventForwarder(ChannelWriter<object> writer) => ReceiveAny(m => writer.TryWrite(m));
    }

    private sealed class ChannelWriterAdapter(ChannelWriter<PacketEndpoint.PacketReceived> inner) : ChannelWriter<object>
    {
        public override bool TryWrite(object item) => item is PacketEndpoint.PacketReceived packet && inner.TryWrite(packet);

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => inner.WaitToWriteAsync(cancellationToken);
    }
}
