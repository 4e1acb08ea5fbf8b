namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>What LinkActors makes of a pppd option.</summary>
public enum PppdOptionKind
{
    /// <summary>Becomes part of the link's <see cref="LinkSettings"/>.</summary>
    Mapped,

    /// <summary>Accepted and without effect: it asks for what LinkActors does anyway, or concerns pppd's process or kernel.</summary>
    Accepted,

    /// <summary>Kept in <see cref="PppdExtras"/> for a layer that <see cref="LinkSettings"/> does not describe yet.</summary>
    Recorded,

    /// <summary>LinkActors does not implement it: the link does not start unless told to ignore such options.</summary>
    Unsupported,

    /// <summary><c>file</c> and <c>call</c>: read more options from a file.</summary>
    Include,
}

/// <summary>
/// One row of pppd's option table: how many words follow the name, and what LinkActors makes of it.
/// </summary>
/// <param name="Name">The name as written; a wild option (device, speed, addresses) has a name in angle brackets.</param>
/// <param name="Arguments">Words taken after the name (pppd's options take 0 or 1).</param>
/// <param name="Kind">Mapped, accepted, recorded, unsupported or include.</param>
/// <param name="Meaning">The setting it maps to, or why it is accepted or unsupported.</param>
/// <param name="Canonical">The option an alias stands for ("-vj" for "novj"); the name itself otherwise.</param>
/// <param name="Group">Options that set the same thing (crtscts / nocrtscts): the last one given is in effect.</param>
/// <param name="Accumulates">Every occurrence counts (asyncmap is OR-ed, debug adds one, ms-dns keeps two).</param>
/// <param name="Hidden">The argument is a secret: dumps show ??????.</param>
public sealed record PppdOptionSpec(
    string Name,
    int Arguments,
    PppdOptionKind Kind,
    string Meaning,
    string Canonical,
    string Group,
    bool Accumulates = false,
    bool Hidden = false)
{
    public const string DeviceName = "<device>";
    public const string SpeedName = "<speed>";
    public const string AddressesName = "<local:remote>";

    /// <summary>A wild option is recognised by its form, not its name, and printed as its value.</summary>
    public bool IsWild => Name.StartsWith('<');
}
