namespace LinkActors.Actors.Configuration;

/// <summary>
/// Checks quotes and brackets before the HOCON parser sees the text: the parser loops forever on
/// some unbalanced input (an unclosed list inside an object), and an unparsable file must give
/// one clear error with a line number, never a hang.
/// </summary>
internal static class HoconSyntaxCheck
{
    /// <summary>Returns null when quotes and brackets balance, else the reason with its line.</summary>
    public static string? FindError(string text)
    {
        var open = new Stack<(char Bracket, int Line)>();
        int line = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\n':
                    line++;
                    break;
                case '#':
                    i = SkipToEndOfLine(text, i);
                    line++;
                    break;
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    i = SkipToEndOfLine(text, i);
                    line++;
                    break;
                case '"':
                    if (i + 2 < text.Length && text[i + 1] == '"' && text[i + 2] == '"')
                    {
                        int end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                        if (end < 0)
                            return $"line {line}: unclosed \"\"\" string";
                        line += text.AsSpan(i, end - i).Count('\n');
                        i = end + 2;
                        break;
                    }
                    int j = i + 1;
                    while (j < text.Length && text[j] != '"' && text[j] != '\n')
                        j += text[j] == '\\' ? 2 : 1;
                    if (j >= text.Length || text[j] != '"')
                        return $"line {line}: unclosed quoted string";
                    i = j;
                    break;
                case '{' or '[':
                    open.Push((c, line));
                    break;
                case '}' or ']':
                    char expected = c == '}' ? '{' : '[';
                    if (open.Count == 0)
                        return $"line {line}: '{c}' without a matching '{expected}'";
                    var top = open.Pop();
                    if (top.Bracket != expected)
                        return $"line {line}: '{c}' closes the '{top.Bracket}' opened on line {top.Line}";
                    break;
            }
        }
        return open.Count == 0 ? null : $"line {open.Peek().Line}: '{open.Peek().Bracket}' is never closed";
    }

    private static int SkipToEndOfLine(string text, int i)
    {
        int end = text.IndexOf('\n', i);
        return end < 0 ? text.Length : end;
    }
}
