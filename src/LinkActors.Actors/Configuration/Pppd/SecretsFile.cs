namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>One entry of a secrets file and the line it is on; the secret is never printed.</summary>
public sealed record SecretsFileEntry(SecretEntry Entry, int Line)
{
    public override string ToString() => $"SecretsFileEntry {{ Line = {Line}, {Entry} }}";
}

/// <summary>
/// pppd's pap-secrets / chap-secrets: one entry a line, <c>client server secret [address...]</c>,
/// words as in options files (quotes, escapes, '#' comments); <c>*</c> matches any name; a secret
/// <c>@/path</c> is the first word of that file. A secrets file that its group or others may read
/// is refused (pppd only warns), and so is an indirect secret file with the same fault.
/// </summary>
public sealed class SecretsFile
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private SecretsFile(string path, IReadOnlyList<SecretsFileEntry> entries)
    {
        Path = path;
        Entries = entries;
    }

    /// <summary>The file as pppd names it.</summary>
    public string Path { get; }

    public IReadOnlyList<SecretsFileEntry> Entries { get; }

    /// <summary>Reads <paramref name="path"/> (pppd's name) under the environment's root; a missing file has no entries.</summary>
    public static SecretsFile Load(string path, PppdEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(environment);
        string resolved = environment.Resolve(path);
        if (!File.Exists(resolved) && !Directory.Exists(resolved))
            return new SecretsFile(path, []);
        string text = ReadPrivate(path, resolved, new PppdSource(path, 0), "secrets file");
        return Parse(text, path, secretFile => ReadPrivate(secretFile.Path, environment.Resolve(secretFile.Path), secretFile.Where, "secret file"));
    }

    /// <summary>
    /// Parses the text of a secrets file. <paramref name="readSecretFile"/> reads an <c>@/path</c>
    /// secret's file (pppd's path and the entry's place); it throws if the file cannot be used.
    /// </summary>
    public static SecretsFile Parse(string text, string path, Func<(string Path, PppdSource Where), string> readSecretFile)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(readSecretFile);
        var entries = new List<SecretsFileEntry>();
        foreach (var line in Lines(PppdWordReader.Read(text, path)))
        {
            var where = new PppdSource(path, line[0].Line);
            if (line.Count < 3)
                throw new PppdConfigurationException(where, "a secrets entry needs a client, a server and a secret");
            string secret = line[2].Text;
            if (secret.StartsWith("@/", StringComparison.Ordinal))
                secret = FirstWord(readSecretFile((secret[1..], where)), secret[1..], where);

            // Words after "--" are pppd options applied once the peer is authenticated: not addresses.
            var addresses = line.Skip(3).Select(w => w.Text).TakeWhile(w => w != "--").ToList();
            entries.Add(new SecretsFileEntry(new SecretEntry(line[0].Text, line[1].Text, secret, addresses), line[0].Line));
        }
        return new SecretsFile(path, entries);
    }

    /// <summary>
    /// pppd's choice of secret for <paramref name="client"/> talking to <paramref name="server"/>
    /// (null = any server): a named match beats "*", the client's name counts more than the
    /// server's, and the first of equals wins.
    /// </summary>
    public SecretsFileEntry? Find(string client, string? server)
    {
        SecretsFileEntry? best = null;
        int bestScore = -1;
        foreach (var entry in Entries)
        {
            var (c, s) = (entry.Entry.Client, entry.Entry.Server);
            if (c != client && c != "*")
                continue;
            if (server is not null && s != server && s != "*")
                continue;
            int score = (c != "*" ? 2 : 0) + (s != "*" ? 1 : 0);
            if (score > bestScore)
            {
                best = entry;
                bestScore = score;
            }
        }
        return best;
    }

    public override string ToString() => $"SecretsFile {{ Path = {Path}, Entries = {Entries.Count} }}";

    /// <summary>An entry ends where a new line begins.</summary>
    private static IEnumerable<List<PppdWord>> Lines(List<PppdWord> words)
    {
        var line = new List<PppdWord>();
        foreach (var word in words)
        {
            if (word.StartsLine && line.Count > 0)
            {
                yield return line;
                line = [];
            }
            line.Add(word);
        }
        if (line.Count > 0)
            yield return line;
    }

    private static string FirstWord(string text, string file, PppdSource where)
    {
        var words = PppdWordReader.Read(text, file);
        return words.Count > 0 ? words[0].Text : throw new PppdConfigurationException(where, $"the secret file {file} holds no secret");
    }

    /// <summary>Reads a file that holds a secret, refusing one its group or others may open.</summary>
    internal static string ReadPrivate(string path, string resolved, PppdSource where, string what)
    {
        string prefix = where.Line > 0 ? $"{what} {path}: " : "";
        try
        {
            if (Directory.Exists(resolved))
                throw new PppdConfigurationException(where, $"{prefix}cannot read the {what}: it is a directory");
            if (!File.Exists(resolved))
                throw new PppdConfigurationException(where, $"{prefix}cannot read the {what}: no such file");
            // Windows has no Unix modes to check; the project runs on Linux, where they matter.
            var mode = OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(resolved);
            if ((mode & GroupOrOthers) != 0)
                throw new PppdConfigurationException(where,
                    $"{prefix}the {what} is open to its group or others (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}); allow its owner only: chmod 600 {path}");
            return File.ReadAllText(resolved);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PppdConfigurationException(where, $"{prefix}cannot read the {what}: {e.Message}");
        }
    }
}
