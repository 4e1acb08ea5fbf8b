using System.Globalization;
using System.Text;

namespace LinkActors.Ppp.Chat;

/// <summary>
/// Runs a <see cref="ChatScript"/> as a pure state machine: no clock, no I/O, no threads.
/// <para>
/// The owner calls <see cref="Start"/> once, then feeds what happens: <see cref="Received"/> for
/// bytes from the modem (any chunking), <see cref="WriteCompleted"/> after each <see cref="ChatAction.Send"/>
/// or <see cref="ChatAction.SendBreak"/> has been carried out (one write is in flight at a time),
/// <see cref="Tick"/> when <see cref="ChatOutput.NextWakeUp"/> has come, <see cref="Hangup"/> when the
/// modem hangs up and <see cref="Fail"/> when the port fails. Every call returns the actions to carry
/// out in order; <see cref="ChatAction.Finished"/> comes exactly once.
/// </para>
/// <para>
/// As chat reads one character at a time, bytes are consumed only while an expect is waiting:
/// bytes after a match stay for the next expect, and those never read are handed back by
/// <see cref="TakeUnreadInput"/> (after CONNECT they belong to PPP). Time never goes backwards:
/// an earlier <c>now</c> than already seen is taken as the time already seen. A deadline that
/// passed before bytes arrive is honoured first.
/// </para>
/// </summary>
public sealed class ChatInterpreter
{
    /// <summary>Input kept while no expect is reading, like a tty's buffer; the oldest goes first.</summary>
    public const int MaxUnreadBytes = 64 * 1024;

    private const int MaxRecordedBytes = 64 * 1024;
    private const int MaxLineLength = 256;
    private const int MaxReportLength = 256;

    // chat gives a report line that is still arriving when the script ends one more second.
    private static readonly TimeSpan FinalReportWindow = TimeSpan.FromSeconds(1);

    // A secret shorter than this would blank out ordinary text (every "1" of a one-digit secret).
    private const int MinRedactedEchoLength = 4;

    private readonly ChatScript _script;
    private readonly List<ChatAction> _actions = [];
    private readonly List<Pattern> _aborts = [];
    private readonly List<Pattern> _reports = [];
    private readonly List<string> _reportLines = [];
    private readonly Queue<byte> _unread = new();
    private readonly byte[] _window = new byte[2 * ChatScript.MaxStringLength];
    private readonly List<ChatTranscriptEntry> _transcript = [];
    private readonly List<byte> _line = [];
    private readonly List<byte[]> _secrets = [];
    private readonly List<(string Command, List<byte> Response)> _exchanges = [];
    private readonly List<byte> _modemText = [];

    private Phase _phase = Phase.NotStarted;
    private TimeSpan _now;
    private TimeSpan _timeout;
    private bool _echo;
    private bool _lineEchoed;
    private int _stepIndex;
    private int _windowCount;

    private IReadOnlyList<ChatExpectAlternative> _alternatives = [];
    private int _alternative;
    private byte[] _expected = [];
    private string _expectedDisplay = string.Empty;
    private TimeSpan _deadline;

    private CompiledSend? _send;
    private int _partIndex;
    private bool _writeInFlight;
    private TimeSpan _writeDeadline;
    private TimeSpan? _resumeAt;
    private int _resumeAlternative = -1;

    private StringBuilder? _reportLine;
    private ChatOutcome? _heldOutcome;
    private TimeSpan _reportDeadline;

    public ChatInterpreter(ChatScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        _script = script;
        _timeout = script.Options.Timeout;
        _echo = script.Options.Echo;
    }

    private enum Phase
    {
        NotStarted,
        Ready,
        Expecting,
        Sending,
        FinalReport,
        Finished,
    }

    /// <summary>How it ended; null while running.</summary>
    public ChatOutcome? Outcome { get; private set; }

    public bool IsFinished => _phase == Phase.Finished;

    /// <summary>When <see cref="Tick"/> should be called next; null when no timer is needed.</summary>
    public TimeSpan? NextWakeUp => _phase switch
    {
        Phase.Expecting => _deadline,
        Phase.Sending when _writeInFlight => _writeDeadline,
        Phase.Sending => _resumeAt,
        Phase.FinalReport => _reportDeadline,
        _ => null,
    };

    /// <summary>Whether a modem hangup is an error now (HANGUP ON, the default).</summary>
    public bool HangupIsError { get; private set; } = true;

    /// <summary>What was sent and received, in chat -v's words, with \q parts and their echoes as ??????.</summary>
    public IReadOnlyList<ChatTranscriptEntry> Transcript => _transcript;

    /// <summary>The transcript as text, one entry a line.</summary>
    public string TranscriptText => string.Join('\n', _transcript.Select(e => e.Text));

    /// <summary>The REPORT lines emitted so far.</summary>
    public IReadOnlyList<string> Reports => _reportLines;

    /// <summary>All the modem said that the script read (first 64 KiB), as Latin-1 text with CR and LF, secrets hidden.</summary>
    public string ModemText => Redact(Encoding.Latin1.GetString([.. _modemText]));

    /// <summary>Each send with the modem's answer to it; see <see cref="ChatExchange"/>.</summary>
    public IReadOnlyList<ChatExchange> Exchanges =>
        _exchanges.Select(e => new ChatExchange(e.Command, Redact(Encoding.Latin1.GetString([.. e.Response])))).ToList();

    /// <summary>Starts the script at <paramref name="now"/>. Throws if called twice.</summary>
    public ChatOutput Start(TimeSpan now)
    {
        if (_phase != Phase.NotStarted)
        {
            throw new InvalidOperationException("the chat script has already been started");
        }

        _now = now;
        _phase = Phase.Ready;
        return Run();
    }

    /// <summary>
    /// Bytes from the modem, in any chunking. Before <see cref="Start"/> they are kept for the
    /// first expect; after the end they are ignored (the owner gives them to the next reader).
    /// </summary>
    public ChatOutput Received(ReadOnlySpan<byte> bytes, TimeSpan now)
    {
        if (_phase == Phase.Finished)
        {
            return ChatOutput.None;
        }

        foreach (var b in bytes)
        {
            if (_unread.Count >= MaxUnreadBytes)
            {
                _unread.Dequeue();
            }

            _unread.Enqueue(b);
        }

        return _phase == Phase.NotStarted ? ChatOutput.None : Advance(now);
    }

    /// <summary>Time has passed (call at <see cref="ChatOutput.NextWakeUp"/>); early or extra calls are harmless.</summary>
    public ChatOutput Tick(TimeSpan now) =>
        _phase is Phase.NotStarted or Phase.Finished ? ChatOutput.None : Advance(now);

    /// <summary>The last Send or SendBreak has been carried out. Throws if none was asked for.</summary>
    public ChatOutput WriteCompleted(TimeSpan now)
    {
        if (_phase == Phase.Finished)
        {
            return ChatOutput.None;
        }

        if (_phase != Phase.Sending || !_writeInFlight)
        {
            throw new InvalidOperationException("no write is in flight");
        }

        _writeInFlight = false;
        return Advance(now);
    }

    /// <summary>
    /// The modem hung up (carrier lost). With HANGUP ON this ends the script with Error, as the
    /// SIGHUP pppd sends ends chat; with HANGUP OFF it is ignored.
    /// </summary>
    public ChatOutput Hangup(TimeSpan now)
    {
        if (_phase is Phase.NotStarted or Phase.Finished || !HangupIsError)
        {
            return ChatOutput.None;
        }

        SetNow(now);
        Finish(ChatOutcome.Error("the modem hung up"), waitForReport: false);
        return Run();
    }

    /// <summary>The port failed (read or write error, device gone): ends the script with IoError.</summary>
    public ChatOutput Fail(string reason, TimeSpan now)
    {
        if (_phase == Phase.Finished)
        {
            return ChatOutput.None;
        }

        SetNow(now);
        Finish(ChatOutcome.IoError(reason), waitForReport: false);
        return Run();
    }

    /// <summary>Hands over (and forgets) the bytes received but never read by an expect.</summary>
    public byte[] TakeUnreadInput()
    {
        var bytes = _unread.ToArray();
        _unread.Clear();
        return bytes;
    }

    private ChatOutput Advance(TimeSpan now)
    {
        SetNow(now);
        return Run();
    }

    private void SetNow(TimeSpan now)
    {
        if (now > _now)
        {
            _now = now;
        }
    }

    private ChatOutput Run()
    {
        Pump();
        var actions = _actions.ToArray();
        _actions.Clear();
        return new ChatOutput(actions, NextWakeUp);
    }

    private void Pump()
    {
        while (true)
        {
            switch (_phase)
            {
                case Phase.Ready:
                    ExecuteStep();
                    break;
                case Phase.Expecting:
                    if (_now >= _deadline)
                    {
                        ExpectTimedOut();
                    }
                    else if (_unread.Count > 0)
                    {
                        ReadByte(_unread.Dequeue());
                    }
                    else
                    {
                        return;
                    }

                    break;
                case Phase.Sending:
                    if (!AdvanceSend())
                    {
                        return;
                    }

                    break;
                case Phase.FinalReport:
                    if (!AdvanceFinalReport())
                    {
                        return;
                    }

                    break;
                default:
                    return;
            }
        }
    }

    private void ExecuteStep()
    {
        var steps = _script.Steps;
        if (_stepIndex >= steps.Count)
        {
            Finish(ChatOutcome.Success(), waitForReport: true);
            return;
        }

        var options = _script.Options;
        switch (steps[_stepIndex])
        {
            case ChatStep.Expect expect:
                BeginExpect(expect.Alternatives, 0);
                return;
            case ChatStep.Send send:
                BeginSend(send.Text, resumeAlternative: -1);
                return;
            case ChatStep.Abort abort:
                var pattern = Pattern.Of(abort.Text, options);
                _aborts.Add(pattern);
                Note(ChatTranscriptKind.Directive, $"abort on ({pattern.Display})");
                break;
            case ChatStep.ClearAbort clear:
                var cleared = Pattern.Of(clear.Text, options);

                // chat removes every copy and packs the list: later abort strings get lower indexes.
                _aborts.RemoveAll(p => p.Bytes.AsSpan().SequenceEqual(cleared.Bytes));
                Note(ChatTranscriptKind.Directive, $"clear abort on ({cleared.Display})");
                break;
            case ChatStep.Report report:
                var reportPattern = Pattern.Of(report.Text, options);
                _reports.Add(reportPattern);
                Note(ChatTranscriptKind.Directive, $"report ({reportPattern.Display})");
                break;
            case ChatStep.ClearReport clearReport:
                var clearedReport = Pattern.Of(clearReport.Text, options);
                _reports.RemoveAll(p => p.Bytes.AsSpan().SequenceEqual(clearedReport.Bytes));
                Note(ChatTranscriptKind.Directive, $"clear report ({clearedReport.Display})");
                break;
            case ChatStep.Timeout timeout:
                _timeout = timeout.Value;
                Note(ChatTranscriptKind.Directive, $"timeout set to {timeout.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds");
                break;
            case ChatStep.Echo echo:
                _echo = echo.On;
                Note(ChatTranscriptKind.Directive, echo.On ? "echo on" : "echo off");
                break;
            case ChatStep.Say say:
                var text = ChatEscapes.CompileText(say.Text, options);
                _actions.Add(new ChatAction.Say(text));
                Note(ChatTranscriptKind.Say, text);
                break;
            case ChatStep.Hangup hangup:
                HangupIsError = hangup.On;
                _actions.Add(new ChatAction.SetHangup(hangup.On));
                Note(ChatTranscriptKind.Directive, hangup.On ? "hangup on" : "hangup off");
                break;
        }

        _stepIndex++;
    }

    private void BeginExpect(IReadOnlyList<ChatExpectAlternative> alternatives, int index)
    {
        _alternatives = alternatives;
        _alternative = index;
        _expected = ChatEscapes.CompileExpect(alternatives[index].Expect, _script.Options);
        _expectedDisplay = ChatEscapes.Render(_expected);
        Note(ChatTranscriptKind.Expect, $"expect ({_expectedDisplay})");
        if (_expected.Length == 0)
        {
            Note(ChatTranscriptKind.Matched, " -- got it");
            StepDone();
            return;
        }

        // Each expect looks only at what it reads itself, as chat's get_string does.
        _windowCount = 0;
        _deadline = _now + _timeout;
        _phase = Phase.Expecting;
    }

    private void ReadByte(byte b)
    {
        Record(b);
        if (_windowCount == _window.Length)
        {
            Array.Copy(_window, ChatScript.MaxStringLength, _window, 0, ChatScript.MaxStringLength);
            _windowCount = ChatScript.MaxStringLength;
        }

        _window[_windowCount++] = b;
        var window = _window.AsSpan(0, _windowCount);

        // chat's order for each character: report, then the expected string, then the aborts.
        if (_reportLine is null)
        {
            for (var i = 0; i < _reports.Count; i++)
            {
                if (window.EndsWith(_reports[i].Bytes))
                {
                    _reportLine = new StringBuilder(_reports[i].Display);

                    // A report string reports once, as in chat.
                    _reports.RemoveAt(i);
                    break;
                }
            }
        }
        else
        {
            GatherReport(b);
        }

        if (window.EndsWith(_expected))
        {
            FlushPartialLine();
            Note(ChatTranscriptKind.Matched, " -- got it");
            StepDone();
            return;
        }

        for (var i = 0; i < _aborts.Count; i++)
        {
            if (window.EndsWith(_aborts[i].Bytes))
            {
                FlushPartialLine();
                Note(ChatTranscriptKind.Aborted, $" -- failed ({_aborts[i].Display})");
                Finish(ChatOutcome.Abort(_aborts[i].Display, i, _expectedDisplay), waitForReport: true);
                return;
            }
        }
    }

    /// <summary>Adds a byte to the report line being gathered; false when the line has ended.</summary>
    private bool GatherReport(byte b)
    {
        if (_reportLine is null)
        {
            return false;
        }

        if (b is >= 0x20 and < 0x7F && _reportLine.Length < MaxReportLength)
        {
            _reportLine.Append((char)b);
            return true;
        }

        EmitReport();
        return false;
    }

    private void EmitReport()
    {
        if (_reportLine is null)
        {
            return;
        }

        var line = Redact(_reportLine.ToString());
        _reportLine = null;
        _reportLines.Add(line);
        _actions.Add(new ChatAction.Report(line));
        Note(ChatTranscriptKind.Report, $"report: {line}");
    }

    private void ExpectTimedOut()
    {
        FlushPartialLine();
        Note(ChatTranscriptKind.TimedOut, " -- timed out");
        var subSend = _alternatives[_alternative].SubSend;
        if (subSend is null)
        {
            Finish(ChatOutcome.Timeout(_expectedDisplay, _timeout), waitForReport: true);
            return;
        }

        BeginSend(subSend, _alternative + 1);
    }

    private void StepDone()
    {
        _stepIndex++;
        _phase = Phase.Ready;
    }

    private void BeginSend(string text, int resumeAlternative)
    {
        _send = ChatEscapes.CompileReply(text, _script.Options);
        _partIndex = 0;
        _writeInFlight = false;
        _resumeAt = null;
        _resumeAlternative = resumeAlternative;
        _secrets.AddRange(_send.Secrets.Where(s => s.Length >= MinRedactedEchoLength));
        Note(ChatTranscriptKind.Send, $"send ({_send.Display})");
        var command = _send.Display.EndsWith("^M", StringComparison.Ordinal) ? _send.Display[..^2] : _send.Display;
        _exchanges.Add((command, []));
        _phase = Phase.Sending;
    }

    /// <summary>Moves the send on; false when it must wait for a write completion or a pause.</summary>
    private bool AdvanceSend()
    {
        if (_writeInFlight)
        {
            // chat gives a whole send string its timeout (alarm around put_string): a port that does
            // not take the bytes (flow control stuck) ends the script rather than hanging it.
            if (_now < _writeDeadline)
            {
                return false;
            }

            Finish(ChatOutcome.IoError($"write did not complete within {_timeout.TotalSeconds:0.###} s"), waitForReport: false);
            return true;
        }

        if (_resumeAt is { } resumeAt)
        {
            if (_now < resumeAt)
            {
                return false;
            }

            _resumeAt = null;
        }

        var parts = _send!.Parts;
        if (_partIndex >= parts.Count)
        {
            SendDone();
            return true;
        }

        switch (parts[_partIndex++])
        {
            case SendPart.Write write:
                _actions.Add(new ChatAction.Send(write.Bytes, write.Display));
                _writeInFlight = true;
                _writeDeadline = _now + _timeout;
                break;
            case SendPart.Break:
                _actions.Add(new ChatAction.SendBreak());
                _writeInFlight = true;
                _writeDeadline = _now + _timeout;
                break;
            case SendPart.Pause pause:
                _resumeAt = _now + pause.Duration;
                _actions.Add(new ChatAction.Wait(pause.Duration, _now + pause.Duration));
                break;
        }

        return true;
    }

    private void SendDone()
    {
        _send = null;
        if (_resumeAlternative < 0)
        {
            StepDone();
        }
        else if (_resumeAlternative < _alternatives.Count)
        {
            BeginExpect(_alternatives, _resumeAlternative);
        }
        else
        {
            // "a-b": b was sent on timeout and nothing more is expected; chat goes on as if a had come.
            StepDone();
        }
    }

    private void Finish(ChatOutcome outcome, bool waitForReport)
    {
        FlushPartialLine();

        // The script's own end was already decided; a hangup or port failure while its last report
        // line is gathered does not change it.
        if (_phase == Phase.FinalReport)
        {
            Complete(_heldOutcome!);
            return;
        }

        if (waitForReport && _reportLine is not null)
        {
            _heldOutcome = outcome;
            _reportDeadline = _now + FinalReportWindow;
            _phase = Phase.FinalReport;
            return;
        }

        Complete(outcome);
    }

    private bool AdvanceFinalReport()
    {
        if (_now >= _reportDeadline || _reportLine is null)
        {
            Complete(_heldOutcome!);
            return true;
        }

        if (_unread.Count == 0)
        {
            return false;
        }

        // A byte that is neither text nor a line end is not read: after CONNECT it is PPP's first flag.
        var next = _unread.Peek();
        if (next >= 0x7E)
        {
            Complete(_heldOutcome!);
            return true;
        }

        var b = _unread.Dequeue();
        Record(b);
        if (!GatherReport(b))
        {
            Complete(_heldOutcome!);
        }

        return true;
    }

    private void Complete(ChatOutcome outcome)
    {
        EmitReport();
        FlushPartialLine();
        Outcome = outcome;
        _phase = Phase.Finished;
        _writeInFlight = false;
        Note(ChatTranscriptKind.Finished, outcome.ToString());
        _actions.Add(new ChatAction.Finished(outcome));
    }

    private void Record(byte b)
    {
        if (_modemText.Count < MaxRecordedBytes)
        {
            _modemText.Add(b);
        }

        if (_exchanges.Count == 0)
        {
            _exchanges.Add((string.Empty, []));
        }

        var response = _exchanges[^1].Response;
        if (response.Count < MaxRecordedBytes)
        {
            response.Add(b);
        }

        _lineEchoed |= _echo;
        if (b == '\n')
        {
            EndLine(newline: true);
            return;
        }

        _line.Add(b);
        if (_line.Count >= MaxLineLength)
        {
            EndLine(newline: false);
        }
    }

    private void FlushPartialLine()
    {
        if (_line.Count > 0)
        {
            EndLine(newline: false);
        }
    }

    private void EndLine(bool newline)
    {
        var bytes = _line.ToArray();
        _line.Clear();
        Note(ChatTranscriptKind.Received, Redact(ChatEscapes.Render(bytes)));
        if (_lineEchoed)
        {
            // As chat's echo: CR dropped, newline kept, other controls visible.
            var text = new StringBuilder(bytes.Length + 1);
            foreach (var b in bytes)
            {
                if (b != '\r')
                {
                    ChatEscapes.AppendVisible(text, b);
                }
            }

            var echoed = Redact(text.ToString()) + (newline ? "\n" : string.Empty);
            if (echoed.Length > 0)
            {
                _actions.Add(new ChatAction.Echo(echoed));
            }
        }

        _lineEchoed = false;
    }

    /// <summary>Hides the echo of a \q secret: a modem with echo on sends the PIN straight back.</summary>
    private string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            var rendered = ChatEscapes.Render(secret);
            text = text.Replace(rendered, ChatEscapes.Hidden, StringComparison.Ordinal);
            var raw = Encoding.Latin1.GetString(secret);
            if (raw != rendered)
            {
                text = text.Replace(raw, ChatEscapes.Hidden, StringComparison.Ordinal);
            }
        }

        return text;
    }

    private void Note(ChatTranscriptKind kind, string text) => _transcript.Add(new ChatTranscriptEntry(_now, kind, text));

    private sealed record Pattern(byte[] Bytes, string Display)
    {
        public static Pattern Of(string text, ChatOptions options)
        {
            var bytes = ChatEscapes.CompileExpect(text, options);
            return new Pattern(bytes, ChatEscapes.Render(bytes));
        }
    }
}
