using System.Net.Http.Json;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Fleet.Service;
using LinkActors.Fleet.Wire;
using LinkActors.Host.Fleet;

namespace LinkActors.Fleet.Tests;

/// <summary>The daemon's reporter (the real actor and HTTPS transport, with the test CA pinned) against a real fleet node.</summary>
public sealed class ReporterTests : TestKit, IAsyncLifetime
{
    private readonly string _dir = FleetTestKit.Scratch();
    private TestCertificates _tls = null!;
    private FleetNode _node = null!;
    private HttpClient _operator = null!;

    public ReporterTests() : base("akka.loglevel = INFO")
    {
    }

    public async Task InitializeAsync()
    {
        _tls = new TestCertificates(_dir);
        _node = await FleetNode.StartAsync(Path.Combine(_dir, "fleet.db"), _tls);
        _operator = FleetTestKit.Operator(_node.Url, FleetNode.Trusting(_tls));
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Reporter_HoldsAFailureForTheSettleTime_SoAShortOutageIsOneReport()
    {
        string token = await FleetTestKit.RegisterAsync(_operator, "pi-settle");
        var device = new SimulatedDevice();
        using var transport = new FleetTransport(_node.Url, "pi-settle", token, _tls.CaFile);
        var accepted = CreateTestProbe();
        Sys.EventStream.Subscribe(accepted.Ref, typeof(FleetReporting.ReportAccepted));
        var settings = FleetTestKit.ReporterSettings(_node.Url, "pi-settle", token, _tls.CaFile) with { Settle = TimeSpan.FromSeconds(3) };
        var reporter = Sys.ActorOf(FleetReporter.Props(settings, device, device, transport));
        accepted.ExpectMsg<FleetReporting.ReportAccepted>(TimeSpan.FromSeconds(20));

        // Down, and back before the settle time is over: one report tells both.
        device.Phase = "Holdoff";
        Sys.EventStream.Publish(new SimulatedDevice.DeviceChanged("Holdoff"));
        await FleetTestKit.PollAsync(() => reporter.Ask<FleetReporting.State>(FleetReporting.GetState.Instance),
            s => s.NextReport is { } at && at > DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), "the failure's report waits");
        device.Phase = "Network";
        Sys.EventStream.Publish(new SimulatedDevice.DeviceChanged("Network"));
        accepted.ExpectMsg<FleetReporting.ReportAccepted>(TimeSpan.FromSeconds(20));
        var view = await _operator.GetFromJsonAsync<DeviceView>("api/v1/devices/pi-settle", FleetJson.Operator);
        Assert.False(view!.Summary.Down);
        Assert.Contains(view.Events, e => e.Text == "phase Holdoff");
        Assert.Contains(view.Events, e => e.Text == "phase Network");
        Assert.Equal(2, (await reporter.Ask<FleetReporting.State>(FleetReporting.GetState.Instance, TimeSpan.FromSeconds(5))).Reports);

        // Down and staying down: reported once the settle time is over.
        device.Phase = "Holdoff";
        Sys.EventStream.Publish(new SimulatedDevice.DeviceChanged("Holdoff"));
        accepted.ExpectMsg<FleetReporting.ReportAccepted>(TimeSpan.FromSeconds(20));
        view = await _operator.GetFromJsonAsync<DeviceView>("api/v1/devices/pi-settle", FleetJson.Operator);
        Assert.True(view!.Summary.Down);
    }

    [Fact]
    public async Task Reporter_OverPinnedTls_RunsACommandOnce_AndItsOutcomeReachesTheFleet()
    {
        string token = await FleetTestKit.RegisterAsync(_operator, "pi-rep");
        var device = new SimulatedDevice();
        using var transport = new FleetTransport(_node.Url, "pi-rep", token, _tls.CaFile);
        var accepted = CreateTestProbe();
        Sys.EventStream.Subscribe(accepted.Ref, typeof(FleetReporting.ReportAccepted));
        var reporter = Sys.ActorOf(FleetReporter.Props(FleetTestKit.ReporterSettings(_node.Url, "pi-rep", token, _tls.CaFile), device, device, transport));
        accepted.ExpectMsg<FleetReporting.ReportAccepted>(TimeSpan.FromSeconds(20));

        var command = await (await _operator.PostAsJsonAsync("api/v1/devices/pi-rep/commands", new FleetApi.CommandRequest("redial", null, null, null)))
            .Content.ReadFromJsonAsync<CommandView>(FleetJson.Operator);
        // A change on the device makes it report; the answer carries the command; the next report acknowledges it.
        device.Phase = "Holdoff";
        Sys.EventStream.Publish(new SimulatedDevice.DeviceChanged("Holdoff"));
        var done = await FleetTestKit.PollAsync(() => _operator.GetFromJsonAsync<CommandView>($"api/v1/devices/pi-rep/commands/{command!.Id}", FleetJson.Operator),
            c => c!.State == "done", TimeSpan.FromSeconds(30), "the command is acknowledged");
        Assert.Equal("redial simulated", done!.Detail);
        Assert.Equal(1, device.Ran[command!.Id]);

        var view = await _operator.GetFromJsonAsync<DeviceView>("api/v1/devices/pi-rep", FleetJson.Operator);
        Assert.True(view!.Summary.Down);
        Assert.Contains(view.Events, e => e.Kind == "phase" && e.Text == "phase Holdoff");
        var state = await reporter.Ask<FleetReporting.State>(FleetReporting.GetState.Instance, TimeSpan.FromSeconds(5));
        Assert.True(state.WireBytes > 500, $"wire bytes {state.WireBytes}");
        Assert.Equal(0, state.PendingAcks);
    }

    [Fact]
    public async Task Reporter_WithAnUntrustedCa_SendsNothing_AndKeepsItsChanges()
    {
        string token = await FleetTestKit.RegisterAsync(_operator, "pi-untrusted");
        var other = new TestCertificates(Directory.CreateDirectory(Path.Combine(_dir, "other")).FullName);
        var device = new SimulatedDevice();
        using var transport = new FleetTransport(_node.Url, "pi-untrusted", token, other.CaFile);
        var reporter = Sys.ActorOf(FleetReporter.Props(FleetTestKit.ReporterSettings(_node.Url, "pi-untrusted", token, other.CaFile), device, device, transport));
        await FleetTestKit.PollAsync(() => reporter.Ask<FleetReporting.State>(FleetReporting.GetState.Instance, TimeSpan.FromSeconds(5)),
            s => s.Failures >= 1, TimeSpan.FromSeconds(20), "the first report fails");
        // A change while the service cannot be trusted is kept for later.
        Sys.EventStream.Publish(new SimulatedDevice.DeviceChanged("Dead"));
        var state = await FleetTestKit.PollAsync(() => reporter.Ask<FleetReporting.State>(FleetReporting.GetState.Instance, TimeSpan.FromSeconds(5)),
            s => s.QueuedEvents == 1, TimeSpan.FromSeconds(10), "the change is kept");
        Assert.Equal(0, state.Reports);
        var view = await _operator.GetFromJsonAsync<DeviceView>("api/v1/devices/pi-untrusted", FleetJson.Operator);
        Assert.Equal(0, view!.Summary.Reports);
    }
}
