namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>
/// Where pppd's files are looked up. <see cref="Root"/> stands for "/" so that tests (and an image
/// being prepared for a device) can read a tree that is not the running system's /etc; every path
/// in messages, settings and dumps stays as pppd would name it.
/// </summary>
/// <param name="Root">The directory that stands for "/".</param>
/// <param name="HomeDirectory">The user's home as pppd sees it (for ~/.ppprc); null = none.</param>
/// <param name="Variables">Environment for chat's -E while the script is checked; empty by default,
/// so that the import does not depend on the shell it was run from.</param>
public sealed record PppdEnvironment(string Root, string? HomeDirectory, IReadOnlyDictionary<string, string>? Variables = null)
{
    public const string SystemOptionsPath = "/etc/ppp/options";
    public const string PeersDirectory = "/etc/ppp/peers/";
    public const string PapSecretsPath = "/etc/ppp/pap-secrets";
    public const string ChapSecretsPath = "/etc/ppp/chap-secrets";
    public const string UserOptionsName = ".ppprc";
    public const string TtyOptionsPrefix = "/etc/ppp/options.";

    /// <summary>The running system: "/" and $HOME.</summary>
    public static PppdEnvironment System { get; } = new("/", Environment.GetEnvironmentVariable("HOME"));

    public IReadOnlyDictionary<string, string> ChatVariables => Variables ?? new Dictionary<string, string>();

    /// <summary>pppd's view of a path (absolute; a relative one is taken from "/", where pppd runs).</summary>
    public static string Absolute(string path) => path.StartsWith('/') ? path : "/" + path;

    /// <summary>The path to open for pppd's <paramref name="path"/>.</summary>
    public string Resolve(string path)
    {
        string absolute = Absolute(path);
        return Root is "/" or "" ? absolute : Path.Join(Root, absolute);
    }
}
