namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>An option LinkActors does not implement, where it was written, and why.</summary>
public sealed record PppdUnsupportedOption(PppdOption Option, string Reason)
{
    public override string ToString() => $"{Option.Source} {Option.Display()}: {Reason}";
}

/// <summary>Something the user should know about an option: accepted without effect, kept elsewhere, or a default that differs.</summary>
public sealed record PppdNote(PppdSource Source, string Option, string Text)
{
    public override string ToString() => $"{Source} {Option}: {Text}";
}

/// <summary>
/// What the pppd options asked for that <see cref="LinkSettings"/> has no field for yet: kept so
/// that the host (log level, dump) and the data path (routes, interface) can act on it.
/// </summary>
/// <param name="DebugLevel">Number of <c>debug</c> options (pppd logs packets from 1 on).</param>
/// <param name="Dump">pppd <c>dump</c>: print the options in effect when the link starts.</param>
/// <param name="DryRun">pppd <c>dryrun</c>: print them and stop.</param>
/// <param name="LinkName">pppd <c>linkname</c>: names the pid file and is passed to scripts.</param>
/// <param name="IpParam">pppd <c>ipparam</c>: the extra argument of the ip-up / ip-down scripts.</param>
/// <param name="DefaultRoute">pppd <c>defaultroute</c> (true) / <c>nodefaultroute</c> (false); null = not said (no route).</param>
/// <param name="ReplaceDefaultRoute">pppd <c>replacedefaultroute</c> / <c>noreplacedefaultroute</c>; null = not said.</param>
/// <param name="DefaultRouteMetric">pppd <c>defaultroute-metric</c>; null = the kernel's default.</param>
/// <param name="DefaultRoute6">pppd <c>defaultroute6</c> / <c>nodefaultroute6</c>; null = not said.</param>
/// <param name="InterfaceName">pppd <c>ifname</c>.</param>
/// <param name="Unit">pppd <c>unit</c> (ppp0, ppp1, ...).</param>
/// <param name="ConnectCommand">A connect program other than chat, which LinkActors cannot run yet.</param>
/// <param name="DisconnectCommand">A disconnect program other than chat.</param>
public sealed record PppdExtras(
    int DebugLevel = 0,
    bool Dump = false,
    bool DryRun = false,
    string? LinkName = null,
    string? IpParam = null,
    bool? DefaultRoute = null,
    bool? ReplaceDefaultRoute = null,
    int? DefaultRouteMetric = null,
    bool? DefaultRoute6 = null,
    string? InterfaceName = null,
    int? Unit = null,
    string? ConnectCommand = null,
    string? DisconnectCommand = null);

/// <summary>The link a pppd configuration describes, and everything about it that did not fit.</summary>
/// <param name="Link">The validated settings: equal to what <see cref="PppdImport.ToHocon(LinkSettings, IEnumerable{string}?)"/> loads back to.</param>
/// <param name="Options">Every option read, with its file and line (for <see cref="PppdDump"/>).</param>
/// <param name="Extras">What LinkSettings has no field for.</param>
/// <param name="Unsupported">Options LinkActors does not implement: the link must not start with them unless told to ignore them.</param>
/// <param name="Notes">Options accepted without effect, kept in <see cref="Extras"/>, or defaults worth knowing.</param>
public sealed record PppdImportResult(
    LinkSettings Link,
    PppdOptionSet Options,
    PppdExtras Extras,
    IReadOnlyList<PppdUnsupportedOption> Unsupported,
    IReadOnlyList<PppdNote> Notes)
{
    /// <summary>One message listing every unsupported option with its file and line; null when there are none.</summary>
    public string? UnsupportedMessage => Unsupported.Count == 0
        ? null
        : $"link {Link.Name}: LinkActors does not implement {Unsupported.Count} of its pppd option{(Unsupported.Count == 1 ? "" : "s")}; "
          + "remove them, or start with --ignore-unsupported to run without them:"
          + string.Concat(Unsupported.Select(u => $"{Environment.NewLine}  {u}"));

    /// <summary>
    /// The settings to start the link with: refuses (with <see cref="UnsupportedMessage"/>) when an
    /// option is not implemented, unless <paramref name="ignoreUnsupported"/>.
    /// </summary>
    public LinkSettings LinkToStart(bool ignoreUnsupported) =>
        Unsupported.Count == 0 || ignoreUnsupported ? Link : throw new PppdUnsupportedOptionsException(UnsupportedMessage!, Unsupported);

    public override string ToString() =>
        $"PppdImportResult {{ Link = {Link.Name}, Options = {Options.Options.Count}, Unsupported = {Unsupported.Count}, Notes = {Notes.Count} }}";
}

/// <summary>The link uses pppd options LinkActors does not implement; the message lists each with its file and line.</summary>
public sealed class PppdUnsupportedOptionsException : Exception
{
    public PppdUnsupportedOptionsException(string message, IReadOnlyList<PppdUnsupportedOption> unsupported)
        : base(message)
    {
        Unsupported = unsupported;
    }

    public PppdUnsupportedOptionsException()
        : this("the link uses pppd options LinkActors does not implement", [])
    {
    }

    public PppdUnsupportedOptionsException(string message)
        : this(message, [])
    {
    }

    public PppdUnsupportedOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Unsupported = [];
    }

    public IReadOnlyList<PppdUnsupportedOption> Unsupported { get; }
}
