using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;

namespace LinkActors.Fleet.Service;

/// <summary>One point of the links-up history: at <paramref name="At"/>, <paramref name="Up"/> of <paramref name="Total"/> devices had every link up.</summary>
public sealed record LinksUpPoint(DateTimeOffset At, int Up, int Total) : IFleetMessage;

/// <summary>Messages of <see cref="LinksUpHistory"/>.</summary>
public static class LinksUpHistoryProtocol
{
    /// <summary>Answered with <see cref="History"/>.</summary>
    public sealed record GetHistory : IFleetMessage
    {
        public static GetHistory Instance { get; } = new();
    }

    /// <summary>The links-up series of the last 24 h, oldest first, with the interval of its points.</summary>
    public sealed record History(IReadOnlyList<LinksUpPoint> Points, double IntervalSeconds) : IFleetMessage;

    /// <summary>Asked of this node's <see cref="FleetDirectory"/>; answered with <see cref="Counted"/>.</summary>
    public sealed record Count
    {
        public static Count Instance { get; } = new();
    }

    /// <param name="Complete">Whether the directory knows every device yet (a node that just started does not).</param>
    public sealed record Counted(int Up, int Total, bool Complete);

    /// <summary>The whole series, saved now and then so that recovery stays short.</summary>
    public sealed record HistorySnapshot(IReadOnlyList<LinksUpPoint> Points) : IFleetMessage
    {
        public override string ToString() => $"HistorySnapshot {{ Points = {Points.Count} }}";
    }

    internal sealed record Sample
    {
        public static Sample Instance { get; } = new();
    }
}

/// <summary>
/// The fleet's "links up over the last 24 h" series: a cluster singleton that every history-interval counts the
/// devices whose links are all up (from its node's directory), persists the point (so the series survives a node's
/// death and a full restart), keeps 24 h of them, and publishes each new point to every node's directory (the
/// page's live feed).
/// </summary>
public sealed class LinksUpHistory : ReceivePersistentActor, IWithTimers
{
    public const string Topic = "fleet-links-up";
    public const string PersistenceIdentifier = "fleet-links-up";
    private readonly IActorRef _directory;
    private readonly TimeSpan _interval;
    private readonly int _kept;
    private readonly LinkedList<LinksUpPoint> _points = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public LinksUpHistory(IActorRef directory, TimeSpan interval)
    {
        _directory = directory;
        _interval = interval;
        _kept = (int)Math.Clamp(TimeSpan.FromHours(24) / interval, 2, 10_000);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is LinksUpHistoryProtocol.HistorySnapshot s)
            {
                _points.Clear();
                foreach (var point in s.Points)
                    Add(point);
            }
        });
        Recover<LinksUpPoint>(Add);
        Command<LinksUpHistoryProtocol.Sample>(_ => _directory.Tell(LinksUpHistoryProtocol.Count.Instance));
        Command<LinksUpHistoryProtocol.Counted>(OnCounted);
        Command<LinksUpHistoryProtocol.GetHistory>(_ => Sender.Tell(new LinksUpHistoryProtocol.History(_points.ToList(), _interval.TotalSeconds)));
        Command<SaveSnapshotSuccess>(s => DeleteMessages(s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(f => _log.Warning("links-up history: snapshot not saved: {0}", f.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(_ => { });
    }

    public override string PersistenceId => PersistenceIdentifier;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef directory, TimeSpan interval) => Akka.Actor.Props.Create(() => new LinksUpHistory(directory, interval));

    protected override void OnReplaySuccess()
    {
        Timers.StartPeriodicTimer(LinksUpHistoryProtocol.Sample.Instance, LinksUpHistoryProtocol.Sample.Instance, _interval);
        Self.Tell(LinksUpHistoryProtocol.Sample.Instance);
    }

    private void OnCounted(LinksUpHistoryProtocol.Counted counted)
    {
        // A directory that is still reading the journal would draw a false dip to zero: no point this time.
        if (!counted.Complete)
            return;
        Persist(new LinksUpPoint(Context.System.Scheduler.Now, counted.Up, counted.Total), point =>
        {
            Add(point);
            DistributedPubSub.Get(Context.System).Mediator.Tell(new Publish(Topic, point));
            if (LastSequenceNr % _kept == 0)
                SaveSnapshot(new LinksUpHistoryProtocol.HistorySnapshot(_points.ToList()));
        });
    }

    private void Add(LinksUpPoint point)
    {
        _points.AddLast(point);
        while (_points.Count > _kept)
            _points.RemoveFirst();
    }
}
