namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>
/// pppd's <c>dump</c>: every option in effect, each with the file and line it came from
/// (<c>/etc/ppp/peers/quectel-ppp:3 noauth</c>), passwords shown as ??????.
/// </summary>
public static class PppdDump
{
    /// <summary>
    /// The lines, in the order the options were read. An option overridden later by one of its
    /// group (crtscts then nocrtscts) is not in effect and is left out; options that add up
    /// (debug, asyncmap, ms-dns) are all shown; file and call, which only read files, are not.
    /// </summary>
    public static IReadOnlyList<string> Lines(PppdOptionSet options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < options.Options.Count; i++)
            last[options.Options[i].Spec.Group] = i;
        var lines = new List<string>();
        for (int i = 0; i < options.Options.Count; i++)
        {
            var option = options.Options[i];
            if (option.Spec.Kind == PppdOptionKind.Include)
                continue;
            if (!option.Spec.Accumulates && last[option.Spec.Group] != i)
                continue;
            lines.Add(option.ToString());
        }
        return lines;
    }

    /// <summary>The lines as one text, as <c>linkactors call NAME --dump</c> prints it.</summary>
    public static string Format(PppdOptionSet options) =>
        string.Concat(Lines(options).Select(line => line + Environment.NewLine));
}
