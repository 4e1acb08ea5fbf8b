using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Configuration;
using LinkActors.Ppp.Chat;
using Port = LinkActors.Actors.Serial.SerialPort;

namespace LinkActors.Actors.Chat;

/// <summary>
/// Runs one chat(8) script (connect, disconnect, a modem query) while it is the port's reader: a
/// thin shell around <see cref="ChatInterpreter"/>, which decides everything. The actor only carries
/// out the interpreter's actions: writes go to the port one at a time, paced by the port's Ack;
/// pauses and timeouts are one timer on the actor system's scheduler. It ends with one
/// <see cref="ChatProtocol.ChatCompleted"/> to whoever it reports to, and stops.
/// </summary>
public sealed class ChatActor : ReceiveActor, IWithTimers
{
    private readonly IActorRef _port;
    private readonly ScriptSource _source;
    private readonly string _name;
    private readonly IActorRef? _reportTo;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private ChatInterpreter? _interpreter;
    private DateTimeOffset _origin;
    private bool _writeInFlight;
    private bool _verbose;
    private int _transcriptLogged;
    private bool _completed;

    /// <summary>Runs <paramref name="script"/>; <paramref name="reportTo"/> null means the parent.</summary>
    public ChatActor(IActorRef port, ChatScript script, string name, IActorRef? reportTo)
        : this(port, new ScriptSource(script ?? throw new ArgumentNullException(nameof(script)), null, null), name, reportTo)
    {
    }

    /// <summary>Builds the script from <paramref name="settings"/> when it starts; see <see cref="Props(IActorRef, ChatSettings, string, IActorRef?, IReadOnlyDictionary{string, string}?)"/>.</summary>
    public ChatActor(IActorRef port, ChatSettings settings, string name, IActorRef? reportTo, IReadOnlyDictionary<string, string>? environment)
        : this(port, new ScriptSource(null, settings ?? throw new ArgumentNullException(nameof(settings)), environment), name, reportTo)
    {
    }

    private ChatActor(IActorRef port, ScriptSource source, string name, IActorRef? reportTo)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _port = port;
        _source = source;
        _name = name;
        _reportTo = reportTo;
        Running();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private IActorRef ReportTo => _reportTo ?? Context.Parent;

    // Time since the script started, from the scheduler, so that a test scheduler drives it.
    private TimeSpan Now => Context.System.Scheduler.Now - _origin;

    /// <summary>Runs <paramref name="script"/>; <paramref name="reportTo"/> defaults to the parent.</summary>
    public static Props Props(IActorRef port, ChatScript script, string name, IActorRef? reportTo = null) =>
        Akka.Actor.Props.Create(() => new ChatActor(port, script, name, reportTo));

    /// <summary>
    /// Builds the script from settings when the actor starts (reading the chat file there). A script
    /// that cannot be read or parsed ends as <see cref="ChatOutcomeKind.InvalidScript"/>, never as a
    /// failure of the actor. <paramref name="environment"/> is for -E; null reads the process's.
    /// </summary>
    public static Props Props(
        IActorRef port,
        ChatSettings settings,
        string name,
        IActorRef? reportTo = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        Akka.Actor.Props.Create(() => new ChatActor(port, settings, name, reportTo, environment));

    protected override void PreStart()
    {
        _origin = Context.System.Scheduler.Now;
        ChatScript script;
        try
        {
            script = _source.Script ?? ChatScriptLoader.Load(_source.Settings!, _source.Environment);
        }
        catch (ChatParseException e)
        {
            _log.Error("{Script}: invalid chat script: {Reason}", _name, e.Message);
            Complete(ChatOutcome.InvalidScript(e), modem: null, unread: [], transcript: string.Empty);
            return;
        }

        _verbose = script.Options.Verbose;
        _interpreter = new ChatInterpreter(script);
        Context.Watch(_port);
        _port.Tell(new Port.SetReader(Self));
        Apply(_interpreter.Start(Now));
    }

    private void Running()
    {
        Receive<Port.Received>(received => Apply(Interpreter.Received(received.Data.Span, Now)));
        Receive<WriteAcked>(_ =>
        {
            // A late Ack after the script moved on (write timed out) has nothing left to complete.
            if (_writeInFlight)
            {
                _writeInFlight = false;
                Apply(Interpreter.WriteCompleted(Now));
            }
        });
        Receive<WakeUp>(_ => Apply(Interpreter.Tick(Now)));

        // The port tells its owner about the line; these come here when the chat actor is the owner,
        // or when the owner passes them on. Otherwise the death watch below notices the port's end.
        Receive<Port.CarrierChanged>(changed =>
        {
            if (!changed.Present)
            {
                Apply(Interpreter.Hangup(Now));
            }
        });
        Receive<Port.DeviceVanished>(vanished => Apply(Interpreter.Fail($"the device vanished: {vanished.Reason}", Now)));
        Receive<Port.Closed>(_ => Apply(Interpreter.Fail("the port was closed", Now)));
        Receive<Port.CommandFailed>(failed => Apply(Interpreter.Fail($"the port refused {failed.Command}: {failed.Cause.Message}", Now)));
        Receive<Terminated>(t => t.ActorRef.Equals(_port), _ => Apply(Interpreter.Fail("the port actor stopped", Now)));
        Receive<ChatProtocol.Cancel>(cancel =>
        {
            _log.Info("{Script}: cancelled: {Reason}", _name, cancel.Reason);
            LogTranscript();
            Finish(ChatOutcome.Error(cancel.Reason));
        });
    }

    private ChatInterpreter Interpreter => _interpreter ?? throw new InvalidOperationException("the script has not started");

    private void Apply(ChatOutput output)
    {
        if (_completed)
        {
            return;
        }

        // The timer is set before any message leaves, so whoever sees a write can rely on the timer.
        if (output.NextWakeUp is { } at)
        {
            var delay = at - Now;
            Timers.StartSingleTimer(WakeUp.Instance, WakeUp.Instance, delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        }
        else
        {
            Timers.Cancel(WakeUp.Instance);
        }

        foreach (var action in output.Actions)
        {
            switch (action)
            {
                case ChatAction.Send send:
                    _writeInFlight = true;
                    _port.Tell(new Port.Write(send.Bytes, WriteAcked.Instance));
                    break;
                case ChatAction.SendBreak:
                    // The port has no break command: the script goes on as if the break had been sent,
                    // as a following "+++ATH" still leaves data mode on most modems.
                    _log.Warning("{Script}: the port cannot send a break (\\K); going on without it", _name);
                    _writeInFlight = true;
                    Self.Tell(WriteAcked.Instance);
                    break;
                case ChatAction.Say say:
                    _log.Info("{Script}: {Say}", _name, say.Text.Trim('\r', '\n'));
                    break;
                case ChatAction.Report report:
                    _log.Info("{Script}: report: {Line}", _name, report.Line);
                    ReportTo.Tell(new ChatProtocol.ModemReported(_name, report.Line));
                    break;
                case ChatAction.Echo echo:
                    _log.Info("{Script}: {Echo}", _name, echo.Text.TrimEnd('\n'));
                    break;
                case ChatAction.Finished finished:
                    LogTranscript();
                    Finish(finished.Outcome);
                    return;

                // Wait is already in NextWakeUp; SetHangup is kept by the interpreter itself.
                default:
                    break;
            }
        }

        LogTranscript();
    }

    /// <summary>The transcript as it grows: chat -v logs each line as it happens.</summary>
    private void LogTranscript()
    {
        if (_interpreter is null)
        {
            return;
        }

        var transcript = _interpreter.Transcript;
        var enabled = _verbose ? _log.IsInfoEnabled : _log.IsDebugEnabled;
        for (; _transcriptLogged < transcript.Count; _transcriptLogged++)
        {
            if (!enabled)
            {
                continue;
            }

            var text = transcript[_transcriptLogged].Text;
            if (_verbose)
            {
                _log.Info("{Script}: {Chat}", _name, text);
            }
            else
            {
                _log.Debug("{Script}: {Chat}", _name, text);
            }
        }
    }

    private void Finish(ChatOutcome outcome)
    {
        var interpreter = Interpreter;
        var modem = ModemInfo.Parse(interpreter.Exchanges);
        Complete(outcome, modem == new ModemInfo() ? null : modem, interpreter.TakeUnreadInput(), interpreter.TranscriptText);
    }

    private void Complete(ChatOutcome outcome, ModemInfo? modem, byte[] unread, string transcript)
    {
        _completed = true;
        Timers.CancelAll();
        if (outcome.IsSuccess)
        {
            _log.Info("{Script}: {Outcome}", _name, outcome.ToString());
        }
        else
        {
            _log.Warning("{Script}: {Outcome}", _name, outcome.ToString());
        }

        ReportTo.Tell(new ChatProtocol.ChatCompleted(outcome, modem, unread, transcript) { Script = _name });
        Context.Stop(Self);
    }

    /// <summary>Either a script ready to run, or settings to build one from when the actor starts.</summary>
    private sealed record ScriptSource(ChatScript? Script, ChatSettings? Settings, IReadOnlyDictionary<string, string>? Environment);

    /// <summary>The Ack of this actor's port writes.</summary>
    private sealed class WriteAcked
    {
        public static readonly WriteAcked Instance = new();

        private WriteAcked()
        {
        }

        public override string ToString() => "ChatWriteAcked";
    }

    /// <summary>The one timer: the interpreter's next wake-up; also its key.</summary>
    private sealed class WakeUp
    {
        public static readonly WakeUp Instance = new();

        private WakeUp()
        {
        }

        public override string ToString() => "ChatWakeUp";
    }
}
