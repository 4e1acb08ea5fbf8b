namespace LinkActors.Ppp.Chat;

/// <summary>
/// A chat command line as pppd's <c>connect</c> option holds it, split into words:
/// <c>chat -v -E -T 5551234 -f /etc/chatscripts/gprs</c> or <c>chat -v '' AT OK ATD\T CONNECT</c>.
/// Reading the script file is the caller's business; this only says which file.
/// </summary>
public sealed record ChatCommandLine(ChatOptions Options, string? ScriptFile, IReadOnlyList<string> ScriptArguments)
{
    /// <summary>
    /// Parses flags up to the first word that is not one (or <c>--</c>); the rest is the script.
    /// A leading program name ("chat" or a path ending in "/chat") is skipped.
    /// </summary>
    public static ChatCommandLine Parse(IEnumerable<string> words, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(words);
        var list = words.ToList();
        var options = ChatOptions.Default with
        {
            Environment = environment ?? new Dictionary<string, string>(),
        };
        string? scriptFile = null;
        var index = 0;
        if (list.Count > 0 && (list[0] == "chat" || list[0].EndsWith("/chat", StringComparison.Ordinal)))
        {
            index++;
        }

        while (index < list.Count)
        {
            var word = list[index];
            if (word == "--")
            {
                index++;
                break;
            }

            // chat's own getopt: a lone "-" or a word not starting with '-' begins the script.
            if (word.Length < 2 || word[0] != '-')
            {
                break;
            }

            var position = index + 1;
            index++;

            // Flags may be grouped ("-vE") and a value may be glued on ("-t30"), as with getopt.
            for (var i = 1; i < word.Length; i++)
            {
                var flag = word[i];
                switch (flag)
                {
                    case 'E': options = options with { SubstituteEnvironment = true }; continue;
                    case 'e': options = options with { Echo = true }; continue;
                    case 'v': options = options with { Verbose = true }; continue;
                    case 'V': options = options with { VerboseToStandardError = true }; continue;
                    case 's': options = options with { LogToStandardError = true }; continue;
                    case 'S': options = options with { NoSyslog = true }; continue;
                    case 't' or 'T' or 'U' or 'f' or 'r':
                        break;
                    default:
                        throw new ChatParseException($"unknown flag -{flag}", position, ChatSourceKind.Argument);
                }

                string value;
                if (i + 1 < word.Length)
                {
                    value = word[(i + 1)..];
                }
                else if (index < list.Count)
                {
                    value = list[index++];
                }
                else
                {
                    throw new ChatParseException($"flag -{flag} needs a value", position, ChatSourceKind.Argument);
                }

                options = flag switch
                {
                    't' => options with { Timeout = ParseTimeout(value, position) },
                    'T' => options with { PhoneNumber = value },
                    'U' => options with { PhoneNumber2 = value },
                    'r' => options with { ReportFile = value },
                    _ => options,
                };
                if (flag == 'f')
                {
                    scriptFile = value;
                }

                break;
            }
        }

        var script = list.Skip(index).ToList();
        if (scriptFile is not null && script.Count > 0)
        {
            // chat refuses the same: a script comes either from the file or from the arguments.
            throw new ChatParseException("a script file (-f) and script arguments exclude each other", index + 1, ChatSourceKind.Argument);
        }

        return new ChatCommandLine(options, scriptFile, script);
    }

    private static TimeSpan ParseTimeout(string value, int position)
    {
        if (!int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            throw new ChatParseException($"-t needs a number of seconds, not '{value}'", position, ChatSourceKind.Argument);
        }

        // As chat: zero or less falls back to the default.
        return TimeSpan.FromSeconds(seconds > 0 ? seconds : ChatOptions.DefaultTimeoutSeconds);
    }
}
