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

    /// <summary>A day at the defaults, compressed: after the boot report (once per boot, not counted), a heartbeat every 6 h
    /// (4 a day), and for the failing link two failures (down, then up again within the settle time: one report each). Every
    /// report opens a new TCP connection, as after hours of silence through a carrier NAT. With the TLS session resumed
    /// (the url names the service, the session ticket still valid), and without (every handshake full: the service's
    /// tickets last 2 h, less than the 6 h heartbeat, so heartbeats at the defaults are full handshakes).</summary>
    [Theory]
    [InlineData(0, true)]
    [InlineData(2, true)]
    [InlineData(0, false)]
    [InlineData(2, false)]
    public async Task BytesPerDeviceDay_AtDefaults(int failuresPerDay, bool resumed)
    {
        string dir = FleetTestKit.Scratch();
        var tls = new TestCertificates(dir);
        await using var node = await FleetNode.StartAsync(Path.Combine(dir, "fleet.db"), tls);
        using var operatorClient = FleetTestKit.Operator(node.Url, FleetNode.Trusting(tls));
        string token = await FleetTestKit.RegisterAsync(operatorClient, "pi-day");
        // .NET resumes TLS sessions only with a host name (the cache's key); by address every handshake is a full one.
        var url = resumed ? new UriBuilder(node.Url) { Host = "localhost" }.Uri : node.Url;
        var defaults = FleetSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString(
            $"linkactors.fleet {{ url = \"{url}\", device-id = pi-day, token = \"{token}\", ca-file = \"{tls.CaFile}\" }}"), "bench");
        // The defaults, except that the day is compressed: no coalescing wait, no minimum interval, a 2 s settle (3 min).
        var settings = defaults with { Coalesce = TimeSpan.Zero, MinInterval = TimeSpan.Zero, Settle = TimeSpan.FromSeconds(2) };
        var device = new SimulatedDevice();
        using var transport = new FleetTransport(url, "pi-day", token, tls.CaFile, idle: TimeSpan.FromMilliseconds(200));
        var accepted = CreateTestProbe();
        Sys.EventStream.Subscribe(accepted.Ref, typeof(FleetReporting.ReportAccepted));
        async Task Closed() =>
            await FleetTestKit.PollAsync(() => Task.FromResult(transport.Meter.Open), open => open == 0, TimeSpan.FromSeconds(20), "the connection closes");

        // The boot report (a full handshake; the TLS session to resume from), by the reporter of the day before.
        var boot = Sys.ActorOf(FleetReporter.Props(settings, device, device, transport));
        accepted.ExpectMsg<FleetReporting.ReportAccepted>(TimeSpan.FromSeconds(20));
        await Closed();
        Sys.Stop(boot);
        long bootCost = transport.Meter.Total;

        // The day: a reporter whose budget window holds only this day's reports; its start report stands for the first heartbeat.
        long start = transport.Meter.Total;
        var reporter = Sys.ActorOf(FleetReporter.Props(settings, device, device, transport));
        accepted.ExpectMsg<FleetReporting.ReportAccepted>(TimeSpan.FromSeconds(20));
        await Closed();
        var costs = new List<long> { transport.Meter.Total - start };
        long last = transport.Meter.Total;
        async Task Next(Func<Task> trigger)
        {
            await trigger();
            accepted.ExpectMsg<FleetReporting.ReportAccepted>(TimeSpan.FromSeconds(20));
            await Closed();
            long now = transport.Meter.Total;
            costs.Add(now - last);
            last = now;
        }
        for (int h = 1; h < 4; h++)
        {
            await Next(() =>
            {
                reporter.Tell(new FleetReporting.ReportNow("heartbeat"));
                return Task.CompletedTask;
            });
        }
        for (int f = 0; f < failuresPerDay; f++)
        {
            // The link goes down (the reporter holds that report for the settle time) and is back within it (3 min at
            // the defaults): one report tells both.
            await Next(async () =>
            {
                device.Phase = "Holdoff";
                Sys.EventStream.Publish(new SimulatedDevice.DeviceChanged("Holdoff"));
                await FleetTestKit.PollAsync(() => reporter.Ask<FleetReporting.State>(FleetReporting.GetState.Instance), s => s.NextReport is not null,
                    TimeSpan.FromSeconds(10), "the report of the failure waits for the link");
                device.Phase = "Network";
                Sys.EventStream.Publish(new SimulatedDevice.DeviceChanged("Network"));
            });
        }
        long total = transport.Meter.Total - start;
        Say(string.Create(CultureInfo.InvariantCulture,
            $"fleet bytes/day, {(failuresPerDay == 0 ? "stable link" : $"link failing {failuresPerDay} times a day")}, TLS {(resumed ? "resumed" : "full handshakes")}: " +
            $"{total} bytes in {costs.Count} reports, each on a new connection (per report: {string.Join(", ", costs)}; boot report {bootCost}); " +
            $"budget {settings.Budget}: {(total <= settings.Budget ? "within" : "OVER")}"));
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
