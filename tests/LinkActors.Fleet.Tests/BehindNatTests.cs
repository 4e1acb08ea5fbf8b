using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Akka.TestKit.Xunit2;
using LinkActors.Fleet.Service;
using LinkActors.Fleet.Wire;
using LinkActors.Host.Fleet;
using LinkActors.Linux.Namespaces;

namespace LinkActors.Fleet.Tests;

/// <summary>
/// A device behind a masquerading router (its own network namespaces): the device (192.0.2.2) reaches the fleet
/// service (198.51.100.2, a `linkactors fleet` process in a third namespace) only through the router's NAT, and
/// the service has no way to open a connection to the device. Reports and a queued command still work, because
/// the device always opens the connection. The reporter is the real actor and transport, its sockets made in the
/// device's namespace.
/// </summary>
public sealed class BehindNatTests : TestKit, IAsyncLifetime
{
    private readonly string _suffix = $"{Environment.ProcessId % 100000}{Random.Shared.Next(1000)}";
    private readonly string _dir = FleetTestKit.Scratch();
    private string Device => $"fl-dev-{_suffix}";
    private string Router => $"fl-nat-{_suffix}";
    private string Service => $"fl-svc-{_suffix}";
    private Process? _node;
    private TestCertificates? _tls;

    public BehindNatTests()
        : base("akka.loglevel = WARNING")
    {
    }

    public Task InitializeAsync()
    {
        foreach (var ns in new[] { Device, Router, Service })
        {
            Ip($"netns add {ns}");
            Ip($"-n {ns} link set lo up");
        }
        // device d0 -- r0 router r1 -- f1 service; interface names are per namespace.
        Ip($"-n {Router} link add r0 type veth peer name d0 netns {Device}");
        Ip($"-n {Router} link add r1 type veth peer name f1 netns {Service}");
        Ip($"-n {Device} addr add 192.0.2.2/24 dev d0");
        Ip($"-n {Device} link set d0 up");
        Ip($"-n {Device} route add default via 192.0.2.1");
        Ip($"-n {Router} addr add 192.0.2.1/24 dev r0");
        Ip($"-n {Router} addr add 198.51.100.1/24 dev r1");
        Ip($"-n {Router} link set r0 up");
        Ip($"-n {Router} link set r1 up");
        Run("ip", $"netns exec {Router} sysctl -qw net.ipv4.ip_forward=1");
        // The router masquerades what leaves on r1 and forwards nothing that starts outside (a carrier NAT).
        Run("ip", $"netns exec {Router} nft -f -", """
            table ip nat {
              chain post { type nat hook postrouting priority 100; oifname "r1" masquerade; }
            }
            table ip filter {
              chain forward { type filter hook forward priority 0; policy accept; iifname "r1" ct state new drop; }
            }
            """);
        Ip($"-n {Service} addr add 198.51.100.2/24 dev f1");
        Ip($"-n {Service} link set f1 up");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        if (_node is not null)
        {
            _node.Kill(entireProcessTree: true);
            _node.WaitForExit(10_000);
            _node.Dispose();
        }
        foreach (var ns in new[] { Device, Router, Service })
            Run("ip", $"netns del {ns}", check: false);
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task DeviceBehindNat_Reports_AndItsQueuedCommandArrives_ThoughTheServiceCannotConnectToIt()
    {
        // The fleet service, alone in its namespace (its cluster on that namespace's loopback).
        int http = FleetTestKit.FreePort();
        int management = FleetTestKit.FreePort();
        string config = Path.Combine(_dir, "node.conf");
        _tls = new TestCertificates(_dir, IPAddress.Parse("198.51.100.2"));
        File.WriteAllText(config, FleetTestKit.NodeConfig(Path.Combine(_dir, "fleet.db"), http, FleetTestKit.FreePort(), management, [management], _tls)
            .Replace("bind = \"127.0.0.1\"", "bind = \"198.51.100.2\"", StringComparison.Ordinal));
        _node = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", Service, "dotnet", Path.Combine(AppContext.BaseDirectory, "linkactors.dll"), "fleet", "--config", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _node.OutputDataReceived += (_, e) => { if (e.Data is { } l) said.Enqueue(l); };
        _node.ErrorDataReceived += (_, e) => { if (e.Data is { } l) said.Enqueue(l); };
        _node.BeginOutputReadLine();
        _node.BeginErrorReadLine();

        var url = new Uri($"https://198.51.100.2:{http}/");
        using var operatorClient = FleetTestKit.Operator(url, InNamespace(Service, FleetNode.Trusting(_tls)));
        await FleetTestKit.PollAsync(async () =>
        {
            try
            {
                using var r = await operatorClient.GetAsync("api/v1/cluster");
                return r.IsSuccessStatusCode && (await r.Content.ReadAsStringAsync()).Contains("\"up\":[\"", StringComparison.Ordinal);
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, up => up || _node.HasExited, TimeSpan.FromSeconds(60), "the fleet node forms its cluster");
        Assert.False(_node.HasExited, $"the fleet node stopped: {string.Join('\n', said)}");
        string token = await FleetTestKit.RegisterAsync(operatorClient, "pi-nat");

        // The service cannot open a connection to the device: the device listens, the service's connect fails.
        using var listener = NetworkNamespaceThread.Run(Device, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(IPAddress.Parse("192.0.2.2"), 0));
        listener.Listen();
        using (var probe = NetworkNamespaceThread.Run(Service, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)))
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Assert.ThrowsAnyAsync<Exception>(async () => await probe.ConnectAsync(listener.LocalEndPoint!, cancel.Token));
        }

        // The device reports through the NAT (its sockets made in its namespace).
        var device = new SimulatedDevice();
        using var transport = new FleetTransport(url, "pi-nat", token, _tls.CaFile,
            newSocket: () => NetworkNamespaceThread.Run(Device, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)));
        var accepted = CreateTestProbe();
        Sys.EventStream.Subscribe(accepted.Ref, typeof(FleetReporting.ReportAccepted));
        Sys.ActorOf(FleetReporter.Props(FleetTestKit.ReporterSettings(url, "pi-nat", token, _tls.CaFile), device, device, transport));
        accepted.ExpectMsg<FleetReporting.ReportAccepted>(TimeSpan.FromSeconds(20));

        // A command queued by the operator reaches the device in the answer to its next report; its outcome comes back.
        using var queued = await operatorClient.PostAsJsonAsync("api/v1/devices/pi-nat/commands", new FleetApi.CommandRequest("redial", null, null, null));
        var command = await queued.Content.ReadFromJsonAsync<CommandView>(FleetJson.Operator);
        device.Phase = "Holdoff";
        Sys.EventStream.Publish(new SimulatedDevice.DeviceChanged("Holdoff"));
        var done = await FleetTestKit.PollAsync(() => operatorClient.GetFromJsonAsync<CommandView>($"api/v1/devices/pi-nat/commands/{command!.Id}", FleetJson.Operator),
            c => c!.State == "done", TimeSpan.FromSeconds(30), "the command is acknowledged");
        Assert.Equal(1, device.Ran[command!.Id]);
        var view = await operatorClient.GetFromJsonAsync<DeviceView>("api/v1/devices/pi-nat", FleetJson.Operator);
        Assert.True(view!.Summary.Down);
        Assert.Contains(view.Events, e => e.Text == "phase Holdoff");
    }

    /// <summary>The test CA's handler, its sockets made in network namespace <paramref name="ns"/>.</summary>
    private static HttpMessageHandler InNamespace(string ns, HttpMessageHandler trusting)
    {
        var handler = (SocketsHttpHandler)trusting;
        handler.ConnectCallback = async (context, cancel) =>
        {
            var socket = NetworkNamespaceThread.Run(ns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        return handler;
    }

    private static void Ip(string arguments) => Run("ip", arguments);

    private static void Run(string file, string arguments, string? input = null, bool check = true)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        if (input is not null)
            process.StandardInput.Write(input);
        process.StandardInput.Close();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {error}");
    }
}
