using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>
/// Turns pppd's <c>connect</c> / <c>disconnect</c> command into the link's chat settings when the
/// command runs chat(8): the script (its file, read and checked now, or its inline words) and the
/// flags that change what it does. Any other program is reported, not run.
/// </summary>
internal static class PppdChatImport
{
    /// <summary>The outcome: chat settings, or the external command LinkActors cannot run.</summary>
    public sealed record Outcome(ChatSettings? Chat, string? ExternalCommand, IReadOnlyList<string> FlagsNotKept);

    public static Outcome Import(PppdOption option, ChatSettings empty, PppdEnvironment environment)
    {
        string command = option.Argument.Trim();

        // pppd runs nothing for an empty command, and "true" is how direct lines say "no script".
        if (command is "" or "true" or "/bin/true" or "/usr/bin/true")
            return new Outcome(empty, null, []);

        var words = ShellWords.TrySplit(command);
        if (words is { Count: > 0 } && words[0] == "exec")
            words.RemoveAt(0);
        if (words is not { Count: > 0 } || !IsChat(words[0]))
            return new Outcome(null, command, []);

        ChatCommandLine line;
        try
        {
            line = ChatCommandLine.Parse(words, environment.ChatVariables);
        }
        catch (ChatParseException e)
        {
            throw new PppdConfigurationException(option.Source, $"{option.Name}: chat {e.Message}");
        }

        var options = line.Options;
        var chat = empty with
        {
            Timeout = options.Timeout,
            Environment = options.SubstituteEnvironment,
            Phone = options.PhoneNumber ?? "",
            Phone2 = options.PhoneNumber2 ?? "",
        };
        if (line.ScriptFile is { } file)
        {
            string path = PppdEnvironment.Absolute(file);
            string text = ReadScript(option, path, environment);
            try
            {
                ChatScript.Parse(text, options);
            }
            catch (ChatParseException e)
            {
                throw new PppdConfigurationException(new PppdSource(path, e.Line), e.Reason);
            }
            chat = chat with { ChatFile = path, Script = [] };
        }
        else
        {
            try
            {
                ChatScript.FromArguments(line.ScriptArguments, options);
            }
            catch (ChatParseException e)
            {
                throw new PppdConfigurationException(option.Source, $"{option.Name}: chat script {e.Message}");
            }
            chat = chat with { ChatFile = null, Script = line.ScriptArguments.ToList() };
        }
        return new Outcome(chat, null, FlagsNotKept(options));
    }

    private static bool IsChat(string program) => program == "chat" || program.EndsWith("/chat", StringComparison.Ordinal);

    private static string ReadScript(PppdOption option, string path, PppdEnvironment environment)
    {
        string resolved = environment.Resolve(path);
        string prefix = $"{option.Name}: cannot read the chat script {path}";
        if (Directory.Exists(resolved))
            throw new PppdConfigurationException(option.Source, $"{prefix}: it is a directory");
        if (!File.Exists(resolved))
            throw new PppdConfigurationException(option.Source, $"{prefix}: no such file");
        try
        {
            return File.ReadAllText(resolved);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PppdConfigurationException(option.Source, $"{prefix}: {e.Message}");
        }
    }

    /// <summary>chat's logging and report flags, which ChatSettings has no field for.</summary>
    private static List<string> FlagsNotKept(ChatOptions options)
    {
        var flags = new List<string>();
        if (options.Verbose)
            flags.Add("-v");
        if (options.VerboseToStandardError)
            flags.Add("-V");
        if (options.LogToStandardError)
            flags.Add("-s");
        if (options.NoSyslog)
            flags.Add("-S");
        if (options.Echo)
            flags.Add("-e");
        if (options.ReportFile is not null)
            flags.Add("-r");
        return flags;
    }
}
