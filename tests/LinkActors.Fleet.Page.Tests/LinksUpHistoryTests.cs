using System.Net.Http.Json;
using LinkActors.Fleet.Service;
using LinkActors.Fleet.Tests;
using LinkActors.Fleet.Wire;

namespace LinkActors.Fleet.Page.Tests;

/// <summary>The links-up series behind the page's 24-hour chart: counted from the devices, persisted, kept across a full restart.</summary>
public sealed class LinksUpHistoryTests : IAsyncLifetime
{
    private const string EverySecond = "linkactors.fleet-service.page.history-interval = 1s";
    private readonly string _dir = FleetTestKit.Scratch();
    private FleetNode _node = null!;

    public async Task InitializeAsync() => _node = await FleetNode.StartAsync(Path.Combine(_dir, "fleet.db"), null, EverySecond);

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The series, or null while the fleet cannot answer yet (503: its singleton is still starting).</summary>
    private static async Task<LinksUpHistoryProtocol.History?> ReadAsync(HttpClient client)
    {
        using var response = await client.GetAsync("api/v1/history");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<LinksUpHistoryProtocol.History>(FleetJson.Operator) : null;
    }

    [Fact]
    public async Task History_CountsDevicesWithTheirLinksUp_AndSurvivesAFullRestart()
    {
        var fleet = new SimulatedFleet(_node.Url);
        using (var operatorClient = FleetTestKit.Operator(_node.Url))
        {
            await fleet.SeedAsync(operatorClient, 10);
            var history = await FleetTestKit.PollAsync(() => ReadAsync(operatorClient),
                h => h is not null && h.Points.Any(p => p.Total == 10), TimeSpan.FromSeconds(30), "a point with the ten devices");
            // Devices 5 and 10 are down: 8 of 10 have every link up.
            Assert.Equal(8, history!.Points.Last(p => p.Total == 10).Up);
            Assert.Equal(1, history.IntervalSeconds);
        }
        using var before = FleetTestKit.Operator(_node.Url);
        var kept = (await FleetTestKit.PollAsync(() => ReadAsync(before), h => h is not null, TimeSpan.FromSeconds(30), "the series"))!.Points;

        await _node.DisposeAsync();
        _node = await FleetNode.StartAsync(Path.Combine(_dir, "fleet.db"), null, EverySecond);
        using var after = FleetTestKit.Operator(_node.Url);
        var again = await FleetTestKit.PollAsync(() => ReadAsync(after),
            h => h is not null && h.Points.Count > kept.Count, TimeSpan.FromSeconds(60), "the series after the restart, with a new point");
        // Every point from before the restart is still there, in order, and new ones follow (never a dip to zero while the node rebuilds its list).
        Assert.Equal(kept.Select(p => (p.At, p.Up, p.Total)), again!.Points.Take(kept.Count).Select(p => (p.At, p.Up, p.Total)));
        Assert.All(again.Points.Skip(kept.Count), p => Assert.Equal((8, 10), (p.Up, p.Total)));
    }
}

/// <summary>The fleet's serializer names messages by their type's name: two messages with one name would break it (and the journal) at start.</summary>
public sealed class FleetMessageNameTests
{
    [Fact]
    public void EveryFleetMessage_HasItsOwnName_AndRoundTrips()
    {
        var types = typeof(IFleetMessage).Assembly.GetTypes().Where(t => typeof(IFleetMessage).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract).ToList();
        Assert.Contains(typeof(LinksUpPoint), types);
        Assert.Empty(types.GroupBy(t => t.Name).Where(g => g.Count() > 1).Select(g => g.Key));
        var point = new LinksUpPoint(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero), 8, 10);
        var serializer = new FleetJsonSerializer(null!);
        Assert.Equal(point, serializer.FromBinary(serializer.ToBinary(point), serializer.Manifest(point)));
        var snapshot = new LinksUpHistoryProtocol.HistorySnapshot([point]);
        Assert.Equal(point, Assert.IsType<LinksUpHistoryProtocol.HistorySnapshot>(serializer.FromBinary(serializer.ToBinary(snapshot), serializer.Manifest(snapshot))).Points.Single());
    }
}
