namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>
/// Drop-in for pppd users: <c>linkactors call NAME</c> reads pppd's own configuration
/// (/etc/ppp/options, ~/.ppprc, /etc/ppp/peers/NAME, the chat scripts and secrets files it names)
/// and gives the link's settings; <c>linkactors import-pppd NAME</c> writes them as HOCON.
/// </summary>
public static class PppdImport
{
    /// <summary>
    /// Reads <c>call NAME</c> (then <paramref name="moreOptions"/>, as on pppd's command line) and
    /// maps it. Throws <see cref="PppdConfigurationException"/> (one line naming file and line) for
    /// a file pppd would refuse; unsupported options are listed in the result, not thrown: call
    /// <see cref="PppdImportResult.LinkToStart"/> before starting the link.
    /// </summary>
    public static PppdImportResult Call(string peerName, PppdEnvironment? environment = null, IReadOnlyList<string>? moreOptions = null)
    {
        ArgumentNullException.ThrowIfNull(peerName);
        environment ??= PppdEnvironment.System;
        var options = new PppdOptionParser(environment).ParseCall(peerName, moreOptions);
        return FromOptions(peerName, options, environment);
    }

    /// <summary>Maps options already read to the settings of a link named <paramref name="linkName"/>.</summary>
    public static PppdImportResult FromOptions(string linkName, PppdOptionSet options, PppdEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(linkName);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        return PppdSettingsMapper.Map(linkName, options, environment);
    }

    /// <summary>
    /// HOCON for <c>linkactors.links.NAME { ... }</c> with every key written out: loaded with
    /// <see cref="Settings.Create"/> it gives a link equal to <paramref name="link"/>.
    /// <paramref name="comments"/> go on top, one "# " line each.
    /// </summary>
    public static string ToHocon(LinkSettings link, IEnumerable<string>? comments = null)
    {
        ArgumentNullException.ThrowIfNull(link);
        return PppdHoconWriter.Write(link, comments ?? []);
    }

    /// <summary>Whether the HOCON for <paramref name="result"/> holds a password or secrets itself, not only a reference to pppd's files.</summary>
    public static bool WritesSecrets(PppdImportResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return PppdHoconWriter.HoldsSecrets(result.Link.Auth);
    }

    /// <summary>
    /// HOCON for an imported link, with what did not carry over as comments on top: the files read,
    /// the unsupported options, the notes and the options kept aside. No secret is in a comment.
    /// </summary>
    public static string ToHocon(PppdImportResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var comments = new List<string>
        {
            $"Imported from pppd: call {result.Link.Name}",
            $"Files read: {string.Join(", ", result.Options.FilesRead)}",
        };
        if (result.Unsupported.Count > 0)
        {
            comments.Add("Not carried over: LinkActors does not implement these options:");
            comments.AddRange(result.Unsupported.Select(u => $"  {u}"));
        }
        if (result.Notes.Count > 0)
        {
            comments.Add("Notes:");
            comments.AddRange(result.Notes.Select(n => $"  {n}"));
        }
        comments.Add("Beyond pppd, in effect with this file (run it with `linkactors run`, which serves linkactors.management too):");
        comments.AddRange(BeyondPppd.Describe(result.Link, managementEndpoint: null).Select(line => $"  {line}"));
        return PppdHoconWriter.Write(result.Link, comments);
    }
}
