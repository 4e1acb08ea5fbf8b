namespace LinkActors.Ppp.Chat;

/// <summary>What the interpreter asks its owner (an actor, or a test) to carry out, in order.</summary>
public abstract record ChatAction
{
    private ChatAction()
    {
    }

    /// <summary>
    /// Write these bytes to the modem, then call <see cref="ChatInterpreter.WriteCompleted"/>.
    /// <paramref name="Display"/> is chat's log form (^M for CR) with \q parts as ??????; only it may be logged.
    /// </summary>
    public sealed record Send(byte[] Bytes, string Display) : ChatAction
    {
        public override string ToString() => $"Send {{ Length = {Bytes.Length}, Display = {Display} }}";
    }

    /// <summary>Send a break (tcsendbreak), then call <see cref="ChatInterpreter.WriteCompleted"/>.</summary>
    public sealed record SendBreak : ChatAction;

    /// <summary>
    /// The script pauses (\d, \p, character pacing) until <paramref name="Until"/>; call
    /// <see cref="ChatInterpreter.Tick"/> then. Said for the log: <see cref="ChatOutput.NextWakeUp"/> already has it.
    /// </summary>
    public sealed record Wait(TimeSpan Duration, TimeSpan Until) : ChatAction;

    /// <summary>HANGUP ON (true: a modem hangup ends the script as an error) or OFF (ignore it, as for call-back).</summary>
    public sealed record SetHangup(bool HangupIsError) : ChatAction;

    /// <summary>SAY: show this text to the user as it is (it carries its own newlines).</summary>
    public sealed record Say(string Text) : ChatAction;

    /// <summary>REPORT: a report string and the rest of its line, e.g. "CONNECT 115200".</summary>
    public sealed record Report(string Line) : ChatAction;

    /// <summary>ECHO ON: the modem's output, CR left out, newline kept, controls as ^X, \q secrets hidden.</summary>
    public sealed record Echo(string Text) : ChatAction;

    /// <summary>The script is over; nothing more will come. Unread input is in <see cref="ChatInterpreter.TakeUnreadInput"/>.</summary>
    public sealed record Finished(ChatOutcome Outcome) : ChatAction;
}

/// <summary>
/// The answer to every input: the actions in order, and when to call <see cref="ChatInterpreter.Tick"/>
/// next (null: only input or a write completion can move the script on, or it is finished).
/// </summary>
public readonly record struct ChatOutput(IReadOnlyList<ChatAction> Actions, TimeSpan? NextWakeUp)
{
    public static ChatOutput None { get; } = new([], null);
}
