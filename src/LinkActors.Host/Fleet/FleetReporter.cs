using System.Globalization;
using Akka.Actor;
using Akka.Event;
using LinkActors.Fleet.Wire;

namespace LinkActors.Host.Fleet;

/// <summary>Messages of the <see cref="FleetReporter"/>.</summary>
public static class FleetReporting
{
    /// <summary>Report now (coalescing and the budget still apply); for tests and the bench.</summary>
    public sealed record ReportNow(string Why);

    /// <summary>Answered with <see cref="State"/>.</summary>
    public sealed record GetState
    {
        public static GetState Instance { get; } = new();
    }

    public sealed record State(long Reports, long Failures, long WireBytes, long Spent24h, int QueuedEvents, int PendingAcks, long Executed, bool Slowed, DateTimeOffset? NextReport);

    /// <summary>Published on the event stream when a report was accepted (tests and the bench follow it).</summary>
    public sealed record ReportAccepted(string Device, long Seq, int Commands, long WireBytes);

    /// <summary>Starts the daemon's reporter: its facts from the links, its commands to the link manager, HTTPS to the service.</summary>
    public static IActorRef Start(ActorSystem system, FleetSettings settings, Management.LinkFactsReader reader)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        var transport = new FleetTransport(settings.Url!, settings.DeviceId, settings.Token, settings.CaFile);
        var reporter = system.ActorOf(FleetReporter.Props(settings, new DaemonFleetFacts(reader), new DaemonFleetCommands(reader), transport), "fleet-reporter");
        system.RegisterOnTermination(transport.Dispose);
        system.Log.Info("fleet: reporting as {0} to {1} (budget {2} bytes a day, heartbeat every {3})", settings.DeviceId, settings.Url, settings.Budget, settings.Heartbeat);
        // .NET resumes a TLS session only with the server's name (SNI) as its key: with an address in the url every
        // report pays a full handshake (about 500 bytes more on the wire).
        if (settings.Url!.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
            system.Log.Warning("fleet: the url names the service by address ({0}), so TLS sessions cannot be resumed and every report costs a full handshake; a host name saves bytes", settings.Url.Host);
        return reporter;
    }

    /// <summary>Published when the reporter ran a command from the fleet.</summary>
    public sealed record CommandExecuted(string Device, string Id, string Verb, string Outcome);
}

/// <summary>
/// Tells the fleet service what this device's links are doing: a report when something that matters
/// changes (phase, failure, registration, the doctor's severity), coalesced and at most one per
/// min-interval, and a heartbeat otherwise. It never holds the links up: facts are read with deadlines and
/// reports go out in the background. Reports that cannot be sent wait (the newest changes kept, bounded)
/// and go when the service answers again. Within the byte budget a day, measured on the wire, it slows
/// down rather than overspend, and logs that it does. Commands in the answer run once per id; their
/// outcome goes in the next report.
/// </summary>
public sealed class FleetReporter : ReceiveActor, IWithTimers
{
    private const int ExecutedRemembered = 256;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);

    private readonly FleetSettings _settings;
    private readonly IFleetFacts _facts;
    private readonly IFleetCommands _commands;
    private readonly IFleetTransport _transport;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ReportBudget _budget;
    private readonly LinkedList<DeviceEvent> _events = new();
    private readonly List<CommandAck> _acks = [];
    private readonly LinkedList<string> _executedOrder = new();
    private readonly HashSet<string> _executed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private long _seq;
    private long _reports;
    private long _failures;
    private int _dropped;
    private long _meterSeen;
    private string? _lastKey;
    private string? _pendingWhy;
    private bool _inFlight;
    private bool _slowed;
    private DateTimeOffset _lastSent = DateTimeOffset.MinValue;
    private DateTimeOffset? _nextReport;
    private DateTimeOffset? _settleUntil;
    private TimeSpan _retry = FirstRetry;
    private (DateTimeOffset Until, TimeSpan Interval, long SpentAtStart)? _watch;

    public FleetReporter(FleetSettings settings, IFleetFacts facts, IFleetCommands commands, IFleetTransport transport)
    {
        _settings = settings;
        _facts = facts;
        _commands = commands;
        _transport = transport;
        _budget = new ReportBudget(settings.Budget);
        _meterSeen = transport.Meter.Total; // only this reporter's own reports count against its budget
        _seq = Now.ToUnixTimeMilliseconds();

        Receive<Flush>(_ => OnFlush());
        Receive<Heartbeat>(_ => Want("heartbeat"));
        Receive<FleetReporting.ReportNow>(r => Want(r.Why));
        Receive<FactsRead>(OnFactsRead);
        Receive<Sent>(OnSent);
        Receive<CommandRan>(OnCommandRan);
        Receive<FleetReporting.GetState>(_ => Sender.Tell(new FleetReporting.State(_reports, _failures, _transport.Meter.Total,
            _budget.Spent(Now), _events.Count, _acks.Count, _executed.Count, _slowed, _nextReport)));
        ReceiveAny(OnPublished);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(FleetSettings settings, IFleetFacts facts, IFleetCommands commands, IFleetTransport transport) =>
        Akka.Actor.Props.Create(() => new FleetReporter(settings, facts, commands, transport));

    private static DateTimeOffset Now => Context.System.Scheduler.Now;

    private TimeSpan HeartbeatInterval => _watch is { } w ? w.Interval : _settings.Heartbeat;

    private TimeSpan MinInterval => _watch is { } w && w.Interval < _settings.MinInterval ? w.Interval : _settings.MinInterval;

    protected override void PreStart()
    {
        foreach (var type in _facts.Triggers)
            Context.System.EventStream.Subscribe(Self, type);
        Want("start");
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void OnPublished(object published)
    {
        if (_facts.Describe(published, Now) is { } line)
        {
            _events.AddLast(line);
            while (_events.Count > _settings.Queue)
            {
                _events.RemoveFirst();
                _dropped++;
            }
        }
        Want("change");
    }

    /// <summary>A report is wanted: after the coalescing delay, and not before min-interval since the last one.</summary>
    private void Want(string why)
    {
        // A heartbeat or a command's outcome must go even when no fact changed; a change only if one did.
        if (_pendingWhy is null || why != "change")
            _pendingWhy = why;
        if (_settleUntil is not null && why != "change" && Timers.IsTimerActive(Flush.Instance))
            Timers.Cancel(Flush.Instance); // settling: a command's outcome or a heartbeat goes now
        else if (_settleUntil is not null && Timers.IsTimerActive(Flush.Instance) && _nextReport > Now + _settings.Coalesce)
            Timers.Cancel(Flush.Instance); // settling: the link may be back, look again after the coalescing delay
        if (_inFlight || Timers.IsTimerActive(Flush.Instance))
            return;
        var now = Now;
        var delay = why == "start" ? TimeSpan.Zero : _settings.Coalesce;
        var earliest = _lastSent + MinInterval;
        if (now + delay < earliest)
            delay = earliest - now;
        Schedule(delay);
    }

    private void Schedule(TimeSpan delay)
    {
        _nextReport = Now + delay;
        Timers.StartSingleTimer(Flush.Instance, Flush.Instance, delay);
    }

    private void OnFlush()
    {
        if (_inFlight || _pendingWhy is null)
            return;
        _inFlight = true;
        _nextReport = null;
        string why = _pendingWhy;
        _facts.ReadAsync().PipeTo(Self, success: facts => new FactsRead(why, facts, null), failure: e => new FactsRead(why, [], e));
    }

    private void OnFactsRead(FactsRead read)
    {
        if (read.Error is not null)
            _log.Warning("fleet: reading the links' facts failed ({0}); reporting what is known", read.Error.Message);
        var now = Now;
        string key = Key(read.Facts);
        if (read.Why == "change" && key == _lastKey && _events.Count == 0 && _acks.Count == 0)
        {
            // Nothing that matters changed (a signal reading, say): no report, the heartbeat stays where it was.
            _inFlight = false;
            _pendingWhy = null;
            return;
        }
        // A link just went down: wait (up to settle) for it to come back, and tell both in one report. Over the link
        // that failed the report could not go out before anyway. A command's outcome or a heartbeat does not wait.
        if (read.Why == "change" && _acks.Count == 0 && _settings.Settle > TimeSpan.Zero && read.Facts.Any(f => !f.Up))
        {
            _settleUntil ??= now + _settings.Settle;
            if (now < _settleUntil)
            {
                _inFlight = false;
                Schedule(_settleUntil.Value - now);
                return;
            }
        }
        Charge(now);
        long extra = _watch is { } w && now < w.Until ? _settings.WatchBudget : 0;
        var fit = _budget.NextFit(now, _budget.Estimate, extra);
        if (fit > now)
        {
            if (!_slowed)
            {
                _log.Warning("fleet: slowing down to stay within the budget: {0} of {1} bytes spent in the last 24 h; next report at {2:HH:mm} UTC",
                    _budget.Spent(now), _settings.Budget + extra, fit.UtcDateTime);
            }
            _slowed = true;
            _inFlight = false;
            Schedule(fit - now);
            return;
        }
        if (_slowed)
        {
            _log.Info("fleet: the budget allows reports again ({0} of {1} bytes spent in the last 24 h)", _budget.Spent(now), _settings.Budget + extra);
            _slowed = false;
        }
        _seq = Math.Max(_seq + 1, now.ToUnixTimeMilliseconds());
        var events = _events.ToList();
        var acks = _acks.ToList();
        var report = new DeviceReport(_seq, read.Why, read.Facts, acks.Count == 0 ? null : acks, events.Count == 0 ? null : events,
            new ReporterFacts(_settings.Budget, _budget.Spent(now), _dropped, _slowed, _watch is { } watch ? $"every {watch.Interval.TotalSeconds:0} s until {watch.Until:HH:mm} UTC" : null));
        _pendingWhy = null;
        _settleUntil = null;
        _lastSent = now;
        var transport = _transport;
        transport.SendAsync(report, CancellationToken.None).PipeTo(Self, success: r => new Sent(report, key, r, events.Count, acks));
    }

    private void OnSent(Sent sent)
    {
        _inFlight = false;
        var now = Now;
        Charge(now);
        var result = sent.Result;
        if (result.Accepted)
        {
            _reports++;
            _retry = FirstRetry;
            _lastKey = sent.Key;
            for (int i = 0; i < sent.Events && _events.Count > 0; i++)
                _events.RemoveFirst();
            _acks.RemoveAll(a => sent.Acks.Contains(a));
            _dropped = 0;
            Context.System.EventStream.Publish(new FleetReporting.ReportAccepted(_settings.DeviceId, sent.Report.Seq, result.Answer!.Commands.Count, _transport.Meter.Total));
            foreach (var command in result.Answer.Commands)
                Run(command);
            if (_watch is { } w && (now >= w.Until || _budget.Spent(now) - w.SpentAtStart > _settings.WatchBudget))
            {
                _log.Info("fleet: watch-closely ended ({0})", now >= w.Until ? "its time is up" : "its byte cap is spent");
                _watch = null;
            }
            Timers.StartSingleTimer(Heartbeat.Instance, Heartbeat.Instance, HeartbeatInterval);
        }
        else
        {
            _failures++;
            if (result.Status == 409)
                _seq = Math.Max(_seq, now.ToUnixTimeMilliseconds()) + 1000;
            var wait = result.Status is 401 or 403 ? _settings.Heartbeat : _retry;
            _retry = TimeSpan.FromTicks(Math.Min(_retry.Ticks * 2, _settings.Heartbeat.Ticks));
            _log.Warning("fleet: report {0} not accepted ({1}); trying again in {2}", sent.Report.Seq,
                result.Status == 0 ? $"service not reachable: {result.Error}" : $"HTTP {result.Status}: {result.Problem?.Error ?? result.Error}",
                wait);
            _pendingWhy ??= "retry";
            Schedule(wait);
            return;
        }
        if (_pendingWhy is not null)
            Want(_pendingWhy);
    }

    private void Run(FleetCommand command)
    {
        if (_executed.Contains(command.Id) || _running.Contains(command.Id))
            return; // at most once: an id seen before is not run again (its outcome is on its way)
        Remember(command.Id);
        if (command.Verb == "watch-closely")
        {
            var interval = TimeSpan.FromSeconds(Math.Clamp(command.Interval ?? 60, 10, 3600));
            var until = Now + TimeSpan.FromSeconds(Math.Clamp(command.Seconds ?? 3600, 60, 86400));
            _watch = (until, interval, _budget.Spent(Now));
            _log.Info("fleet: watching closely: a report every {0} s until {1:HH:mm} UTC, within {2} extra bytes", interval.TotalSeconds, until.UtcDateTime, _settings.WatchBudget);
            Self.Tell(new CommandRan(command, new CommandAck(command.Id, "done",
                string.Create(CultureInfo.InvariantCulture, $"reporting every {interval.TotalSeconds:0} s until {until:HH:mm} UTC"))));
            return;
        }
        _running.Add(command.Id);
        _log.Info("fleet: running {0} ({1}) from the fleet service", command.Verb, command.Link ?? "every link");
        _commands.RunAsync(command).PipeTo(Self,
            success: ack => new CommandRan(command, ack),
            failure: e => new CommandRan(command, new CommandAck(command.Id, "failed", e.Message)));
    }

    private void OnCommandRan(CommandRan ran)
    {
        _running.Remove(ran.Command.Id);
        _acks.Add(ran.Ack);
        while (_acks.Count > 64)
            _acks.RemoveAt(0);
        Context.System.EventStream.Publish(new FleetReporting.CommandExecuted(_settings.DeviceId, ran.Command.Id, ran.Command.Verb, ran.Ack.Outcome));
        Want("ack");
    }

    private void Remember(string id)
    {
        _executed.Add(id);
        _executedOrder.AddLast(id);
        while (_executedOrder.Count > ExecutedRemembered)
        {
            _executed.Remove(_executedOrder.First!.Value);
            _executedOrder.RemoveFirst();
        }
    }

    /// <summary>What the wire meter counted since the last look goes into the budget.</summary>
    private void Charge(DateTimeOffset now)
    {
        long total = _transport.Meter.Total;
        _budget.Spend(now, total - _meterSeen);
        _meterSeen = total;
    }

    /// <summary>The facts that matter: a change in any of them is worth a report.</summary>
    private static string Key(IReadOnlyList<LinkFacts> facts) =>
        string.Join(";", facts.Select(f => $"{f.Name}|{f.Phase}|{f.Failure?.Code}|{f.Reg}|{f.Severity}|{f.DeadPath}"));

    private sealed record Flush
    {
        public static Flush Instance { get; } = new();
    }

    private sealed record Heartbeat
    {
        public static Heartbeat Instance { get; } = new();
    }

    private sealed record FactsRead(string Why, IReadOnlyList<LinkFacts> Facts, Exception? Error);

    private sealed record Sent(DeviceReport Report, string Key, TransportResult Result, int Events, List<CommandAck> Acks);

    private sealed record CommandRan(FleetCommand Command, CommandAck Ack);
}
