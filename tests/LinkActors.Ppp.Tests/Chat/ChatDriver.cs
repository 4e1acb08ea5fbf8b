using System.Text;
using LinkActors.Ppp.Chat;

namespace LinkActors.Ppp.Tests.Chat;

/// <summary>
/// Plays the actor and the serial port around a <see cref="ChatInterpreter"/>: acknowledges every
/// write, hands each complete command line (up to CR) to a fake modem whose answer goes on the
/// wire, delivers the wire in chunks of the chosen sizes, and ticks the clock only to the
/// interpreter's own wake-up times. No sleeping, no threads.
/// </summary>
internal sealed class ChatDriver
{
    private readonly List<byte> _line = [];
    private readonly Queue<byte> _wire = new();
    private readonly Func<int> _chunkSize;
    private bool _writePending;

    public ChatDriver(ChatScript script, Func<string, string?>? modem = null, Func<int>? chunkSize = null)
    {
        Interpreter = new ChatInterpreter(script);
        Modem = modem;
        _chunkSize = chunkSize ?? (() => int.MaxValue);
    }

    public ChatInterpreter Interpreter { get; }

    /// <summary>Answers a command line (with its CR); null for no answer.</summary>
    public Func<string, string?>? Modem { get; set; }

    public TimeSpan Now { get; set; }

    /// <summary>Time that passes with each chunk delivered.</summary>
    public TimeSpan TimePerChunk { get; set; } = TimeSpan.Zero;

    public List<ChatAction> Actions { get; } = [];

    /// <summary>Every command line written, CR included, in order.</summary>
    public List<string> Commands { get; } = [];

    public List<byte> Written { get; } = [];

    public IEnumerable<T> ActionsOf<T>() where T : ChatAction => Actions.OfType<T>();

    public static ChatDriver ForFile(string text, ChatOptions? options = null, Func<string, string?>? modem = null, Func<int>? chunkSize = null) =>
        new(ChatScript.Parse(text, options), modem, chunkSize);

    public static ChatDriver ForWords(params string[] words) => new(ChatScript.FromArguments(words));

    public bool Started { get; private set; }

    public void Start()
    {
        Started = true;
        Handle(Interpreter.Start(Now));
    }

    /// <summary>Puts bytes on the wire from the modem (delivered by <see cref="Run"/>).</summary>
    public void Say(string text) => Say(Encoding.Latin1.GetBytes(text));

    public void Say(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            _wire.Enqueue(b);
        }
    }

    /// <summary>Delivers all of the wire now, in one chunk, without acknowledging writes or ticking.</summary>
    public void Deliver(string text) => Handle(Interpreter.Received(Encoding.Latin1.GetBytes(text), Now));

    public void Tick(TimeSpan now)
    {
        Now = now;
        Handle(Interpreter.Tick(now));
    }

    public void Ack()
    {
        _writePending = false;
        Handle(Interpreter.WriteCompleted(Now));
    }

    /// <summary>Runs until the script ends or nothing can move it on; ticks to each wake-up if <paramref name="tick"/>.</summary>
    public ChatOutcome? Run(bool tick = true, int maxRounds = 1_000_000)
    {
        if (!Started)
        {
            Start();
        }

        for (var round = 0; round < maxRounds && !Interpreter.IsFinished; round++)
        {
            if (_writePending)
            {
                _writePending = false;
                Handle(Interpreter.WriteCompleted(Now));
            }
            else if (_wire.Count > 0)
            {
                var size = Math.Clamp(_chunkSize(), 1, _wire.Count);
                var chunk = new byte[size];
                for (var i = 0; i < size; i++)
                {
                    chunk[i] = _wire.Dequeue();
                }

                Now += TimePerChunk;
                Handle(Interpreter.Received(chunk, Now));
            }
            else if (tick && Interpreter.NextWakeUp is { } wakeUp)
            {
                Now = wakeUp > Now ? wakeUp : Now;
                Handle(Interpreter.Tick(Now));
            }
            else
            {
                break;
            }
        }

        return Interpreter.Outcome;
    }

    private void Handle(ChatOutput output)
    {
        Assert.Equal(Interpreter.NextWakeUp, output.NextWakeUp);
        foreach (var action in output.Actions)
        {
            Actions.Add(action);
            switch (action)
            {
                case ChatAction.Send send:
                    Assert.False(_writePending, "a second write was asked for before the first completed");
                    _writePending = true;
                    Written.AddRange(send.Bytes);
                    foreach (var b in send.Bytes)
                    {
                        _line.Add(b);
                        if (b == '\r')
                        {
                            var command = Encoding.Latin1.GetString([.. _line]);
                            _line.Clear();
                            Commands.Add(command);
                            if (Modem?.Invoke(command) is { } answer)
                            {
                                Say(answer);
                            }
                        }
                    }

                    break;
                case ChatAction.SendBreak:
                    Assert.False(_writePending, "a break was asked for before the last write completed");
                    _writePending = true;
                    break;
                case ChatAction.Finished:
                    Assert.Same(action, output.Actions[^1]);
                    break;
            }
        }
    }
}
