namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>One option as written: its row of the table, the name used, its arguments, and where it was.</summary>
public sealed record PppdOption(PppdOptionSpec Spec, string Name, IReadOnlyList<string> Arguments, PppdSource Source)
{
    /// <summary>The single argument (or, for a wild option, the word itself).</summary>
    public string Argument => Spec.IsWild ? Name : Arguments.Count > 0 ? Arguments[0] : "";

    /// <summary>The option as pppd would print it, a secret shown as ??????.</summary>
    public string Display()
    {
        if (Spec.IsWild)
            return PppdQuoting.Quote(Name);
        if (Arguments.Count == 0)
            return Name;
        return Name + " " + string.Join(' ', Arguments.Select(a => Spec.Hidden ? PppdQuoting.HiddenSecret : PppdQuoting.Quote(a)));
    }

    public override string ToString() => $"{Source} {Display()}";
}

/// <summary>Every option read for one link, in the order pppd applies them, and the files read.</summary>
public sealed record PppdOptionSet(IReadOnlyList<PppdOption> Options, IReadOnlyList<string> FilesRead)
{
    public override string ToString() => $"PppdOptionSet {{ Options = {Options.Count}, FilesRead = {FilesRead.Count} }}";
}

/// <summary>pppd's way of printing a word in its dump (its %q): quoted only when it must be.</summary>
internal static class PppdQuoting
{
    public const string HiddenSecret = "??????";

    public static string Quote(string word)
    {
        bool plain = word.Length > 0 && word.All(c => c > ' ' && c < 0x7F && c is not ('"' or '\'' or '\\' or '#'));
        if (plain)
            return word;
        var text = new System.Text.StringBuilder("\"");
        foreach (char c in word)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < ' ' || c == 0x7F)
                        text.Append('\\').Append(Convert.ToString(c, 8).PadLeft(3, '0'));
                    else
                        text.Append(c);
                    break;
            }
        }
        return text.Append('"').ToString();
    }
}
