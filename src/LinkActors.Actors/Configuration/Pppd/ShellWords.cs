using System.Text;

namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>
/// Splits a connect / disconnect command (which pppd hands to /bin/sh -c) into words, for the
/// commands that need no shell: plain words, '...' and "..." quoting and backslash escapes. A
/// command that uses the shell (pipes, redirection, $variables, `...`, ; or &amp;) gives null.
/// </summary>
internal static class ShellWords
{
    public static List<string>? TrySplit(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            switch (c)
            {
                case ' ' or '\t' or '\n':
                    if (inWord)
                        words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                    continue;
                case '\'':
                {
                    int end = command.IndexOf('\'', i + 1);
                    if (end < 0)
                        return null;
                    word.Append(command, i + 1, end - i - 1);
                    i = end;
                    inWord = true;
                    continue;
                }
                case '"':
                {
                    int j = i + 1;
                    for (; j < command.Length && command[j] != '"'; j++)
                    {
                        char d = command[j];
                        if (d is '$' or '`')
                            return null;
                        if (d == '\\' && j + 1 < command.Length && command[j + 1] is '$' or '`' or '"' or '\\' or '\n')
                            d = command[++j];
                        word.Append(d);
                    }
                    if (j >= command.Length)
                        return null;
                    i = j;
                    inWord = true;
                    continue;
                }
                case '\\':
                    if (i + 1 >= command.Length)
                        return null;
                    word.Append(command[++i]);
                    inWord = true;
                    continue;
                case '|' or '&' or ';' or '<' or '>' or '(' or ')' or '$' or '`':
                    return null;
                case '#' when !inWord:
                    return null;
                default:
                    word.Append(c);
                    inWord = true;
                    continue;
            }
        }
        if (inWord)
            words.Add(word.ToString());
        return words;
    }
}
