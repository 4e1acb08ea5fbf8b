namespace LinkActors.Ppp.Chat;

/// <summary>How a script ended, in chat(8)'s exit code classes.</summary>
public enum ChatOutcomeKind
{
    /// <summary>Exit code 0: every expect was seen.</summary>
    Success,

    /// <summary>Exit code 1: the script could not be parsed.</summary>
    InvalidScript,

    /// <summary>Exit code 2: a fatal condition, such as a modem hangup while HANGUP is ON.</summary>
    Error,

    /// <summary>Exit code 2: the port failed (reported by the caller) or a write did not complete in time.</summary>
    IoError,

    /// <summary>Exit code 3: an expect string (with all its sub-expects) timed out.</summary>
    Timeout,

    /// <summary>Exit code 4 + index: an ABORT string was received.</summary>
    Abort,
}

/// <summary>
/// The end of a script. <see cref="AbortString"/> and <see cref="Expected"/> are in chat's log
/// form (^M for CR); <see cref="Reason"/> says in words what happened.
/// </summary>
public sealed record ChatOutcome
{
    private ChatOutcome(ChatOutcomeKind kind, string reason, string? abortString = null, int? abortIndex = null, string? expected = null)
    {
        Kind = kind;
        Reason = reason;
        AbortString = abortString;
        AbortIndex = abortIndex;
        Expected = expected;
    }

    public ChatOutcomeKind Kind { get; }

    public string Reason { get; }

    /// <summary>The ABORT string received (Abort only).</summary>
    public string? AbortString { get; }

    /// <summary>Its 0-based index among the abort strings in force (Abort only).</summary>
    public int? AbortIndex { get; }

    /// <summary>The string that was awaited (Timeout and Abort).</summary>
    public string? Expected { get; }

    public bool IsSuccess => Kind == ChatOutcomeKind.Success;

    /// <summary>The exit code chat would have given.</summary>
    public int ExitCode => Kind switch
    {
        ChatOutcomeKind.Success => 0,
        ChatOutcomeKind.InvalidScript => 1,
        ChatOutcomeKind.Error or ChatOutcomeKind.IoError => 2,
        ChatOutcomeKind.Timeout => 3,
        _ => 4 + (AbortIndex ?? 0),
    };

    public static ChatOutcome Success() => new(ChatOutcomeKind.Success, "script completed");

    public static ChatOutcome InvalidScript(ChatParseException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(ChatOutcomeKind.InvalidScript, error.Message);
    }

    public static ChatOutcome Error(string reason) => new(ChatOutcomeKind.Error, reason);

    public static ChatOutcome IoError(string reason) => new(ChatOutcomeKind.IoError, reason);

    public static ChatOutcome Timeout(string expected, TimeSpan after) =>
        new(ChatOutcomeKind.Timeout, $"no ({expected}) within {after.TotalSeconds:0.###} s", expected: expected);

    public static ChatOutcome Abort(string abortString, int index, string expected) =>
        new(ChatOutcomeKind.Abort, $"aborted on ({abortString}) while expecting ({expected})", abortString, index, expected);

    public override string ToString() => $"{Kind} (exit {ExitCode}): {Reason}";
}
