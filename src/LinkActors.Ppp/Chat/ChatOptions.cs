namespace LinkActors.Ppp.Chat;

/// <summary>
/// chat(8)'s command-line flags, as settings. Only the ones that change what a script means are
/// used by the parser and the interpreter; -v, -V, -s, -S and -e are kept so that a pppd-style
/// connect line can be taken over unchanged and its logging wishes passed on.
/// </summary>
public sealed record ChatOptions
{
    /// <summary>chat's default timeout for each expect string (-t), in seconds.</summary>
    public const int DefaultTimeoutSeconds = 45;

    /// <summary>The pause chat makes before every character it writes (usleep(10000) in chat).</summary>
    public static readonly TimeSpan ChatCharacterPacing = TimeSpan.FromMilliseconds(10);

    public static ChatOptions Default { get; } = new();

    /// <summary>-E: substitute <c>$VAR</c> and <c>${VAR}</c> from <see cref="Environment"/> while parsing.</summary>
    public bool SubstituteEnvironment { get; init; }

    /// <summary>The variables for -E. The pure core never reads the process environment itself.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>-T: the text of <c>\T</c>.</summary>
    public string? PhoneNumber { get; init; }

    /// <summary>-U: the text of <c>\U</c>.</summary>
    public string? PhoneNumber2 { get; init; }

    /// <summary>-t: timeout of each expect until a TIMEOUT directive changes it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(DefaultTimeoutSeconds);

    /// <summary>-e: ECHO is on from the start.</summary>
    public bool Echo { get; init; }

    /// <summary>-v: the caller should log the transcript at info level rather than debug.</summary>
    public bool Verbose { get; init; }

    /// <summary>-V: the caller should also print the modem's output as it arrives.</summary>
    public bool VerboseToStandardError { get; init; }

    /// <summary>-s: the caller should log to standard error as well.</summary>
    public bool LogToStandardError { get; init; }

    /// <summary>-S: the caller should not log to syslog.</summary>
    public bool NoSyslog { get; init; }

    /// <summary>-r: where the caller should append REPORT lines; the interpreter only emits them.</summary>
    public string? ReportFile { get; init; }

    /// <summary>
    /// Pause before each character written. Zero writes a whole send string at once, which modern
    /// modems take; <see cref="ChatCharacterPacing"/> reproduces chat for modems that drop input.
    /// </summary>
    public TimeSpan CharacterPacing { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Reads flags only (no script): <c>-E -v -T 12345 -t 30</c>. Throws <see cref="ChatParseException"/>
    /// on an unknown flag, a missing value, or anything that is not a flag.
    /// </summary>
    public static ChatOptions FromFlags(IEnumerable<string> flags, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var commandLine = ChatCommandLine.Parse(flags, environment);
        if (commandLine.ScriptFile is not null || commandLine.ScriptArguments.Count > 0)
        {
            throw new ChatParseException("only flags are allowed here, not a script", 0, ChatSourceKind.Argument);
        }

        return commandLine.Options;
    }
}
