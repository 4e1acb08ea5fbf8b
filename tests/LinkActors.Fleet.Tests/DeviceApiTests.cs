using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using LinkActors.Fleet.Service;
using LinkActors.Fleet.Wire;

namespace LinkActors.Fleet.Tests;

/// <summary>The device and operator API of one node over TLS (a certificate the test makes), with SQLite persistence.</summary>
public sealed class DeviceApiTests : IAsyncLifetime
{
    private readonly string _dir = FleetTestKit.Scratch();
    private TestCertificates _tls = null!;
    private FleetNode _node = null!;
    private HttpClient _operator = null!;

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

    private HttpClient Device(string token)
    {
        var client = new HttpClient(FleetNode.Trusting(_tls)) { BaseAddress = _node.Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static DeviceReport Report(long seq, string phase = "Network") =>
        new(seq, "change", [new LinkFacts("ppp0", phase, phase == "Network", Dbm: -80)]);

    private async Task<DeviceView> ViewAsync(string device) =>
        (await _operator.GetFromJsonAsync<DeviceView>($"api/v1/devices/{device}", FleetJson.Operator))!;

    [Fact]
    public async Task Report_WithCommandQueued_ReturnsItUntilAcknowledged_ThenShowsItsOutcome()
    {
        string token = await FleetTestKit.RegisterAsync(_operator, "pi-cmd", "north");
        using var device = Device(token);
        using var queued = await _operator.PostAsJsonAsync("api/v1/devices/pi-cmd/commands", new FleetApi.CommandRequest("redial", "ppp0", null, null));
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var command = (await queued.Content.ReadFromJsonAsync<CommandView>(FleetJson.Operator))!;
        Assert.Equal("queued", command.State);

        var first = await (await device.PostAsJsonAsync("api/v1/devices/pi-cmd/report", Report(1), FleetJson.Options)).Content.ReadFromJsonAsync<ReportAnswer>(FleetJson.Options);
        Assert.Equal(command.Id, Assert.Single(first!.Commands).Id);
        // Not yet acknowledged (the answer may have been lost): it comes again; the device runs each id once.
        var second = await (await device.PostAsJsonAsync("api/v1/devices/pi-cmd/report", Report(2), FleetJson.Options)).Content.ReadFromJsonAsync<ReportAnswer>(FleetJson.Options);
        Assert.Equal(command.Id, Assert.Single(second!.Commands).Id);
        Assert.Equal("delivered", (await ViewAsync("pi-cmd")).Commands.Single().State);

        var acked = Report(3) with { Acks = [new CommandAck(command.Id, "done", "redialed")] };
        var third = await (await device.PostAsJsonAsync("api/v1/devices/pi-cmd/report", acked, FleetJson.Options)).Content.ReadFromJsonAsync<ReportAnswer>(FleetJson.Options);
        Assert.Empty(third!.Commands);
        var outcome = await _operator.GetFromJsonAsync<CommandView>($"api/v1/devices/pi-cmd/commands/{command.Id}", FleetJson.Operator);
        Assert.Equal("done", outcome!.State);
        Assert.Equal("redialed", outcome.Detail);
        Assert.Contains((await ViewAsync("pi-cmd")).Events, e => e.Kind == "command" && e.Text.Contains("redial done", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadReports_Get4xxWithAReason_AndChangeNothing()
    {
        string token = await FleetTestKit.RegisterAsync(_operator, "pi-bad");
        using var device = Device(token);
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsJsonAsync("api/v1/devices/pi-bad/report", Report(10), FleetJson.Options)).StatusCode);
        var before = await ViewAsync("pi-bad");

        async Task Refused(HttpResponseMessage response, HttpStatusCode status, string reason)
        {
            Assert.Equal(status, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<Problem>(FleetJson.Options);
            Assert.Contains(reason, problem!.Error, StringComparison.Ordinal);
        }

        await Refused(await device.PostAsync("api/v1/devices/pi-bad/report", new StringContent("{\"seq\": 11, \"links\": [", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "not valid JSON");
        await Refused(await device.PostAsync("api/v1/devices/pi-bad/report", new StringContent("{\"seq\": 11, \"why\": \"change\"}", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "links is missing");
        await Refused(await device.PostAsJsonAsync("api/v1/devices/pi-bad/report", Report(11) with { Links = [new LinkFacts("bad name!", "Network", true)] }, FleetJson.Options),
            HttpStatusCode.BadRequest, "link name");
        await Refused(await device.PostAsync("api/v1/devices/pi-bad/report", new StringContent(new string('x', 20_000), Encoding.UTF8, "application/json")),
            HttpStatusCode.RequestEntityTooLarge, "larger than");
        await Refused(await device.PostAsync("api/v1/devices/pi-bad/report", new StringContent("seq=11", Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType, "must be JSON");
        await Refused(await device.PostAsJsonAsync("api/v1/devices/pi-bad/report", Report(10, "Dead"), FleetJson.Options), HttpStatusCode.Conflict, "replayed");
        using (var nobody = new HttpClient(FleetNode.Trusting(_tls)) { BaseAddress = _node.Url })
            await Refused(await nobody.PostAsJsonAsync("api/v1/devices/pi-bad/report", Report(12, "Dead"), FleetJson.Options), HttpStatusCode.Unauthorized, "token is required");
        using (var wrong = Device("not-the-token"))
            await Refused(await wrong.PostAsJsonAsync("api/v1/devices/pi-bad/report", Report(13, "Dead"), FleetJson.Options), HttpStatusCode.Unauthorized, "wrong token");

        var after = await ViewAsync("pi-bad");
        Assert.Equal(before.Summary.Reports, after.Summary.Reports);
        Assert.Equal(before.Summary.Version, after.Summary.Version);
        Assert.Equal("Network", after.Summary.Phase);
    }

    [Fact]
    public async Task ADevice_CannotReportAsAnother_NorReadOrCommandThroughTheOperatorApi()
    {
        string a = await FleetTestKit.RegisterAsync(_operator, "pi-a");
        await FleetTestKit.RegisterAsync(_operator, "pi-b");
        using var deviceA = Device(a);
        var asB = await deviceA.PostAsJsonAsync("api/v1/devices/pi-b/report", Report(1, "Dead"), FleetJson.Options);
        Assert.Equal(HttpStatusCode.Unauthorized, asB.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await deviceA.GetAsync("api/v1/devices/pi-b")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await deviceA.GetAsync("api/v1/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await deviceA.PostAsJsonAsync("api/v1/devices/pi-b/commands", new FleetApi.CommandRequest("down", null, null, null))).StatusCode);
        var b = await ViewAsync("pi-b");
        Assert.Equal(0, b.Summary.Reports);
        Assert.Empty(b.Commands);
    }

    [Fact]
    public async Task Enrolment_IssuesATokenOnce_AndTheListFiltersByState()
    {
        using var enrol = new HttpClient(FleetNode.Trusting(_tls)) { BaseAddress = _node.Url };
        enrol.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FleetTestKit.EnrolmentToken);
        var issued = await enrol.PostAsJsonAsync("api/v1/enrol", new FleetApi.EnrolRequest("pi-new", ["south"]), FleetJson.Options);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        string token = (await issued.Content.ReadFromJsonAsync<Enrolled>(FleetJson.Options))!.Token;
        Assert.Equal(HttpStatusCode.Conflict, (await enrol.PostAsJsonAsync("api/v1/enrol", new FleetApi.EnrolRequest("pi-new", null), FleetJson.Options)).StatusCode);

        using var device = Device(token);
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsJsonAsync("api/v1/devices/pi-new/report", Report(1, "Holdoff") with
        {
            Links = [new LinkFacts("ppp0", "Holdoff", false, Dbm: -101, DeadPath: true, Failure: new FailureFacts("dead-data-path", "no answer"))],
        }, FleetJson.Options)).StatusCode);
        var down = await _operator.GetFromJsonAsync<FleetApi.DeviceList>("api/v1/devices?down=true&tag=south", FleetJson.Operator);
        var one = Assert.Single(down!.Devices);
        Assert.Equal("pi-new", one.Id);
        Assert.True(one.WeakSignal);
        Assert.True(one.DeadPath);
        Assert.Equal("dead-data-path", one.Failure!.Code);
        Assert.Empty((await _operator.GetFromJsonAsync<FleetApi.DeviceList>("api/v1/devices?down=false&tag=south", FleetJson.Operator))!.Devices);
        Assert.Equal(HttpStatusCode.BadRequest, (await _operator.GetAsync("api/v1/devices?not-seen-hours=soon")).StatusCode);
    }

    [Fact]
    public async Task DeviceAndPendingCommand_SurviveAFullRestart()
    {
        string token = await FleetTestKit.RegisterAsync(_operator, "pi-restart");
        using (var device = Device(token))
            Assert.Equal(HttpStatusCode.OK, (await device.PostAsJsonAsync("api/v1/devices/pi-restart/report", Report(5), FleetJson.Options)).StatusCode);
        var queued = await (await _operator.PostAsJsonAsync("api/v1/devices/pi-restart/commands", new FleetApi.CommandRequest("doctor", null, null, null)))
            .Content.ReadFromJsonAsync<CommandView>(FleetJson.Operator);
        await _node.DisposeAsync();
        _operator.Dispose();

        _node = await FleetNode.StartAsync(Path.Combine(_dir, "fleet.db"), _tls);
        _operator = FleetTestKit.Operator(_node.Url, FleetNode.Trusting(_tls));
        var listed = await FleetTestKit.PollAsync(() => _operator.GetFromJsonAsync<FleetApi.DeviceList>("api/v1/devices", FleetJson.Operator)!,
            l => l!.Complete && l.Devices.Any(d => d.Id == "pi-restart"), TimeSpan.FromSeconds(30), "the restarted node lists the device");
        Assert.Equal(1, listed!.Devices.Single(d => d.Id == "pi-restart").Reports);
        using var again = Device(token);
        var replay = await again.PostAsJsonAsync("api/v1/devices/pi-restart/report", Report(5), FleetJson.Options);
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        var answer = await (await again.PostAsJsonAsync("api/v1/devices/pi-restart/report", Report(6), FleetJson.Options)).Content.ReadFromJsonAsync<ReportAnswer>(FleetJson.Options);
        Assert.Equal(queued!.Id, Assert.Single(answer!.Commands).Id);
    }
}
