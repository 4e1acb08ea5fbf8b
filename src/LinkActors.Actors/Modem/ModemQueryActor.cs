using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Chat;
using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Modem;

/// <summary>
/// Asks the modem a list of questions, one short chat each, so that a command the modem does not know (ERROR)
/// costs nothing but its own line: after a dead data path, before the link dials again (issue 19), why it died
/// (<see cref="WhyCommands"/>: registration, packet attach, its data contexts and their addresses); and for the
/// modem monitor on the CMUX AT channel, each poll. On a plain line the modem may still be in data mode: when it does not answer AT,
/// the escape sequence and ATH come first. On a CMUX AT channel it answers at once. Ends with one
/// <see cref="ModemQueryProtocol.Finished"/> to <c>replyTo</c>, then stops; every step is bounded by its chat timeout.
/// </summary>
public sealed class ModemQueryActor : ReceiveActor
{
    /// <summary>What is asked after a dead data path.</summary>
    public static readonly IReadOnlyList<string> WhyCommands =
        ["AT+CEREG?", "AT+CGREG?", "AT+CGATT?", "AT+CGACT?", "AT+CGPADDR", "AT+CGCONTRDP"];

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan EscapeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(3);

    private readonly string _link;
    private readonly IActorRef _line;
    private readonly IActorRef _replyTo;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IReadOnlyList<string> _commands;
    private readonly List<string> _answered = [];
    private ModemInfo _answers = new();
    private bool _modemAnswered;
    private readonly bool _mayBeInDataMode;
    private int _next;
    private int _chats;

    /// <param name="line">The port (plain line) or the CMUX AT channel; this actor's chats become its reader.</param>
    /// <param name="mayBeInDataMode">A plain line after PPP: escape to command mode when AT goes unanswered.</param>
    /// <param name="commands">The commands to ask, in order; each its own chat.</param>
    public ModemQueryActor(string link, IActorRef line, bool mayBeInDataMode, IReadOnlyList<string> commands, IActorRef replyTo)
    {
        _link = link;
        _commands = commands;
        _line = line;
        _replyTo = replyTo;
        _mayBeInDataMode = mayBeInDataMode;
        if (mayBeInDataMode)
            Probing();
        else
            Asking();
    }

    public static Props Props(string link, IActorRef line, bool mayBeInDataMode, IReadOnlyList<string> commands, IActorRef replyTo) =>
        Akka.Actor.Props.Create(() => new ModemQueryActor(link, line, mayBeInDataMode, commands, replyTo));

    protected override void PreStart()
    {
        if (_mayBeInDataMode)
            Chat("probe", ["", "AT", "OK"], ProbeTimeout);
        else
            AskNext();
    }

    /// <summary>Does the modem answer AT? If not, it is still in data mode: +++ with its guard times, then ATH.</summary>
    private void Probing()
    {
        Receive<ChatProtocol.ModemReported>(_ => { });
        Receive<ChatProtocol.ChatCompleted>(c => c.Script == "probe", c =>
        {
            if (c.Outcome.Kind == ChatOutcomeKind.Success)
            {
                Become(Asking);
                AskNext();
                return;
            }
            _log.Info("{Link}: asking the modem why: it does not answer AT; it may still be in data mode: sending +++ and ATH", _link);
            Chat("escape", ["", "\\d+++\\d\\c", "OK", "ATH", "OK"], EscapeTimeout);
        });
        Receive<ChatProtocol.ChatCompleted>(c => c.Script == "escape", c =>
        {
            if (c.Outcome.Kind != ChatOutcomeKind.Success)
            {
                _answered.Add($"the modem answered neither AT nor the escape sequence ({c.Outcome})");
                Finish();
                return;
            }
            Become(Asking);
            AskNext();
        });
    }

    private void Asking()
    {
        Receive<ChatProtocol.ModemReported>(_ => { });
        Receive<ChatProtocol.ChatCompleted>(c => c.Script == "ask", c =>
        {
            string command = _commands[_next - 1];
            if (c.Modem is { } modem)
                _answers = _answers.Merge(modem);
            switch (c.Outcome.Kind)
            {
                case ChatOutcomeKind.Success:
                    _modemAnswered = true;
                    _answered.Add($"{command}: answered");
                    break;
                case ChatOutcomeKind.Abort:
                    // ERROR: this modem does not know the command (or has nothing to say); the next one may do.
                    _modemAnswered = true;
                    _answered.Add($"{command}: ERROR");
                    break;
                default:
                    _answered.Add($"{command}: no answer ({c.Outcome})");
                    // A modem silent to one command is silent to the rest: do not wait out every timeout.
                    Finish();
                    return;
            }
            AskNext();
        });
    }

    private void AskNext()
    {
        if (_next >= _commands.Count)
        {
            Finish();
            return;
        }
        Chat("ask", ["ABORT", "ERROR", "", _commands[_next++], "OK"], CommandTimeout);
    }

    private void Chat(string script, IReadOnlyList<string> words, TimeSpan timeout)
    {
        var chat = ChatScript.FromArguments(words, new ChatOptions { Timeout = timeout });
        Context.ActorOf(ChatActor.Props(_line, chat, script, Self), $"{script}-{++_chats}");
    }

    private void Finish()
    {
        _replyTo.Tell(new ModemQueryProtocol.Finished(_answers, _answered, _modemAnswered));
        Context.Stop(Self);
        Become(() => ReceiveAny(_ => { }));
    }
}
