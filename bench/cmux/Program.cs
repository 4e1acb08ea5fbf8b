using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Akka.Actor;
using Settings = LinkActors.Actors.Configuration.Settings;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Emulator.Bridge;
using LinkActors.Emulator.Modem;
using LinkActors.Emulator.Profiles;

// PPP throughput over an unthrottled pty, with and without the CMUX multiplexer: the emulated generic LTE
// modem on a pty, its CONNECT bridged over loopback TCP to a server link, the client link dialing it.
// ICMP echo requests of 1400 octets go through the client's in-process endpoint, 32 in flight, and are
// answered by the server's; the rate counts both directions. Usage: run.sh [packets] [rounds].
int packets = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3000;
int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
// N1 other than the default (modem.cmux-n1 and the AT+CMUX command's N1 together): CMUX_N1=127 bench/cmux/run.sh.
int? n1 = Environment.GetEnvironmentVariable("CMUX_N1") is { Length: > 0 } n1Text ? int.Parse(n1Text, CultureInfo.InvariantCulture) : null;
Bench.N1 = n1;
// The codec alone first: one thread, no actors, no pty, so the figure shifts little with the machine's load.
Codec.Run();
var results = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
var cpu = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
// One round of each, not counted: JIT and first-use costs would otherwise land on whichever mode runs first.
await Bench.RunAsync(false, Math.Min(packets, 500));
await Bench.RunAsync(true, Math.Min(packets, 500));
for (int round = 1; round <= rounds; round++)
{
    foreach (bool cmux in new[] { false, true })
    {
        var (rate, cpuPerMiB) = await Bench.RunAsync(cmux, packets);
        results[cmux].Add(rate);
        cpu[cmux].Add(cpuPerMiB);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round {round} {(cmux ? "cmux " : "plain")}: {rate:0.00} MiB/s, {cpuPerMiB:0.0} ms CPU per MiB (both links and the emulator)"));
    }
}
double plain = Bench.Median(results[false]), muxed = Bench.Median(results[true]);
// The machine is shared: load comes and goes between rounds. Each round runs both modes back to back, so the
// ratio within a round is the fairer figure; its median is the verdict.
double ratio = Bench.Median(results[true].Zip(results[false], (m, p) => m / p).ToList());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"BENCH cmux (N1 {Bench.N1?.ToString(CultureInfo.InvariantCulture) ?? "default"}) median plain {plain:0.00} MiB/s, median over the mux {muxed:0.00} MiB/s; median per-round ratio {100 * ratio:0}% of plain (target >= 80%); {rounds} rounds, {packets} x 1400 octets each way"));
// On a loaded machine wall-clock rates swing with the neighbours (a round can lose its cores for seconds);
// the best round of each mode, and CPU time per MiB, show what the mux itself costs.
double cpuRatio = Bench.Median(cpu[false]) / Bench.Median(cpu[true]);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"BENCH cmux CPU per MiB: median plain {Bench.Median(cpu[false]):0.0} ms, over the mux {Bench.Median(cpu[true]):0.0} ms (least: {cpu[false].Min():0.0} and {cpu[true].Min():0.0} ms); plain's CPU cost is {100 * cpuRatio:0}% of the mux's"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"BENCH cmux best round: plain {results[false].Max():0.00} MiB/s, over the mux {results[true].Max():0.00} MiB/s: {100 * results[true].Max() / results[false].Max():0}% of plain"));

/// <summary>What the mux adds per PPP packet: HDLC encode + decode of a 1450-octet IP packet, and the same frame wrapped in CMUX UIH frames.</summary>
internal static class Codec
{
    private const int Packets = 20000;

    public static void Run()
    {
        var payload = new byte[1450];
        Random.Shared.NextBytes(payload);
        // ACCM 0, as the links negotiate it (RFC 1662 §7.1): only flag and escape octets are escaped.
        var encoder = new LinkActors.Ppp.Framing.HdlcEncoder { TransmitAccm = 0 };
        var line = new byte[LinkActors.Ppp.Framing.HdlcEncoder.MaxEncodedLength(payload.Length)];
        int length = encoder.Encode(LinkActors.Ppp.Packets.PppProtocol.Ipv4, payload, line);
        var hdlc = line[..length];
        var hdlcDecoder = new LinkActors.Ppp.Framing.HdlcDecoder(1500);
        var hdlcSink = new HdlcSink();
        double hdlcNs = Time(() =>
        {
            encoder.Encode(LinkActors.Ppp.Packets.PppProtocol.Ipv4, payload, line);
            hdlcDecoder.Decode(hdlc, hdlcSink);
        });
        var parts = new List<string>();
        foreach (int n1 in new[] { 127, 1509 })
        {
            var decoder = new LinkActors.Ppp.Cmux.CmuxDecoder(n1);
            var sink = new CmuxSink();
            double ns = Time(() => decoder.Decode(LinkActors.Ppp.Cmux.CmuxEncoder.EncodeData(2, true, hdlc, n1), sink));
            int frames = (hdlc.Length + n1 - 1) / n1;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"N1 {n1}: +{ns / 1000:0.00} µs ({frames} UIH frames, {100 * ns / hdlcNs:0}% of HDLC's cost)"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"BENCH cmux codec: HDLC encode+decode of a {hdlc.Length}-octet PPP frame {hdlcNs / 1000:0.00} µs; the mux adds, at {string.Join("; at ", parts)}"));
    }

    private static double Time(Action once)
    {
        for (int i = 0; i < Packets / 10; i++)
            once();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Packets; i++)
            once();
        return clock.Elapsed.TotalNanoseconds / Packets;
    }

    private sealed class HdlcSink : LinkActors.Ppp.Framing.IHdlcFrameSink
    {
        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information)
        {
        }
    }

    private sealed class CmuxSink : LinkActors.Ppp.Cmux.ICmuxFrameSink
    {
        public void OnFrame(int dlci, bool commandResponse, LinkActors.Ppp.Cmux.CmuxFrameType type, bool pollFinal, ReadOnlySpan<byte> information)
        {
        }
    }
}

internal static class Bench
{
    private static readonly IPAddress Isp = IPAddress.Parse("192.0.2.1");

    public static int? N1 { get; set; }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <returns>MiB/s both ways together, and the process's CPU milliseconds per MiB carried.</returns>
    public static async Task<(double Rate, double CpuPerMiB)> RunAsync(bool cmux, int packets)
    {
        var work = Directory.CreateTempSubdirectory("la-bench-cmux-");
        int port = FreePort();
        await using var modem = ModemEmulator.Start(new ModemEmulatorOptions
        {
            Profile = ModemProfile.GenericLte,
            LinkPath = Path.Combine(work.FullName, "modem"),
            Server = PppServers.Tcp("127.0.0.1", port),
            RegistrationDelay = TimeSpan.FromMilliseconds(200),
            BootDelay = TimeSpan.FromMilliseconds(200),
        });
        using var system = ActorSystem.Create("bench", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        var events = Channel.CreateUnbounded<object>();
        var listener = system.ActorOf(Props.Create(() => new Forwarder(events.Writer)));
        system.EventStream.Subscribe(listener, typeof(LinkProtocol.Up));
        var links = Settings.Create(Settings.Parse(Hocon(port, modem.PortPath, cmux), "cmux bench"), "cmux bench");
        var server = system.ActorOf(LinkManager.Props([links.Single(l => l.Name == "isp")], LinkDependencyFactory.Default));
        var client = system.ActorOf(LinkManager.Props([links.Single(l => l.Name == "client")], LinkDependencyFactory.Default));
        using var upWithin = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        LinkProtocol.Up up;
        while (true)
        {
            if (await events.Reader.ReadAsync(upWithin.Token) is LinkProtocol.Up { Link: "client" } u)
            {
                up = u;
                break;
            }
        }
        if (cmux != modem.Multiplexed)
            throw new InvalidOperationException($"cmux = {cmux} but the modem says multiplexed = {modem.Multiplexed}");
        var side = await client.Ask<LinkProtocol.NetworkSide>(new LinkManagement.ToLink("client", LinkProtocol.GetNetworkSide.Instance), TimeSpan.FromSeconds(5));
        var endpoint = side.Actor ?? throw new InvalidOperationException("no network side");
        var replies = Channel.CreateUnbounded<object>();
        var subscriber = system.ActorOf(Props.Create(() => new Forwarder(replies.Writer)));
        endpoint.Tell(new NetworkProtocol.Subscribe(subscriber));

        const int payload = 1400, window = 32;
        const ushort id = 0x0c4b;
        var data = new byte[payload];
        Random.Shared.NextBytes(data);
        var clock = Stopwatch.StartNew();
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        int sent = 0, back = 0;
        while (back < packets)
        {
            while (sent < packets && sent - back < window)
                endpoint.Tell(new NetworkProtocol.SendPacket(Icmp.BuildEchoRequest(up.Local!, Isp, id, (ushort)++sent, data)));
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var message = await replies.Reader.ReadAsync(wait.Token);
            if (message is NetworkProtocol.PacketReceived received && Icmp.IsEchoReply(received.Packet.Span, id, out _, out _))
                back++;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalMilliseconds;
        await client.Ask<LinkManagement.AllStopped>(new LinkManagement.StopAll("bench done"), TimeSpan.FromSeconds(15));
        await server.Ask<LinkManagement.AllStopped>(new LinkManagement.StopAll("bench done"), TimeSpan.FromSeconds(15));
        await system.Terminate();
        work.Delete(recursive: true);
        double mib = back * (double)payload * 2 / (1024 * 1024);
        return (mib / seconds, cpuMs / mib);
    }

    private static string Hocon(int port, string modemPath, bool cmux) => $$"""
        linkactors.links {
          isp {
            role = server
            device = "socket::{{port}}"
            local = true
            lock = false
            network.mode = endpoint
            ipcp { local = "192.0.2.1", remote = "192.0.2.2" }
          }
          client {
            device = "{{modemPath}}"
            local = true
            lock = false
            network.mode = endpoint
            connect {
              timeout = 5s
              script = [ ABORT, ERROR, "", AT, OK, ATE0, OK, "AT+CGDCONT=1,\"IP\",\"internet\"", OK, "ATD*99#", CONNECT, "" ]
            }
            ipcp { noipdefault = true }
            registration { timeout = 30s, poll = 200ms }
            modem { cmux = {{(cmux ? "true" : "false")}}, poll-interval = 60s{{(N1 is { } n ? $", cmux-n1 = {n}, cmux-command = \"AT+CMUX=0,0,5,{n}\"" : "")}} }
          }
        }
        """;

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(ChannelWriter<object> writer) => ReceiveAny(m => writer.TryWrite(m));
    }
}
