using System.Text;

namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>One word of an options or secrets file and the line it starts on.</summary>
/// <param name="StartsLine">A newline (or the start of the file) came before it: secrets files end an entry there.</param>
internal readonly record struct PppdWord(string Text, int Line, bool StartsLine);

/// <summary>
/// Splits a file into words with pppd's rules (its getword): white space separates words; '#' at
/// the start of a word comments out the rest of the line; single or double quotes group characters
/// (and may start or stop inside a word); a backslash escapes the next character, with C's \a \b \f
/// \n \r \t, \s for a space, \ooo octal and \xhh hex; a backslash before a newline joins the lines.
/// </summary>
internal static class PppdWordReader
{
    /// <summary>pppd's MAXWORDLEN: longer words are cut there (with a warning in pppd; an error here).</summary>
    public const int MaxWordLength = 1024;

    public static List<PppdWord> Read(string text, string file)
    {
        var words = new List<PppdWord>();
        int i = 0;
        int line = 1;
        bool newline = true;
        while (TryReadWord(text, ref i, ref line, ref newline, file, out var word))
            words.Add(word);
        return words;
    }

    private static bool TryReadWord(string text, ref int i, ref int line, ref bool newline, string file, out PppdWord word)
    {
        word = default;
        bool escape = false;
        bool comment = false;

        // Leading white space, comments and joined lines.
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                line++;
                if (escape)
                    escape = false;
                else
                {
                    newline = true;
                    comment = false;
                }
                continue;
            }
            if (comment)
                continue;
            if (escape)
                break;
            if (c == '\\')
            {
                escape = true;
                continue;
            }
            if (c == '#')
            {
                comment = true;
                continue;
            }
            if (!IsSpace(c))
                break;
        }
        if (i >= text.Length)
            return false;

        int startLine = line;
        var result = new StringBuilder();
        char quote = '\0';
        while (i < text.Length)
        {
            char c = text[i];
            if (escape)
            {
                escape = false;
                i = AppendEscape(text, i, result, ref line);
                continue;
            }
            if (c == '\\')
            {
                escape = true;
                i++;
                continue;
            }
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                    i++;
                    continue;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                i++;
                continue;
            }
            else if (IsSpace(c) || c == '#')
            {
                break;
            }
            if (c == '\n')
                line++;
            result.Append(c);
            i++;
        }

        var where = new PppdSource(file, startLine);
        if (quote != '\0')
            throw new PppdConfigurationException(where, $"the quote ({quote}) opened here is never closed");
        if (result.Length > MaxWordLength)
            throw new PppdConfigurationException(where, $"a word is longer than {MaxWordLength} characters");
        word = new PppdWord(result.ToString(), startLine, newline);
        newline = false;
        return true;
    }

    /// <summary>Appends the character(s) an escape at <paramref name="i"/> stands for; returns the next index.</summary>
    private static int AppendEscape(string text, int i, StringBuilder result, ref int line)
    {
        char c = text[i];
        switch (c)
        {
            case '\n':
                // A backslash-newline inside a word joins the lines and adds nothing.
                line++;
                return i + 1;
            case 'a': result.Append('\a'); return i + 1;
            case 'b': result.Append('\b'); return i + 1;
            case 'f': result.Append('\f'); return i + 1;
            case 'n': result.Append('\n'); return i + 1;
            case 'r': result.Append('\r'); return i + 1;
            case 's': result.Append(' '); return i + 1;
            case 't': result.Append('\t'); return i + 1;
            case >= '0' and <= '7':
            {
                int value = 0;
                int n = 0;
                for (; n < 3 && i < text.Length && text[i] is >= '0' and <= '7'; n++, i++)
                    value = (value << 3) + (text[i] - '0');
                result.Append((char)(value & 0xFF));
                return i;
            }
            case 'x':
            {
                // pppd takes up to two hex digits; "\x" with none stands for NUL, as there.
                i++;
                int value = 0;
                for (int n = 0; n < 2 && i < text.Length && char.IsAsciiHexDigit(text[i]); n++, i++)
                    value = (value << 4) + Convert.ToInt32(text[i].ToString(), 16);
                result.Append((char)value);
                return i;
            }
            default:
                result.Append(c);
                return i + 1;
        }
    }

    // C's isspace in the C locale.
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';
}
