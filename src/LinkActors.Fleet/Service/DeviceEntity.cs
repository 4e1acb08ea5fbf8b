using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using LinkActors.Fleet.Wire;

namespace LinkActors.Fleet.Service;

/// <summary>
/// One device of the fleet (a sharded entity): its token's hash, its last facts, its timeline and its
/// commands. A report is answered only after what it changed is persisted, so an acknowledged report
/// survives the node's death; commands stay in every answer until the device acknowledges them, and
/// the device runs each id at most once.
/// </summary>
public sealed class DeviceEntity : ReceivePersistentActor
{
    public const string Topic = "fleet-devices";
    public const int TimelineCapacity = 200;
    public const int FinishedCommandsKept = 50;
    /// <summary>Samples kept for the page's charts (one per accepted report): a day of reports every 5 minutes.</summary>
    public const int SamplesKept = 288;
    private const int SnapshotEvery = 200;
    public const int WeakSignalDbm = -95;

    private readonly string _id;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _mediator;
    private byte[]? _tokenHash;
    private IReadOnlyList<string> _tags = [];
    private long _lastSeq;
    private long _reports;
    private DateTimeOffset? _lastSeen;
    private IReadOnlyList<LinkFacts> _links = [];
    private ReporterFacts? _reporter;
    private readonly LinkedList<TimelineEntry> _timeline = new();
    private readonly List<CommandView> _commands = [];
    private readonly LinkedList<DeviceSample> _samples = new();
    private long _nextCommand = 1;

    public DeviceEntity(string id)
    {
        _id = id;
        PersistenceId = "device-" + id;
        _mediator = DistributedPubSub.Get(Context.System).Mediator;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is DeviceJournal.Snapshot s)
                Restore(s);
        });
        Recover<DeviceJournal.TokenSet>(Apply);
        Recover<DeviceJournal.ReportAccepted>(Apply);
        Recover<DeviceJournal.CommandQueued>(Apply);
        Recover<DeviceJournal.CommandsDelivered>(Apply);

        Command<DeviceProtocol.Register>(OnRegister);
        Command<DeviceProtocol.Report>(OnReport);
        Command<DeviceProtocol.QueueCommand>(OnQueue);
        Command<DeviceProtocol.GetCommand>(g =>
        {
            var command = _commands.FirstOrDefault(c => c.Id == g.CommandId);
            Sender.Tell(command is null
                ? new DeviceProtocol.CommandReply(404, null, new Problem($"device {_id} has no command {g.CommandId}"))
                : new DeviceProtocol.CommandReply(200, command, null));
        });
        Command<DeviceProtocol.GetDevice>(_ => Sender.Tell(new DeviceProtocol.DeviceReply(Known ? View() : null)));
        Command<DeviceProtocol.GetSummary>(_ =>
        {
            if (Known)
                Sender.Tell(Summary());
            else
                Sender.Tell(new DeviceProtocol.DeviceReply(null));
        });
        Command<SaveSnapshotSuccess>(s => DeleteMessages(s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(f => _log.Warning("device {0}: snapshot not saved: {1}", _id, f.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(_ => { });
    }

    public override string PersistenceId { get; }

    public static Props Props(string id) => Akka.Actor.Props.Create(() => new DeviceEntity(id));

    private bool Known => _tokenHash is not null;

    private static DateTimeOffset Now => Context.System.Scheduler.Now;

    private void OnRegister(DeviceProtocol.Register r)
    {
        if (r.OnlyIfNew && Known)
        {
            Sender.Tell(new DeviceProtocol.Registered(_id, false, $"device {_id} is already enrolled; an operator can issue it a new token"));
            return;
        }
        var sender = Sender;
        Persist(new DeviceJournal.TokenSet(r.TokenHash, r.Tags, Now), e =>
        {
            Apply(e);
            sender.Tell(new DeviceProtocol.Registered(_id, true, null));
            Publish();
        });
    }

    private void OnReport(DeviceProtocol.Report r)
    {
        // Refusals change nothing: they are answered before anything is persisted.
        if (!Known)
        {
            Sender.Tell(Refuse(401, "this device is not enrolled", "enrol it with the fleet's enrolment token, or have an operator register it"));
            return;
        }
        if (!ReportRules.SameHash(_tokenHash, r.TokenHash))
        {
            Sender.Tell(Refuse(401, "wrong token for this device", null));
            return;
        }
        if (ReportRules.Check(r.Body) is { } problem)
        {
            Sender.Tell(Refuse(400, problem, null));
            return;
        }
        if (r.Body.Seq <= _lastSeq)
        {
            Sender.Tell(Refuse(409, string.Create(CultureInfo.InvariantCulture, $"report {r.Body.Seq} is not newer than the last accepted one ({_lastSeq}): replayed or out of order"),
                "a device numbers every report it sends higher than the last"));
            return;
        }
        var now = Now;
        var accepted = new DeviceJournal.ReportAccepted(r.Body, now);
        var sender = Sender;
        var undelivered = _commands.Where(c => c.State == "queued").Select(c => c.Id).ToList();
        var events = new List<IFleetMessage> { accepted };
        if (undelivered.Count > 0)
            events.Add(new DeviceJournal.CommandsDelivered(undelivered, now));
        PersistAll(events, Apply);
        // The answer goes once every event is persisted and applied: the commands it carries are marked delivered.
        DeferAsync(accepted, _ =>
        {
            var pending = _commands.Where(c => !c.Finished).Select(c => c.ToWire()).ToList();
            sender.Tell(new DeviceProtocol.ReportReply(200, new ReportAnswer(r.Body.Seq, pending), null));
            Publish();
            MaybeSnapshot();
        });
    }

    private static DeviceProtocol.ReportReply Refuse(int status, string error, string? hint) => new(status, null, new Problem(error, hint));

    private void OnQueue(DeviceProtocol.QueueCommand q)
    {
        if (!Known)
        {
            Sender.Tell(new DeviceProtocol.CommandReply(404, null, new Problem($"no device {_id}")));
            return;
        }
        string id = string.Create(CultureInfo.InvariantCulture, $"c{_nextCommand}-{Now.ToUnixTimeMilliseconds() % 100000}");
        var sender = Sender;
        Persist(new DeviceJournal.CommandQueued(id, q.Verb, q.Link, q.Seconds, q.Interval, Now), e =>
        {
            Apply(e);
            sender.Tell(new DeviceProtocol.CommandReply(202, _commands.First(c => c.Id == id), null));
            Publish();
            MaybeSnapshot();
        });
    }

    private void Apply(DeviceJournal.TokenSet e)
    {
        _tokenHash = e.TokenHash;
        _tags = e.Tags;
        AddTimeline(new TimelineEntry(e.At, "", "enrolled", "device registered with the fleet"));
    }

    private void Apply(DeviceJournal.ReportAccepted e)
    {
        var report = e.Report;
        _lastSeq = report.Seq;
        _reports++;
        _lastSeen = e.At;
        _links = report.Links;
        _reporter = report.Reporter;
        AddSample(report.Links, e.At);
        foreach (var ev in report.Events ?? [])
            AddTimeline(new TimelineEntry(ev.At, ev.Link, ev.Kind, ev.Text));
        foreach (var ack in report.Acks ?? [])
        {
            int i = _commands.FindIndex(c => c.Id == ack.Id);
            if (i < 0 || _commands[i].Finished)
                continue;
            _commands[i] = _commands[i] with { State = ack.Outcome, FinishedAt = e.At, Detail = ack.Detail };
            // The timeline keeps a line; the whole outcome (the doctor's explanation, say) stays with the command.
            string detail = ack.Detail is null ? "" : ": " + (ack.Detail.Length > 200 ? ack.Detail[..200].TrimEnd() + "…" : ack.Detail).ReplaceLineEndings(" ");
            AddTimeline(new TimelineEntry(e.At, _commands[i].Link ?? "", "command", $"{_commands[i].Verb} {ack.Outcome}{detail}"));
        }
        TrimCommands();
    }

    private void Apply(DeviceJournal.CommandQueued e)
    {
        _nextCommand++;
        _commands.Add(new CommandView(e.Id, e.Verb, e.Link, e.Seconds, e.Interval, "queued", e.At, null, null, null));
        AddTimeline(new TimelineEntry(e.At, e.Link ?? "", "command", $"{e.Verb} queued by an operator"));
    }

    private void Apply(DeviceJournal.CommandsDelivered e)
    {
        for (int i = 0; i < _commands.Count; i++)
        {
            if (e.Ids.Contains(_commands[i].Id) && _commands[i].State == "queued")
                _commands[i] = _commands[i] with { State = "delivered", DeliveredAt = e.At };
        }
    }

    private void Apply(IFleetMessage e)
    {
        switch (e)
        {
            case DeviceJournal.ReportAccepted r: Apply(r); break;
            case DeviceJournal.CommandsDelivered d: Apply(d); break;
        }
    }

    private void TrimCommands()
    {
        int finished = _commands.Count(c => c.Finished);
        while (finished > FinishedCommandsKept)
        {
            _commands.RemoveAt(_commands.FindIndex(c => c.Finished));
            finished--;
        }
    }

    private void AddSample(IReadOnlyList<LinkFacts> links, DateTimeOffset at)
    {
        static long? Sum(IEnumerable<long?> values) => values.Aggregate((long?)null, (sum, v) => v is null ? sum : (sum ?? 0) + v);
        _samples.AddLast(new DeviceSample(at, links.Count > 0 && links.All(l => l.Up), links.Where(l => l.Dbm is not null).Select(l => l.Dbm).Min(),
            Sum(links.Select(l => l.TxBytes)), Sum(links.Select(l => l.RxBytes))));
        while (_samples.Count > SamplesKept)
            _samples.RemoveFirst();
    }

    private void AddTimeline(TimelineEntry entry)
    {
        _timeline.AddLast(entry);
        while (_timeline.Count > TimelineCapacity)
            _timeline.RemoveFirst();
    }

    private void MaybeSnapshot()
    {
        if (LastSequenceNr % SnapshotEvery == 0)
        {
            SaveSnapshot(new DeviceJournal.Snapshot(_tokenHash, _tags, _lastSeq, _reports, _lastSeen, _links, _reporter,
                _timeline.ToList(), _commands.ToList(), _nextCommand, _samples.ToList()));
        }
    }

    private void Restore(DeviceJournal.Snapshot s)
    {
        _tokenHash = s.TokenHash;
        _tags = s.Tags;
        _lastSeq = s.LastSeq;
        _reports = s.Reports;
        _lastSeen = s.LastSeen;
        _links = s.Links;
        _reporter = s.Reporter;
        _timeline.Clear();
        foreach (var entry in s.Events)
            _timeline.AddLast(entry);
        _commands.Clear();
        _commands.AddRange(s.Commands);
        _nextCommand = s.NextCommand;
        _samples.Clear();
        foreach (var sample in s.Samples ?? [])
            _samples.AddLast(sample);
    }

    private void Publish() => _mediator.Tell(new Publish(Topic, Summary()));

    public DeviceSummary Summary()
    {
        var notUp = _links.FirstOrDefault(l => !l.Up);
        var weakest = _links.Where(l => l.Dbm is not null).OrderBy(l => l.Dbm).FirstOrDefault();
        var failing = _links.FirstOrDefault(l => l.Failure is not null);
        var worstDoctor = _links.Where(l => l.Severity is not null).OrderByDescending(l => SeverityRank(l.Severity)).FirstOrDefault();
        return new DeviceSummary(
            Id: _id,
            Tags: _tags,
            LastSeen: _lastSeen,
            Phase: _links.Count == 0 ? "Unknown" : (notUp ?? _links[0]).Phase,
            Down: _links.Count == 0 || notUp is not null,
            DeadPath: _links.Any(l => l.DeadPath),
            WeakSignal: weakest?.Dbm <= WeakSignalDbm,
            Dbm: weakest?.Dbm,
            Reg: (weakest ?? First)?.Reg,
            Op: (weakest ?? First)?.Op,
            Uptime: _links.Where(l => l.Up).Select(l => l.Uptime).Min(),
            Failure: failing?.Failure,
            Doctor: worstDoctor?.Doctor,
            Severity: worstDoctor?.Severity,
            PendingCommands: _commands.Count(c => !c.Finished),
            Reports: _reports,
            Version: LastSequenceNr);
    }

    private LinkFacts? First => _links.Count > 0 ? _links[0] : null;

    private static int SeverityRank(string? severity) => severity switch
    {
        "Problem" => 3,
        "Warning" => 2,
        "Info" => 1,
        _ => 0,
    };

    private DeviceView View() => new(Summary(), _links, _reporter, _timeline.Reverse().Take(100).ToList(), _commands.ToList(), _samples.ToList());
}
