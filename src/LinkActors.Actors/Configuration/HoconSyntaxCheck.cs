namespace LinkActors.Actors.Configuration;

/// <summary>
/// Checks quotes and brackets before the HOCON parser sees the text: the parser loops forever on
/// some malformed input (an unclosed list inside an object; a key and value, or a character HOCON
/// allows only in quotes, straight inside a list: both found by the hocon fuzz target), and an
/// unparsable file must give
/// one clear error with a line number, never a hang. The parser also recurses once per level of
/// nesting (brackets and dotted key segments alike), so a deep file would overflow the stack and end
/// the process where no handler can catch it: the depth is bounded here, before it runs. Akka's
/// parser reads only `include "FILE"`; the other forms (file(), required(), url()) it would take as
/// a key, silently, so they are refused.
/// </summary>
internal static class HoconSyntaxCheck
{
    /// <summary>Brackets plus dotted key segments deeper than this are refused (a real file nests a handful).</summary>
    public const int MaxDepth = 64;

    /// <summary>Returns null when quotes and brackets balance, else the reason with its line.</summary>
    public static string? FindError(string text)
    {
        var open = new Stack<(char Bracket, int Line)>();
        int line = 1;
        // Segments of the dotted key being written on this line ("a.b.c = 1" nests three deep).
        int keySegments = 1;
        bool inKey = true, startOfStatement = true;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (startOfStatement && c == 'i' && IsInclude(text, i))
            {
                if (IncludeError(text, i, line) is { } include)
                    return include;
                startOfStatement = false;
                continue;
            }
            if (!char.IsWhiteSpace(c))
                startOfStatement = c is '{' or ',';
            // The parser loops forever on a character HOCON forbids outside quotes when it stands in a list.
            if (open.Count > 0 && open.Peek().Bracket == '[' && ForbiddenUnquoted(text, i))
                return $"line {line}: '{c}' in a list must be inside quotes (\"...\")";
            switch (c)
            {
                case '\n':
                    line++;
                    startOfStatement = true;
                    break;
                case '.' when inKey:
                    if (++keySegments + open.Count > MaxDepth)
                        return $"line {line}: nested deeper than {MaxDepth} levels";
                    break;
                case '=' or ':' or '[':
                    // The parser loops forever on a key and value written straight into a list ("[ b = c ]").
                    if (c != '[' && open.Count > 0 && open.Peek().Bracket == '[')
                        return $"line {line}: '{c}' inside a list: a list holds values; write an object in a list as {{ key = value }}";
                    inKey = false;
                    if (c == '[')
                        goto case '{';
                    break;
                case '#':
                    i = SkipToEndOfLine(text, i);
                    line++;
                    startOfStatement = true;
                    c = '\n';
                    break;
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    i = SkipToEndOfLine(text, i);
                    line++;
                    startOfStatement = true;
                    c = '\n';
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
                case '{':
                    open.Push((c, line));
                    if (open.Count + keySegments - 1 > MaxDepth)
                        return $"line {line}: nested deeper than {MaxDepth} levels";
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
            if (c is '{' or ',' or '\n')
            {
                // A new key starts (in an object; in a list the next '=' never comes, and values do not count).
                inKey = true;
                keySegments = 1;
            }
        }
        return open.Count == 0 ? null : $"line {open.Peek().Line}: '{open.Peek().Bracket}' is never closed";
    }

    private static bool ForbiddenUnquoted(string text, int i) => text[i] switch
    {
        '^' or '!' or '*' or '&' or '?' or '@' or '\\' or '`' => true,
        '$' => i + 1 >= text.Length || text[i + 1] != '{',
        _ => false,
    };

    private static bool IsInclude(string text, int i) =>
        string.CompareOrdinal(text, i, "include", 0, 7) == 0 && i + 7 < text.Length && (char.IsWhiteSpace(text[i + 7]) || text[i + 7] is '"' or '(');

    /// <summary>Only `include "FILE"` followed by the end of the statement is read as Akka reads it.</summary>
    private static string? IncludeError(string text, int i, int line)
    {
        int j = i + 7;
        while (j < text.Length && text[j] is ' ' or '\t')
            j++;
        int end = j < text.Length && text[j] == '"' ? text.IndexOfAny(['"', '\n'], j + 1) : -1;
        if (end > j + 1 && text[end] == '"')
        {
            int k = end + 1;
            while (k < text.Length && text[k] is ' ' or '\t' or '\r')
                k++;
            if (k >= text.Length || text[k] is '\n' or '}' or ',' or '#' || (text[k] == '/' && k + 1 < text.Length && text[k + 1] == '/'))
                return null;
        }
        return $"line {line}: write an include as include \"FILE\" (a path relative to this file, or absolute); file(), required(), url() and classpath() are not read";
    }

    private static int SkipToEndOfLine(string text, int i)
    {
        int end = text.IndexOf('\n', i);
        return end < 0 ? text.Length : end;
    }
}
