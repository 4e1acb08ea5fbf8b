using System.Globalization;
using System.Text;

namespace LinkActors.Ppp.Chat;

/// <summary>
/// A parsed chat(8) script: words alternate expect, send, expect, send...; a keyword in the
/// expect place (ABORT, REPORT, TIMEOUT, ...) takes the following word as its argument.
/// </summary>
public sealed class ChatScript
{
    /// <summary>chat's buffer size: longer expect, abort or report strings could never match.</summary>
    public const int MaxStringLength = 1024;

    private ChatScript(IReadOnlyList<ChatStep> steps, ChatOptions options, ChatSourceKind sourceKind)
    {
        Steps = steps;
        Options = options;
        SourceKind = sourceKind;
    }

    public IReadOnlyList<ChatStep> Steps { get; }

    public ChatOptions Options { get; }

    /// <summary>Whether step positions are line numbers or word numbers.</summary>
    public ChatSourceKind SourceKind { get; }

    /// <summary>
    /// Parses chat's file syntax (as with <c>chat -f</c>): words separated by spaces or tabs; a word
    /// in single or double quotes may hold spaces, and a backslash in it protects the next character
    /// (the quote itself included); a line whose first character is '#' is a comment; words run on
    /// across lines. Throws <see cref="ChatParseException"/> naming the line.
    /// </summary>
    public static ChatScript Parse(string text, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= ChatOptions.Default;
        var words = new List<Word>();
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var lineNumber = index + 1;
            var line = lines[index];

            // chat only strips '\n'; a CR left by a file edited elsewhere would end up in the last word.
            if (line.EndsWith('\r'))
            {
                line = line[..^1];
            }

            // As chat: only a '#' in the first column starts a comment; a '#' to expect there is quoted.
            if (line.StartsWith('#'))
            {
                continue;
            }

            var position = 0;
            while (position < line.Length)
            {
                var c = line[position];
                if (c is ' ' or '\t')
                {
                    position++;
                    continue;
                }

                string word;
                if (c is '"' or '\'')
                {
                    var start = ++position;
                    while (true)
                    {
                        if (position >= line.Length)
                        {
                            throw new ChatParseException($"unterminated quote ({c}) in {Quote(line[(start - 1)..])}", lineNumber, ChatSourceKind.File);
                        }

                        if (line[position] == c)
                        {
                            break;
                        }

                        position += line[position] == '\\' && position + 1 < line.Length ? 2 : 1;
                    }

                    word = line[start..position];
                    position++;
                }
                else
                {
                    var start = position;
                    while (position < line.Length && line[position] is not (' ' or '\t'))
                    {
                        position++;
                    }

                    word = line[start..position];
                }

                words.Add(new Word(Substitute(word, options, lineNumber, ChatSourceKind.File), lineNumber));
            }
        }

        return new ChatScript(BuildSteps(words, options, ChatSourceKind.File), options, ChatSourceKind.File);
    }

    /// <summary>
    /// Builds a script from words already split (HOCON list, command line after the flags): each
    /// string is one word, with no quoting left to undo. Errors name the 1-based word number.
    /// </summary>
    public static ChatScript FromArguments(IEnumerable<string> arguments, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        options ??= ChatOptions.Default;
        var words = arguments
            .Select((word, index) => new Word(Substitute(word ?? string.Empty, options, index + 1, ChatSourceKind.Argument), index + 1))
            .ToList();
        return new ChatScript(BuildSteps(words, options, ChatSourceKind.Argument), options, ChatSourceKind.Argument);
    }

    /// <summary>Parses a command line's flags and script words; a script file (-f) is refused, as reading it is I/O.</summary>
    public static ChatScript FromCommandLine(ChatCommandLine commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        if (commandLine.ScriptFile is not null)
        {
            throw new ChatParseException($"read the file {commandLine.ScriptFile} and use Parse", 0, ChatSourceKind.Argument);
        }

        return FromArguments(commandLine.ScriptArguments, commandLine.Options);
    }

    private static List<ChatStep> BuildSteps(List<Word> words, ChatOptions options, ChatSourceKind source)
    {
        var steps = new List<ChatStep>();
        for (var i = 0; i < words.Count; i += 2)
        {
            var expect = words[i];
            Word? reply = i + 1 < words.Count ? words[i + 1] : null;
            var line = expect.Line;

            // chat compares keywords whether quoted or not: quoting only groups characters.
            if (IsKeyword(expect.Text))
            {
                if (reply is null)
                {
                    throw new ChatParseException($"{expect.Text} at the end of the script needs an argument", line, source);
                }

                steps.Add(Directive(expect.Text, reply.Value, options, source));
                continue;
            }

            steps.Add(ExpectStep(expect, options, source));
            if (reply is { } send)
            {
                Validate(send, source, () => ChatEscapes.CompileReply(send.Text, options));
                steps.Add(new ChatStep.Send(send.Line, send.Text));
            }
        }

        return steps;
    }

    private static bool IsKeyword(string word) =>
        word is "ABORT" or "CLR_ABORT" or "REPORT" or "CLR_REPORT" or "TIMEOUT" or "ECHO" or "SAY" or "HANGUP";

    private static ChatStep Directive(string keyword, Word argument, ChatOptions options, ChatSourceKind source)
    {
        var line = argument.Line;
        var text = argument.Text;
        switch (keyword)
        {
            case "ABORT":
            case "CLR_ABORT":
            case "REPORT":
            case "CLR_REPORT":
                var bytes = Validate(argument, source, () => ChatEscapes.CompileExpect(text, options));

                // An empty string would "match" at the first byte received: chat then aborts on anything.
                if (bytes.Length == 0)
                {
                    throw new ChatParseException($"{keyword} needs a non-empty string", line, source);
                }

                if (bytes.Length > MaxStringLength)
                {
                    throw new ChatParseException($"{keyword} string is longer than {MaxStringLength} bytes", line, source);
                }

                return keyword switch
                {
                    "ABORT" => new ChatStep.Abort(line, text),
                    "CLR_ABORT" => new ChatStep.ClearAbort(line, text),
                    "REPORT" => new ChatStep.Report(line, text),
                    _ => new ChatStep.ClearReport(line, text),
                };
            case "TIMEOUT":
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
                {
                    throw new ChatParseException($"TIMEOUT needs a number of seconds, not {Quote(text)}", line, source);
                }

                // As chat: zero or less means the default.
                return new ChatStep.Timeout(line, TimeSpan.FromSeconds(seconds > 0 ? seconds : ChatOptions.DefaultTimeoutSeconds));
            case "ECHO":
                return new ChatStep.Echo(line, OnOff(keyword, argument, source));
            case "HANGUP":
                return new ChatStep.Hangup(line, OnOff(keyword, argument, source));
            default:
                Validate(argument, source, () => ChatEscapes.CompileText(text, options));
                return new ChatStep.Say(line, text);
        }
    }

    private static bool OnOff(string keyword, Word argument, ChatSourceKind source) => argument.Text switch
    {
        "ON" => true,
        "OFF" => false,

        // chat takes anything but ON (or OFF) silently; a typo here would flip behaviour unnoticed.
        _ => throw new ChatParseException($"{keyword} needs ON or OFF, not {Quote(argument.Text)}", argument.Line, source),
    };

    private static ChatStep.Expect ExpectStep(Word word, ChatOptions options, ChatSourceKind source)
    {
        var parts = SplitSubExpects(word.Text);
        var alternatives = new List<ChatExpectAlternative>();
        for (var i = 0; i < parts.Count; i += 2)
        {
            var expect = parts[i];
            var subSend = i + 1 < parts.Count ? parts[i + 1] : null;
            var bytes = Validate(word, source, () => ChatEscapes.CompileExpect(expect, options));
            if (bytes.Length > MaxStringLength)
            {
                throw new ChatParseException($"expect string is longer than {MaxStringLength} bytes", word.Line, source);
            }

            if (subSend is not null)
            {
                Validate(word, source, () => ChatEscapes.CompileReply(subSend, options));
            }

            alternatives.Add(new ChatExpectAlternative(expect, subSend));
        }

        return new ChatStep.Expect(word.Line, word.Text, alternatives);
    }

    /// <summary>
    /// Splits "a-b-c" at dashes not escaped by a backslash. A final empty part is dropped, which
    /// gives chat's reading: "a-" has no sub-send, "a--" sends an empty line, "a-b" sends b on
    /// timeout and then goes on as if a had been seen.
    /// </summary>
    internal static List<string> SplitSubExpects(string text)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(c).Append(text[++i]);
            }
            else if (c == '-')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        if (parts.Count > 1 && parts[^1].Length == 0)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        return parts;
    }

    private static T Validate<T>(Word word, ChatSourceKind source, Func<T> compile)
    {
        try
        {
            return compile();
        }
        catch (FormatException e)
        {
            throw new ChatParseException($"{e.Message} in {Quote(word.Text)}", word.Line, source);
        }
    }

    /// <summary>
    /// -E: replaces $NAME and ${NAME}. A value is taken literally: its backslashes, carets and dashes
    /// are escaped so that they do not turn into escapes or sub-expects. \$ keeps a dollar.
    /// </summary>
    private static string Substitute(string word, ChatOptions options, int position, ChatSourceKind source)
    {
        if (!options.SubstituteEnvironment || !word.Contains('$', StringComparison.Ordinal))
        {
            return word;
        }

        var result = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (c == '\\' && i + 1 < word.Length)
            {
                result.Append(c).Append(word[++i]);
                continue;
            }

            if (c != '$' || i + 1 >= word.Length)
            {
                result.Append(c);
                continue;
            }

            string name;
            if (word[i + 1] == '{')
            {
                var close = word.IndexOf('}', i + 2);
                if (close < 0)
                {
                    throw new ChatParseException($"unterminated ${{ in {Quote(word)}", position, source);
                }

                name = word[(i + 2)..close];
                i = close;
            }
            else
            {
                var end = i + 1;
                while (end < word.Length && (char.IsAsciiLetterOrDigit(word[end]) || word[end] == '_'))
                {
                    end++;
                }

                name = word[(i + 1)..end];
                if (name.Length == 0 || char.IsAsciiDigit(name[0]))
                {
                    // Not a variable name: "$" stays a dollar, as in a shell.
                    result.Append(c);
                    continue;
                }

                i = end - 1;
            }

            // An unset variable is an error, not an empty string: a missing PIN or APN should stop the
            // link with a reason rather than send a half command to the modem.
            if (!options.Environment.TryGetValue(name, out var value))
            {
                throw new ChatParseException($"${name} is not set (-E)", position, source);
            }

            foreach (var v in value)
            {
                if (v is '\\' or '^' or '-')
                {
                    result.Append('\\');
                }

                result.Append(v);
            }
        }

        return result.ToString();
    }

    private static string Quote(string text) => "'" + (text.Length > 40 ? text[..40] + "..." : text) + "'";

    private readonly record struct Word(string Text, int Line);
}
