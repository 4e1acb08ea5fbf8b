using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
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
/// iperf3 across a PPP link between two namespaces over an unthrottled pty pair, both ends in this process.
/// Run by bench/datapath/run.sh (LINKACTORS_BENCH=1); otherwise it returns at once.
/// </summary>
[Collection("netns")]
[Trait("Category", "Bench")]
public sealed class DataPathBench : TestKit, IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly TestNamespace _clientNs = new();
    private readonly TestNamespace _serverNs = new();

    public DataPathBench(ITestOutputHelper output) : base("akka.loglevel = WARNING", output: output)
    {
        _output = output;
    }

    void IDisposable.Dispose()
    {
        try
        {
            Shutdown();
        }
        finally
        {
            _clientNs.Dispose();
            _serverNs.Dispose();
        }
    }

    [Fact]
    public void Iperf3_BothWays()
    {
        if (Environment.GetEnvironmentVariable("LINKACTORS_BENCH") != "1")
            return;
        var seconds = int.Parse(Environment.GetEnvironmentVariable("LINKACTORS_BENCH_SECONDS") ?? "10", CultureInfo.InvariantCulture);
        using var pty = new SocatPtyPair();
        var state = Directory.CreateTempSubdirectory("la-bench-").FullName;
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(RouteProtocol.Configured));
        Sys.EventStream.Subscribe(events, typeof(TunProtocol.InterfaceRemoved));
        LinkSettings Link(string name, string device, string extra) => Assert.Single(Settings.Create(Settings.Parse(
            $"linkactors.links.{name} {{\n device = \"{device}\"\n lock-directory = \"{pty.LockDirectory}\"\n {extra}\n" +
            $" network {{ mode = tun, state-directory = \"{state}/{name}\" }}\n}}", "bench"), "bench"));
        IActorRef Manage(LinkSettings link, TestNamespace ns) => Sys.ActorOf(LinkManager.Props([link],
            l => LinkDependencyFactory.Default(l) with { NetworkProps = NetworkFactory.For(l, ns.Name) }), $"{link.Name}-links");
        var server = Manage(Link("server", pty.B, "role = server\n ipcp { local = 192.0.2.1, remote = 192.0.2.2 }"), _serverNs);
        var client = Manage(Link("client", pty.A, "ipcp { noipdefault = true }"), _clientNs);
        System.Diagnostics.Process? iperf = null;
        try
        {
            // Addresses are on both interfaces once both route actors have configured them.
            events.ExpectMsg<RouteProtocol.Configured>(TimeSpan.FromSeconds(25));
            events.ExpectMsg<RouteProtocol.Configured>(TimeSpan.FromSeconds(25));
            iperf = _serverNs.Start("iperf3", "-s", "-B", "192.0.2.1");
            Thread.Sleep(500);
            // a is the client's namespace, b the server's, as in run.sh's baselines.
            foreach (var (label, reverse) in new[] { ("a->b", false), ("b->a", true) })
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var args = new List<string> { "iperf3", "-c", "192.0.2.1", "-t", seconds.ToString(CultureInfo.InvariantCulture), "-J" };
                if (reverse)
                    args.Add("-R");
                var json = JsonDocument.Parse(_clientNs.Exec(TimeSpan.FromSeconds(seconds + 30), [.. args]));
                var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                var bits = json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble();
                // One line per direction, parsed by run.sh.
                _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"BENCH linkactors {label} {bits / 1e6:0.0} Mbit/s cpu {100 * used.TotalSeconds / clock.Elapsed.TotalSeconds:0}% (both link ends, one process)"));
            }
        }
        finally
        {
            if (iperf is not null)
                Shell.Stop(iperf);
            client.Tell(new LinkManagement.StopAll("bench done"));
            server.Tell(new LinkManagement.StopAll("bench done"));
            var removed = 0;
            events.FishForMessage(m => m is TunProtocol.InterfaceRemoved && ++removed == 2, TimeSpan.FromSeconds(20));
            Directory.Delete(state, recursive: true);
        }
    }
}
