using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Modem;
using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Cmux;

/// <summary>
/// Asks the modem on its AT channel, while PPP runs on the data channel, every poll interval (and once at
/// the start): signal (AT+CSQ, AT+CESQ), registration (AT+CEREG?, AT+CGREG?) and its data contexts (AT+CGACT?,
/// AT+CGPADDR), each command its own short chat (<see cref="ModemQueryActor"/>) so one the modem refuses costs
/// only its line. The answers go to <c>reportTo</c> (the link supervisor) as facts of the link; a modem no
/// longer registered is reported at once as detached, which ends the link's data path before any window could.
/// </summary>
public sealed class ModemMonitorActor : ReceiveActor, IWithTimers
{
    public static readonly IReadOnlyList<string> PollCommands =
        ["AT+CSQ", "AT+CESQ", "AT+CEREG?", "AT+CGREG?", "AT+CGACT?", "AT+CGPADDR"];

    private readonly string _link;
    private readonly IActorRef _atChannel;
    private readonly TimeSpan _interval;
    private readonly IActorRef _reportTo;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _query;
    private int _polls;
    private bool _detachedReported;
    private bool _silenceReported;

    public ModemMonitorActor(string link, IActorRef atChannel, TimeSpan interval, IActorRef reportTo)
    {
        _link = link;
        _atChannel = atChannel;
        _interval = interval;
        _reportTo = reportTo;
        Receive<Poll>(_ => StartPoll());
        Receive<ModemQueryProtocol.Finished>(f => Sender.Equals(_query), OnAnswer);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string link, IActorRef atChannel, TimeSpan interval, IActorRef reportTo) =>
        Akka.Actor.Props.Create(() => new ModemMonitorActor(link, atChannel, interval, reportTo));

    protected override void PreStart()
    {
        _log.Info("{Link}: modem monitor on the AT channel: polling every {Interval}", _link, _interval);
        StartPoll();
        Timers.StartPeriodicTimer(Poll.Instance, Poll.Instance, _interval);
    }

    private void StartPoll()
    {
        if (_query is not null)
            return;   // the last poll is still waiting for its answers
        _query = Context.ActorOf(ModemQueryActor.Props(_link, _atChannel, mayBeInDataMode: false, PollCommands, Self), $"poll-{++_polls}");
    }

    private void OnAnswer(ModemQueryProtocol.Finished finished)
    {
        _query = null;
        if (finished.ModemAnswered)
        {
            var modem = finished.Answers;
            _reportTo.Tell(new CmuxProtocol.ModemPolled(_link, modem));
            if (modem.Registration is { IsRegistered: false } registration && !_detachedReported)
            {
                _detachedReported = true;
                _reportTo.Tell(new CmuxProtocol.DetachedWhilePppUp(_link,
                    $"the modem reports \"{ModemInfo.Describe(registration.Status)}\" while PPP is up"));
            }
        }
        else if (!_silenceReported)
        {
            _silenceReported = true;
            _log.Warning("{Link}: the modem did not answer the monitor's query on the AT channel: {Answered}", _link, string.Join("; ", finished.Answered));
        }
    }

    private sealed record Poll
    {
        public static Poll Instance { get; } = new();
    }
}
