using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Watchdog;

namespace LinkActors.Actors.Link;

/// <summary>Messages of the <see cref="LinkManager"/>.</summary>
public static class LinkManagement
{
    /// <summary>Stop every link cleanly; replies <see cref="AllStopped"/> when the last one has ended.</summary>
    public sealed record StopAll(string Reason);

    public sealed record AllStopped
    {
        public static AllStopped Instance { get; } = new();
    }

    /// <summary>Bring a stopped link up again (resets its failure count).</summary>
    public sealed record Up(string Link);

    /// <summary>Take a link down and keep it down.</summary>
    public sealed record Down(string Link);

    /// <summary>Hang up and dial again now.</summary>
    public sealed record Redial(string Link);

    public sealed record GetLinks
    {
        public static GetLinks Instance { get; } = new();
    }

    public sealed record LinkState(string Link, bool Running, int Attempts, int ConsecutiveFailures, LinkFailure? LastFailure, DateTimeOffset? NextAttempt);

    public sealed record Links(IReadOnlyList<LinkState> States);

    /// <summary>The link is not configured, or has no attempt running right now.</summary>
    public sealed record UnknownLink(string Link);

    /// <summary>Hands <paramref name="Message"/> to the link's current attempt, keeping the sender (e.g. GetStatus).</summary>
    public sealed record ToLink(string Link, object Message);

    /// <summary>Published when a link will not be dialed again, and why.</summary>
    public sealed record GaveUp(string Link, string Reason);

    /// <summary>Published when a redial is scheduled.</summary>
    public sealed record RedialScheduled(string Link, TimeSpan After, int Attempt);

    /// <summary>Hang up, send the modem its reset command (watchdog.modem-reset-command), wait for it, and dial again.</summary>
    public sealed record ResetModem(string Link);

    /// <summary>Published when the escalation ladder takes a step against a failure seen <paramref name="Repeats"/> times in a row.</summary>
    public sealed record EscalationStepTaken(string Link, EscalationStep Step, LinkFailure Failure, int Repeats);

    /// <summary>Published when the power-cycle hook has run.</summary>
    public sealed record PowerCycled(string Link, bool Succeeded, string Detail);
}

/// <summary>
/// One <see cref="LinkSupervisor"/> per configured link, rebuilt after each ended attempt as pppd's
/// persist, holdoff and maxfail say, with exponential backoff and jitter between failed attempts.
/// When the same failure repeats it escalates along the link's ladder (renegotiate, redial, modem
/// reset before the next dial, the external power-cycle hook); good service resets the ladder.
/// </summary>
public sealed class LinkManager : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);
    private readonly Func<LinkSettings, LinkDependencies> _dependencies;
    private readonly Dictionary<string, Entry> _links = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Random _jitter;
    private readonly Dictionary<IActorRef, Exception> _crashes = [];
    private IActorRef? _stopRequester;

    public LinkManager(IReadOnlyList<LinkSettings> links, Func<LinkSettings, LinkDependencies> dependencies, int? jitterSeed = null)
    {
        _dependencies = dependencies;
        _jitter = jitterSeed is { } seed ? new Random(seed) : Random.Shared;
        foreach (var link in links)
            _links[link.Name] = new Entry(link);

        Receive<LinkProtocol.Ended>(ended =>
        {
            if (!_links.TryGetValue(ended.Link, out var entry))
                return;
            Context.Unwatch(Sender);
            OnEnded(entry, ended);
        });
        Receive<Terminated>(t => _links.Values.Any(e => t.ActorRef.Equals(e.Actor)), t =>
        {
            // The attempt stopped without its Ended: it threw (the strategy stopped it) or stopped itself.
            var entry = _links.Values.First(e => t.ActorRef.Equals(e.Actor));
            var reason = _crashes.Remove(t.ActorRef, out var cause)
                ? $"the link's supervisor failed: {cause.Message}"
                : "the link's supervisor stopped without saying how the link ended";
            var ended = new LinkProtocol.Ended(entry.Settings.Name, LinkFailure.AttemptCrashed(reason), TimeSpan.Zero);
            _log.Error("{Link}: {Reason}", entry.Settings.Name, ended.Reason.ToString());
            Context.System.EventStream.Publish(ended);
            OnEnded(entry, ended);
        });
        // An attempt that already reported Ended: nothing more to count.
        Receive<Terminated>(_ => { });
        Receive<LinkProtocol.DataPathDead>(OnDataPathDead);
        Receive<PowerCycleFinished>(OnPowerCycleFinished);
        Receive<DialAgain>(d =>
        {
            if (_links.TryGetValue(d.Link, out var entry) && entry.Actor is null && entry.Wanted && !entry.PowerCycling && _stopRequester is null)
                Start(entry);
        });
        Receive<LinkManagement.StopAll>(s =>
        {
            _stopRequester = Sender;
            foreach (var entry in _links.Values)
            {
                entry.Wanted = false;
                Timers.Cancel(new DialAgain(entry.Settings.Name));
                entry.Actor?.Tell(new LinkProtocol.Stop(s.Reason));
            }
            ReplyWhenAllStopped();
        });
        Receive<LinkManagement.Up>(u => WithLink(u.Link, entry =>
        {
            entry.Wanted = true;
            entry.ConsecutiveFailures = 0;
            entry.Ladder.Reset();
            if (entry.Actor is null && !entry.PowerCycling)
                Start(entry);
        }));
        Receive<LinkManagement.Down>(d => WithLink(d.Link, entry =>
        {
            entry.Wanted = false;
            Timers.Cancel(new DialAgain(entry.Settings.Name));
            entry.Actor?.Tell(new LinkProtocol.Stop("Link taken down by request"));
        }));
        Receive<LinkManagement.Redial>(r => WithLink(r.Link, entry => RedialNow(entry, "Redial requested")));
        Receive<LinkManagement.ResetModem>(r => WithLink(r.Link, entry =>
        {
            _log.Info("{Link}: modem reset requested: hanging up, then {Command} before the next dial", r.Link, entry.Settings.Watchdog.ModemResetCommand);
            entry.ResetModemNext = true;
            RedialNow(entry, "Modem reset requested");
        }));
        Receive<LinkManagement.GetLinks>(_ => Sender.Tell(new LinkManagement.Links(_links.Values.Select(e =>
            new LinkManagement.LinkState(e.Settings.Name, e.Actor is not null, e.Attempts, e.ConsecutiveFailures, e.LastFailure, e.NextAttempt)).ToList())));
        Receive<LinkManagement.ToLink>(f => WithLink(f.Link, entry =>
        {
            if (entry.Actor is null)
                Sender.Tell(new LinkManagement.UnknownLink(f.Link));
            else
                entry.Actor.Forward(f.Message);
        }));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// An attempt that throws is stopped, never restarted: a restart would run it again from Dial with
    /// no Ended, no holdoff and no maxfail count. Its Terminated then counts it as a failed attempt.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(localOnlyDecider: e =>
    {
        _crashes[Sender] = e is ActorInitializationException { InnerException: { } inner } ? inner : e;
        return Directive.Stop;
    });

    public static Props Props(IReadOnlyList<LinkSettings> links, Func<LinkSettings, LinkDependencies> dependencies, int? jitterSeed = null) =>
        Akka.Actor.Props.Create(() => new LinkManager(links, dependencies, jitterSeed));

    protected override void PreStart()
    {
        foreach (var entry in _links.Values)
            Start(entry);
    }

    private void Start(Entry entry)
    {
        entry.Attempts++;
        entry.NextAttempt = null;
        entry.RedialNow = false;
        bool resetModem = entry.ResetModemNext;
        entry.ResetModemNext = false;
        entry.Actor = Context.Watch(Context.ActorOf(LinkSupervisor.Props(entry.Settings, _dependencies(entry.Settings), resetModem),
            $"{Uri.EscapeDataString(entry.Settings.Name)}-{entry.Attempts}"));
    }

    private void RedialNow(Entry entry, string reason)
    {
        entry.Wanted = true;
        entry.RedialNow = true;
        Timers.Cancel(new DialAgain(entry.Settings.Name));
        if (entry.Actor is null)
        {
            if (!entry.PowerCycling)
                Start(entry);
        }
        else
        {
            entry.Actor.Tell(new LinkProtocol.Stop(reason));
        }
    }

    /// <summary>The watchdog found the data path dead: the ladder says what the supervisor does now.</summary>
    private void OnDataPathDead(LinkProtocol.DataPathDead dead)
    {
        if (!_links.TryGetValue(dead.Link, out var entry) || !Sender.Equals(entry.Actor))
            return;
        var step = Applicable(entry, entry.Ladder.Next(dead.Failure.Code, Context.System.Scheduler.Now, dead.GoodService));
        Announce(entry, step, dead.Failure);
        // The link ends unless it renegotiates; OnEnded then carries the step out without counting the failure again.
        if (step != EscalationStep.Renegotiate)
            entry.PendingStep = step;
        Sender.Tell(new LinkProtocol.TakeStep(step));
    }

    private void OnEnded(Entry entry, LinkProtocol.Ended ended)
    {
        entry.Actor = null;
        entry.LastFailure = ended.Reason;
        bool failed = ended.Reason.Code != "user-request";
        // pppd: a connection that came up resets maxfail's count; one that never did adds to it.
        entry.ConsecutiveFailures = ended.ConnectTime > TimeSpan.Zero ? 0 : entry.ConsecutiveFailures + (failed ? 1 : 0);
        var step = entry.PendingStep;
        entry.PendingStep = null;
        if (failed && step is null)
        {
            step = entry.Ladder.Next(ended.Reason.Code, Context.System.Scheduler.Now, ended.ConnectTime);
            // The link is already gone: there is nothing left to renegotiate.
            if (step == EscalationStep.Renegotiate)
                step = EscalationStep.Redial;
            step = Applicable(entry, step.Value);
            if (entry.Wanted && entry.Settings.Persist && _stopRequester is null)
                Announce(entry, step.Value, ended.Reason);
        }
        if (_stopRequester is not null)
        {
            ReplyWhenAllStopped();
            return;
        }
        if (entry.RedialNow)
        {
            Start(entry);
            return;
        }
        var settings = entry.Settings;
        string? giveUp = !entry.Wanted ? "taken down by request"
            : !settings.Persist ? $"ended ({ended.Reason}) and persist is off"
            : settings.MaxFail > 0 && entry.ConsecutiveFailures >= settings.MaxFail
                ? $"{entry.ConsecutiveFailures} consecutive failed attempts (maxfail {settings.MaxFail}); last: {ended.Reason}"
                : null;
        if (giveUp is not null)
        {
            _log.Warning("{Link}: not dialing again: {Reason}", ended.Link, giveUp);
            Context.System.EventStream.Publish(new LinkManagement.GaveUp(ended.Link, giveUp));
            return;
        }
        switch (step)
        {
            case EscalationStep.ModemReset:
                entry.ResetModemNext = true;
                break;
            case EscalationStep.PowerCycle when settings.Watchdog.PowerCycleCommand is { } command:
                entry.PowerCycling = true;
                _log.Warning("{Link}: running the power-cycle hook {Command}", ended.Link, string.Join(' ', command));
                var name = ended.Link;
                PowerCycleHook.RunAsync(command, settings.Watchdog.PowerCycleTimeout)
                    .PipeTo(Self, success: r => new PowerCycleFinished(name, r),
                        failure: e => new PowerCycleFinished(name, new PowerCycleHook.Result(false, e.Message)));
                break;
            case EscalationStep.PowerCycle:
                _log.Warning("{Link}: the ladder reached power-cycle but no power-cycle-command is configured: resetting the modem instead", ended.Link);
                entry.ResetModemNext = true;
                break;
        }
        ScheduleRedial(entry);
    }

    private void OnPowerCycleFinished(PowerCycleFinished finished)
    {
        if (!_links.TryGetValue(finished.Link, out var entry))
            return;
        entry.PowerCycling = false;
        if (finished.Result.Succeeded)
            _log.Info("{Link}: power-cycle hook finished: {Detail}", finished.Link, finished.Result.Detail);
        else
            _log.Warning("{Link}: power-cycle hook failed: {Detail}", finished.Link, finished.Result.Detail);
        Context.System.EventStream.Publish(new LinkManagement.PowerCycled(finished.Link, finished.Result.Succeeded, finished.Result.Detail));
        // The redial was scheduled already; when its time has passed meanwhile, dial now.
        if (entry.Actor is null && entry.Wanted && _stopRequester is null
            && (entry.RedialNow || entry.NextAttempt is null || entry.NextAttempt <= Context.System.Scheduler.Now))
            Start(entry);
    }

    /// <summary>A link without a modem (no connect script: a socket, a null-modem cable) has no modem to reset.</summary>
    private static EscalationStep Applicable(Entry entry, EscalationStep step) =>
        step switch
        {
            EscalationStep.ModemReset when entry.Settings.Connect.IsEmpty => EscalationStep.Redial,
            EscalationStep.PowerCycle when entry.Settings.Connect.IsEmpty && entry.Settings.Watchdog.PowerCycleCommand is null => EscalationStep.Redial,
            _ => step,
        };

    private void Announce(Entry entry, EscalationStep step, LinkFailure failure)
    {
        var name = entry.Settings.Name;
        var words = step switch
        {
            EscalationStep.Renegotiate => "renegotiating LCP with conservative options",
            EscalationStep.Redial => "hanging up and dialing again",
            EscalationStep.ModemReset => $"resetting the modem ({entry.Settings.Watchdog.ModemResetCommand}) before the next dial",
            _ => "power-cycling the modem before the next dial",
        };
        if (entry.Ladder.HeldBack is { } heldBack)
            _log.Warning("{Link}: holding back: the ladder would {Step} now, but the modem was reset {Max} time(s) within the last hour (watchdog.max-resets-per-hour); dialing again instead",
                name, heldBack == EscalationStep.PowerCycle ? "power-cycle the modem" : "reset the modem", entry.Settings.Watchdog.MaxResetsPerHour);
        _log.Warning("{Link}: {Code} seen {Repeats} time(s) in a row: {Step}", name, failure.Code, entry.Ladder.Repeats, words);
        Context.System.EventStream.Publish(new LinkManagement.EscalationStepTaken(name, step, failure, entry.Ladder.Repeats));
    }

    private void ScheduleRedial(Entry entry)
    {
        var name = entry.Settings.Name;
        var delay = Backoff(entry.Settings, entry.ConsecutiveFailures);
        // A failure that repeats (not carrier loss) waits longer each step: the ladder never thrashes a modem.
        if (entry.LastFailure is { } last && last.Code is not (EscalationLadder.CarrierLossCode or "user-request") && entry.Ladder.Pause > delay)
            delay = entry.Ladder.Pause;
        entry.NextAttempt = Context.System.Scheduler.Now + delay;
        _log.Info("{Link}: dialing again in {Delay} (attempt {Attempt})", name, delay, entry.Attempts + 1);
        Context.System.EventStream.Publish(new LinkManagement.RedialScheduled(name, delay, entry.Attempts + 1));
        Timers.StartSingleTimer(new DialAgain(name), new DialAgain(name), delay);
    }

    /// <summary>pppd's holdoff, doubled for each consecutive failure up to a ceiling, plus up to 20% jitter
    /// so a fleet that lost the same cell does not redial in lockstep.</summary>
    private TimeSpan Backoff(LinkSettings settings, int failures)
    {
        var baseDelay = settings.Holdoff;
        if (failures > 1)
            baseDelay = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, baseDelay.Ticks * (1L << Math.Min(failures - 1, 16))));
        var jitter = TimeSpan.FromTicks((long)(baseDelay.Ticks * 0.2 * _jitter.NextDouble()));
        return baseDelay + jitter;
    }

    private void ReplyWhenAllStopped()
    {
        if (_stopRequester is not null && _links.Values.All(e => e.Actor is null))
            _stopRequester.Tell(LinkManagement.AllStopped.Instance);
    }

    private void WithLink(string name, Action<Entry> action)
    {
        if (_links.TryGetValue(name, out var entry))
            action(entry);
        else
            Sender.Tell(new LinkManagement.UnknownLink(name));
    }

    private sealed record DialAgain(string Link);

    private sealed record PowerCycleFinished(string Link, PowerCycleHook.Result Result);

    private sealed class Entry(LinkSettings settings)
    {
        public LinkSettings Settings { get; } = settings;
        public EscalationLadder Ladder { get; } = new(settings.Watchdog.Ladder, settings.Watchdog.GoodServiceReset, settings.Watchdog.MaxResetsPerHour);
        public IActorRef? Actor { get; set; }
        public bool Wanted { get; set; } = true;
        public bool RedialNow { get; set; }
        public bool ResetModemNext { get; set; }
        public bool PowerCycling { get; set; }
        public EscalationStep? PendingStep { get; set; }
        public int Attempts { get; set; }
        public int ConsecutiveFailures { get; set; }
        public LinkFailure? LastFailure { get; set; }
        public DateTimeOffset? NextAttempt { get; set; }
    }
}
