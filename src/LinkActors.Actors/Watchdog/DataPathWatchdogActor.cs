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

    public DataPathWatchdogActor(IActorRef network, TimeSpan window, IActorRef supervisor)
    {
        _network = network;
        _supervisor = supervisor;
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
        });
        Receive<NetworkProtocol.Traffic>(traffic =>
        {
            _answered = true;
            _last = traffic;
            _monitor.ObserveCounters(Now, traffic.PacketsSent, traffic.PacketsReceived);
        });
        Receive<WatchdogProtocol.GetCounters>(_ => Sender.Tell(new WatchdogProtocol.Counters(_last)));
        Receive<WatchdogProtocol.PingAnswered>(_ => _monitor.ObservePing(Now, answered: true));
        Receive<WatchdogProtocol.PingUnanswered>(_ =>
        {
            _monitor.ObservePing(Now, answered: false);
            Judge();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private static DateTimeOffset Now => Context.System.Scheduler.Now;

    public static Props Props(IActorRef network, TimeSpan window, IActorRef supervisor) =>
        Akka.Actor.Props.Create(() => new DataPathWatchdogActor(network, window, supervisor));

    protected override void PreStart()
    {
        _asked++;
        _network.Tell(NetworkProtocol.GetTraffic.Instance);
        Timers.StartPeriodicTimer(Sample.Instance, Sample.Instance, _tick);
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
