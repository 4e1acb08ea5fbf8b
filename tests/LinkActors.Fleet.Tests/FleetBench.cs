using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Fleet.Service;
using LinkActors.Fleet.Wire;
using LinkActors.Host.Fleet;
using Xunit.Abstractions;

namespace LinkActors.Fleet.Tests;

/// <summary>
/// Figures, not pass/fail timing: run by bench/fleet/run.sh (Category=Bench; test.sh leaves them out).
/// Bytes on the wire per device per day at the defaults, and one node's reports/s and memory with 10,000 devices.
/// </summary>
[Trait("Category", "Bench")]
public sealed class FleetBench(ITestOutputHelper output) : TestKit("akka.loglevel = WARNING")
{
    private void Say(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    /// <summary>A day at the defaults, compressed: the first report, a heartbeat every 6 h (4 a day), and for the failing link
    /// two failures (down, then up again: a report each). Every report opens a new TCP connection and TLS session, as after
    /// 6 h of silence through a carrier NAT; the TLS session is resumed when the service allows it.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task BytesPerDeviceDay_AtDefaults(int failuresPerDay)
    {
        string dir = FleetTestKit.Scratch();
        var tls = new TestCertificates(dir);
        await using var node = await FleetNode.StartAsync(Path.Combine(dir, "fleet.db"), tls);
        using var operatorClient = FleetTestKit.Operator(node.Url, FleetNode.Trusting(tls));
        string token = await FleetTestKit.RegisterAsync(operatorClient, "pi-day");
        var defaults = FleetSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString(
            $"linkactors.fleet {{ url = \"{node.Url}\", device-id = pi-day, token = \"{token}\", ca-file = \"{tls.CaFile}\" }}"), "bench");
        // The defaults, except that the day is compressed: no coalescing wait and no minimum interval.
        var settings = defaults with { Coalesce = TimeSpan.Zero, MinInterval = TimeSpan.Zero };
        var device = new SimulatedDevice();
        using var transport = new FleetTransport(node.Url, "pi-day", token, tls.CaFile, idle: TimeSpan.FromMilliseconds(200));
        var accepted = CreateTestProbe();
        Sys.EventStream.Subscribe(accepted.Ref, typeof(FleetReporting.ReportAccepted));
        var reporter = Sys.ActorOf(FleetReporter.Props(settings, device, device, transport));
        var costs = new List<long>();
        long last = 0;
        async Task Next(Action trigger)
        {
            await Task.Delay(400); // the previous connection closes (idle), as it would in 6 h
            trigger();
            accepted.ExpectMsg<FleetReporting.ReportAccepted>(TimeSpan.FromSeconds(20));
            await Task.Delay(400);
            long now = transport.Meter.Total;
            costs.Add(now - last);
            last = now;
        }
        await Next(() => { });
        for (int h = 0; h < 4; h++)
            await Next(() => reporter.Tell(new FleetReporting.ReportNow("heartbeat")));
        for (int f = 0; f < failuresPerDay; f++)
        {
            await Next(() => { device.Phase = "Holdoff"; Sys.EventStream.Publish(new SimulatedDevice.DeviceChanged("Holdoff")); });
            await Next(() => { device.Phase = "Network"; Sys.EventStream.Publish(new SimulatedDevice.DeviceChanged("Network")); });
        }
        long total = transport.Meter.Total;
        Say(string.Create(CultureInfo.InvariantCulture,
            $"fleet bytes/day, {(failuresPerDay == 0 ? "stable link" : $"link failing {failuresPerDay} times a day")}: {total} bytes in {costs.Count} reports over {transport.Meter.Connections} connections " +
            $"(per report: {string.Join(", ", costs)}); budget {settings.Budget}: {(total <= settings.Budget ? "within" : "OVER")}"));
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>One node (a `linkactors fleet` process, SQLite), 10,000 devices (FLEET_BENCH_DEVICES) reporting as fast as 64
    /// connections allow (an accelerated schedule): reports/s handled and the node's RSS.</summary>
    [Fact]
    public async Task ReportsPerSecond_OneNode_10000Devices()
    {
        int devices = int.TryParse(Environment.GetEnvironmentVariable("FLEET_BENCH_DEVICES"), out int n) ? n : 10_000;
        int rounds = 3;
        string dir = FleetTestKit.Scratch();
        int http = FleetTestKit.FreePort();
        int management = FleetTestKit.FreePort();
        string config = Path.Combine(dir, "node.conf");
        File.WriteAllText(config, FleetTestKit.NodeConfig(Path.Combine(dir, "fleet.db"), http, FleetTestKit.FreePort(), management, [management]));
        using var node = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "linkactors.dll"), "fleet", "--config", config])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        node.OutputDataReceived += (_, _) => { };
        node.BeginOutputReadLine();
        try
        {
            var url = new Uri($"http://127.0.0.1:{http}/");
            using var operatorClient = FleetTestKit.Operator(url);
            await FleetTestKit.PollAsync(async () =>
            {
                try
                {
                    return (await operatorClient.GetFromJsonAsync<FleetApi.ClusterView>("api/v1/cluster", FleetJson.Operator))!.Up.Count;
                }
                catch (HttpRequestException)
                {
                    return 0;
                }
            }, up => up == 1, TimeSpan.FromSeconds(60), "the node is Up");
            var ids = Enumerable.Range(0, devices).Select(i => $"bench-{i:D5}").ToArray();
            var tokens = new string[devices];
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, devices), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
                tokens[i] = await FleetTestKit.RegisterAsync(operatorClient, ids[i]));
            Say(string.Create(CultureInfo.InvariantCulture, $"fleet bench: {devices} devices registered in {clock.Elapsed.TotalSeconds:0.0} s"));
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = url };
            var failures = new ConcurrentBag<string>();
            for (int round = 1; round <= rounds; round++)
            {
                clock.Restart();
                await Parallel.ForEachAsync(Enumerable.Range(0, devices), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, cancel) =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/devices/{ids[i]}/report")
                    {
                        Content = JsonContent.Create(new DeviceReport(round, "heartbeat",
                            [new LinkFacts("ppp0", "Network", true, "10.0.0.2", "10.0.0.1", 3600 * round, -85, "registered", "Bench", "LTE", 1000 * round, 2000 * round)]), options: FleetJson.Options),
                    };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[i]);
                    using var response = await client.SendAsync(request, cancel);
                    if (!response.IsSuccessStatusCode)
                        failures.Add($"{ids[i]}: {(int)response.StatusCode}");
                });
                double rate = devices / clock.Elapsed.TotalSeconds;
                node.Refresh();
                Say(string.Create(CultureInfo.InvariantCulture,
                    $"fleet bench round {round}: {devices} reports in {clock.Elapsed.TotalSeconds:0.0} s = {rate:0} reports/s on one node; node RSS {node.WorkingSet64 / (1024 * 1024)} MiB; refused {failures.Count}"));
            }
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            node.WaitForExit(10_000);
            Directory.Delete(dir, recursive: true);
        }
    }
}
