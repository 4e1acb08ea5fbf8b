using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace LinkActors.Fleet.Service;

/// <summary>Messages of <see cref="FleetDirectory"/>.</summary>
public static class FleetDirectoryProtocol
{
    /// <summary>Answered with <see cref="Devices"/>.</summary>
    public sealed record List(DeviceFilter Filter, DateTimeOffset Now);

    public sealed record Devices(IReadOnlyList<DeviceSummary> Items, int Total, bool Complete);

    /// <summary>Write every change (a <see cref="DeviceSummary"/>) and every new point of the links-up history (a <see cref="LinksUpPoint"/>)
    /// to <paramref name="Writer"/> (the event feed); answered with <see cref="Devices"/>, the current list.</summary>
    public sealed record Follow(ChannelWriter<object> Writer);

    public sealed record Unfollow(ChannelWriter<object> Writer);

    internal sealed record Rebuilt(int Ids);
}

/// <summary>The operator list's filters (all given ones must hold).</summary>
public sealed record DeviceFilter(bool? Down = null, bool? DeadPath = null, bool? WeakSignal = null, double? NotSeenHours = null, string? Tag = null, string? Text = null)
{
    public bool Matches(DeviceSummary d, DateTimeOffset now) =>
        (Down is null || d.Down == Down)
        && (DeadPath is null || d.DeadPath == DeadPath)
        && (WeakSignal is null || d.WeakSignal == WeakSignal)
        && (NotSeenHours is not { } hours || d.LastSeen is null || now - d.LastSeen.Value >= TimeSpan.FromHours(hours))
        && (Tag is null || d.Tags.Contains(Tag, StringComparer.Ordinal))
        && (Text is null || d.Id.Contains(Text, StringComparison.OrdinalIgnoreCase) || d.Tags.Any(t => t.Contains(Text, StringComparison.OrdinalIgnoreCase)));
}

/// <summary>
/// Every node's list of the fleet's devices, for the operator API and the page's live feed. Entities
/// publish their summary after each change (distributed pub-sub); at start the directory asks every
/// device the journal knows for its summary, so a node that joins or restarts lists the whole fleet.
/// It counts the devices whose links are all up for the <see cref="LinksUpHistory"/>, and passes that series'
/// new points on to the feed.
/// </summary>
public sealed class FleetDirectory : ReceiveActor
{
    private readonly Dictionary<string, DeviceSummary> _devices = new(StringComparer.Ordinal);
    private readonly List<ChannelWriter<object>> _followers = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _region;
    private readonly string? _readJournal;
    private bool _complete;

    public FleetDirectory(IActorRef region, string? readJournal)
    {
        _region = region;
        _readJournal = readJournal;
        Receive<LinksUpHistoryProtocol.Count>(_ => Sender.Tell(new LinksUpHistoryProtocol.Counted(_devices.Values.Count(d => !d.Down), _devices.Count, _complete)));
        Receive<LinksUpPoint>(point => _followers.RemoveAll(w => !w.TryWrite(point)));
        Receive<DeviceSummary>(Update);
        Receive<SubscribeAck>(_ => { });
        Receive<FleetDirectoryProtocol.List>(l =>
        {
            var items = _devices.Values.Where(d => l.Filter.Matches(d, l.Now)).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
            Sender.Tell(new FleetDirectoryProtocol.Devices(items, _devices.Count, _complete));
        });
        Receive<FleetDirectoryProtocol.Follow>(f =>
        {
            Sender.Tell(new FleetDirectoryProtocol.Devices(_devices.Values.OrderBy(d => d.Id, StringComparer.Ordinal).ToList(), _devices.Count, _complete));
            _followers.Add(f.Writer);
        });
        Receive<FleetDirectoryProtocol.Unfollow>(u => _followers.Remove(u.Writer));
        Receive<FleetDirectoryProtocol.Rebuilt>(r =>
        {
            _complete = true;
            _log.Info("fleet directory: {0} devices known from the journal", r.Ids);
        });
        Receive<DeviceProtocol.DeviceReply>(_ => { });
        Receive<Status.Failure>(f => _log.Warning("fleet directory: rebuilding from the journal failed: {0}", f.Cause.Message));
    }

    public static Props Props(IActorRef region, string? readJournal) => Akka.Actor.Props.Create(() => new FleetDirectory(region, readJournal));

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(LinksUpHistory.Topic, Self));
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(DeviceEntity.Topic, Self));
        if (_readJournal is null)
        {
            _complete = true;
            return;
        }
        var self = Self;
        var region = _region;
        var journal = PersistenceQuery.Get(Context.System).ReadJournalFor<SqlReadJournal>(_readJournal);
        journal.CurrentPersistenceIds()
            .Where(id => id.StartsWith("device-", StringComparison.Ordinal))
            .Select(id => id["device-".Length..])
            .SelectAsync(8, async id =>
            {
                try
                {
                    // The entity answers the summary here; it also publishes it on later changes.
                    var answer = await region.Ask<object>(new DeviceProtocol.GetSummary(id), TimeSpan.FromSeconds(20)).ConfigureAwait(false);
                    if (answer is DeviceSummary summary)
                        self.Tell(summary);
                }
                catch (AskTimeoutException)
                {
                }
                return id;
            })
            .RunAggregate(0, (n, _) => n + 1, Context.System.Materializer())
            .PipeTo(self, success: n => new FleetDirectoryProtocol.Rebuilt(n));
    }

    private void Update(DeviceSummary summary)
    {
        if (_devices.TryGetValue(summary.Id, out var known) && known.Version > summary.Version)
            return; // a late answer of the rebuild, older than what was published since
        _devices[summary.Id] = summary;
        _followers.RemoveAll(w => !w.TryWrite(summary));
    }

    protected override void PostStop()
    {
        foreach (var writer in _followers)
            writer.TryComplete();
    }
}
