using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Network;

namespace LinkActors.Actors.Watchdog;

/// <summary>
/// Watches one Network phase: reads the network side's packet counters (<see cref="NetworkProtocol.GetTraffic"/>,
/// which a TUN interface and the in-process endpoint both answer) a few times per window and
/// takes the ping probe's results, and tells the supervisor once when the data path is dead
/// (<see cref="DataPathMonitor"/> decides). A new watch is a new actor.
/// </summary>
public sealed class DataPathWatchdogActor : ReceiveActor, IWithTimers
{
    private readonly IActorRef _network;
    private readonly IActorRef _supervisor;
    private readonly TimeSpan _tick;
    private readonly DataPathMonitor _monitor;
    private const int UnansweredAsks = 3;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _reported;
    private bool _answered;
    private int _asked;
    private NetworkProtocol.Traffic? _last;
    private readonly string _link;
    private readonly ProbePlan? _plan;
    private readonly System.Net.IPAddress? _local;
    private IActorRef? _probe;
    private bool _probing;
    private long _probeBytes;

    /// <param name="plan">The idle-link probe within the data budget; null: passive only.</param>
    /// <param name="local">The link's own address, the probe's source.</param>
    public DataPathWatchdogActor(IActorRef network, TimeSpan window, IActorRef supervisor, string link = "", ProbePlan? plan = null, System.Net.IPAddress? local = null)
    {
        _network = network;
        _supervisor = supervisor;
        _link = link;
        _plan = local is null ? null : plan;
        _local = local;
        _tick = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, Math.Max(window.Ticks / 5, TimeSpan.FromMilliseconds(50).Ticks)));
        _monitor = new DataPathMonitor(window, Context.System.Scheduler.Now);

        Receive<Sample>(_ =>
        {
            if (_answered || _asked < UnansweredAsks)
            {
                _asked++;
                _network.Tell(NetworkProtocol.GetTraffic.Instance);
            }
            else if (_asked == UnansweredAsks)
            {
                _asked++;
                _log.Warning("the network side gives no packet counters: the data path is judged by the ping probe alone");
            }
            Judge();
            ProbeWhenIdle();
        });
        Receive<NetworkProtocol.Traffic>(traffic =>
        {
            _answered = true;
            _last = traffic;
            _monitor.ObserveCounters(Now, traffic.PacketsSent, traffic.PacketsReceived);
        });
        Receive<WatchdogProtocol.GetCounters>(_ => Sender.Tell(new WatchdogProtocol.Counters(_last, _probeBytes, _plan)));
        Receive<WatchdogProtocol.ProbeSent>(p => Spent(p.Bytes));
        Receive<WatchdogProtocol.ProbeAnswered>(p =>
        {
            _probing = false;
            Spent(p.Bytes);
            _log.Debug("{Link}: probe: {Probe} answered: the data path works", _link, p.Probe);
            _monitor.ObserveProbe(Now, answered: true, p.Probe);
        });
        Receive<WatchdogProtocol.ProbeUnanswered>(p =>
        {
            _probing = false;
            _log.Warning("{Link}: probe: {Probe} unanswered ({Attempts} attempts) after {Idle} without receiving anything", _link, p.Probe, p.Attempts, _monitor.Idle(Now));
            _monitor.ObserveProbe(Now, answered: false, p.Probe);
            Judge();
        });
        Receive<WatchdogProtocol.PingAnswered>(_ => _monitor.ObservePing(Now, answered: true));
        Receive<WatchdogProtocol.PingUnanswered>(_ =>
        {
            _monitor.ObservePing(Now, answered: false);
            Judge();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private static DateTimeOffset Now => Context.System.Scheduler.Now;

    public static Props Props(IActorRef network, TimeSpan window, IActorRef supervisor, string link = "", ProbePlan? plan = null, System.Net.IPAddress? local = null) =>
        Akka.Actor.Props.Create(() => new DataPathWatchdogActor(network, window, supervisor, link, plan, local));

    protected override void PreStart()
    {
        if (_plan is not null)
        {
            _probe = Context.ActorOf(IdleProbeActor.Props(_link, _network, _local!, _plan, Self), "probe");
            _log.Info("{Link}: idle-link probe: {Plan}", _link, _plan);
        }
        _asked++;
        _network.Tell(NetworkProtocol.GetTraffic.Instance);
        Timers.StartPeriodicTimer(Sample.Instance, Sample.Instance, _tick);
    }

    /// <summary>Nothing received for the probe's interval (and so for at least a window): ask the path, within the budget.</summary>
    private void ProbeWhenIdle()
    {
        if (_probe is null || _probing || _reported || !_monitor.ProbeDue(Now, _plan!.Interval))
            return;
        _probing = true;
        _probe.Tell(WatchdogProtocol.Probe.Instance);
    }

    private void Spent(int bytes)
    {
        _probeBytes += bytes;
        Context.System.EventStream.Publish(new WatchdogProtocol.ProbeBytesSpent(_link, bytes));
    }

    private void Judge()
    {
        if (_reported || _monitor.Check(Now) is not { } verdict)
            return;
        _reported = true;
        Timers.Cancel(Sample.Instance);
        _supervisor.Tell(new WatchdogProtocol.DataPathDead(verdict));
    }

    private sealed record Sample
    {
        public static Sample Instance { get; } = new();
    }
}
