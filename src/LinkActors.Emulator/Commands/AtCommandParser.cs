using System.Text;

namespace LinkActors.Emulator.Commands;

/// <summary>
/// Splits the body of a command line (the text after <c>AT</c>) into commands, as V.250 §5.2 describes:
/// basic commands follow each other directly (<c>E0V1&amp;D2</c>), extended ones are separated by ';',
/// D takes the rest of the line, and spaces outside quotes are ignored.
/// </summary>
public static class AtCommandParser
{
    /// <summary>Returns false for a line no modem would accept (an unknown character where a command starts).</summary>
    public static bool TryParse(string body, out IReadOnlyList<AtCommand> commands)
    {
        var result = new List<AtCommand>();
        commands = result;
        string text = Normalise(body);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == ';')
            {
                i++;
                continue;
            }
            if (c is '+' or '$' or '^' or '%')
            {
                int start = i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                    i++;
                string name = text[start..i];
                if (name.Length < 2)
                    return false;
                if (Follows(text, i, "=?"))
                {
                    result.Add(new AtCommand(name, AtCommandForm.Test, ""));
                    i += 2;
                }
                else if (Follows(text, i, "?"))
                {
                    result.Add(new AtCommand(name, AtCommandForm.Read, ""));
                    i += 1;
                }
                else if (Follows(text, i, "="))
                {
                    int end = EndOfArgument(text, i + 1);
                    result.Add(new AtCommand(name, AtCommandForm.Set, text[(i + 1)..end]));
                    i = end;
                }
                else
                {
                    result.Add(new AtCommand(name, AtCommandForm.Execute, ""));
                }
                if (i < text.Length && text[i] != ';')
                    return false;
                continue;
            }
            if (c == 'D')
            {
                // V.250 §6.3.1: the dial string runs to the end of the line (or a ';' for voice calls).
                result.Add(new AtCommand("D", AtCommandForm.Execute, text[(i + 1)..]));
                return true;
            }
            if (c == 'S')
            {
                int start = ++i;
                i = SkipDigits(text, i);
                if (i == start)
                    return false;
                string name = "S" + text[start..i];
                if (Follows(text, i, "?"))
                {
                    result.Add(new AtCommand(name, AtCommandForm.Read, ""));
                    i++;
                }
                else if (Follows(text, i, "="))
                {
                    int valueStart = ++i;
                    i = SkipDigits(text, i);
                    result.Add(new AtCommand(name, AtCommandForm.Set, text[valueStart..i]));
                }
                else
                {
                    return false;
                }
                continue;
            }
            if (c == '&' || char.IsAsciiLetterUpper(c))
            {
                int start = i++;
                if (c == '&')
                {
                    if (i >= text.Length || !char.IsAsciiLetterUpper(text[i]))
                        return false;
                    i++;
                }
                string name = text[start..i];
                int digits = i;
                i = SkipDigits(text, i);
                result.Add(new AtCommand(name, AtCommandForm.Execute, text[digits..i]));
                continue;
            }
            return false;
        }
        return true;
    }

    /// <summary>Splits a Set argument at commas outside quotes, removing the quotes.</summary>
    public static IReadOnlyList<string> SplitArguments(string argument)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        foreach (char c in argument)
        {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
                current.Append(c);
        }
        parts.Add(current.ToString());
        return parts;
    }

    // Upper case and without spaces, except inside quoted strings (an APN keeps its case).
    private static string Normalise(string body)
    {
        var sb = new StringBuilder(body.Length);
        bool quoted = false;
        foreach (char c in body)
        {
            if (c == '"')
                quoted = !quoted;
            if (quoted || c == '"')
                sb.Append(c);
            else if (c != ' ')
                sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }

    private static int EndOfArgument(string text, int i)
    {
        bool quoted = false;
        for (; i < text.Length; i++)
        {
            if (text[i] == '"')
                quoted = !quoted;
            else if (text[i] == ';' && !quoted)
                break;
        }
        return i;
    }

    private static int SkipDigits(string text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
            i++;
        return i;
    }

    private static bool Follows(string text, int i, string token) =>
        string.CompareOrdinal(text, i, token, 0, token.Length) == 0;
}
