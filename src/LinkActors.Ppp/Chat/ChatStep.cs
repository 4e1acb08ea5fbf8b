namespace LinkActors.Ppp.Chat;

/// <summary>
/// One alternative of an expect string: <c>ogin:-BREAK-ogin:</c> is ("ogin:", "BREAK"), ("ogin:", null).
/// When <see cref="Expect"/> times out, <see cref="SubSend"/> is sent and the next alternative
/// expected; with no sub-send the timeout ends the script.
/// </summary>
public sealed record ChatExpectAlternative(string Expect, string? SubSend);

/// <summary>
/// One step of a parsed script. Strings are kept as written (escapes included): they are
/// given meaning when the step runs. <see cref="Line"/> is the line (file) or word number (arguments).
/// </summary>
public abstract record ChatStep(int Line)
{
    /// <summary>Wait for a string (or a chain of sub-expects); the empty string succeeds at once.</summary>
    public sealed record Expect(int Line, string Text, IReadOnlyList<ChatExpectAlternative> Alternatives) : ChatStep(Line)
    {
        public override string ToString() => $"Expect {{ Line = {Line}, Text = {Text}, Alternatives = {Alternatives.Count} }}";
    }

    /// <summary>Send a string (with a CR unless it ends in \c); EOT and BREAK are kept as those words.</summary>
    public sealed record Send(int Line, string Text) : ChatStep(Line);

    /// <summary>ABORT: receiving this string ends the script with exit code 4 + its index.</summary>
    public sealed record Abort(int Line, string Text) : ChatStep(Line);

    /// <summary>CLR_ABORT: forget an abort string; the later ones move up an index, as in chat.</summary>
    public sealed record ClearAbort(int Line, string Text) : ChatStep(Line);

    /// <summary>REPORT: when received, report it and the rest of its line (once).</summary>
    public sealed record Report(int Line, string Text) : ChatStep(Line);

    /// <summary>CLR_REPORT: forget a report string.</summary>
    public sealed record ClearReport(int Line, string Text) : ChatStep(Line);

    /// <summary>TIMEOUT: the timeout of the expects that follow.</summary>
    public sealed record Timeout(int Line, TimeSpan Value) : ChatStep(Line);

    /// <summary>ECHO ON/OFF: whether the modem's output is echoed.</summary>
    public sealed record Echo(int Line, bool On) : ChatStep(Line);

    /// <summary>SAY: a message for the user.</summary>
    public sealed record Say(int Line, string Text) : ChatStep(Line);

    /// <summary>HANGUP ON/OFF: whether a modem hangup during the script is an error.</summary>
    public sealed record Hangup(int Line, bool On) : ChatStep(Line);
}
