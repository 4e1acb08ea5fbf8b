namespace LinkActors.Ppp.Auth;

/// <summary>
/// One line of pppd's pap-secrets or chap-secrets: who (client) may authenticate to whom (server)
/// with which secret, and which addresses the client may then use. "*" in Client or Server matches
/// any name. <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed record SecretEntry(string Client, string Server, string Secret, AllowedAddresses Addresses)
{
    public SecretEntry(string client, string server, string secret)
        : this(client, server, secret, AllowedAddresses.Any)
    {
    }

    public const string Wildcard = "*";

    public override string ToString() => $"SecretEntry {{ Client = {Client}, Server = {Server}, Secret = ***, Addresses = {Addresses} }}";
}

/// <summary>
/// The in-memory secrets table with pppd's matching rules (auth.c, scan_authfile): an entry
/// matches when each of its Client and Server is "*" or equal (case-sensitive) to the name asked
/// for; a null name asked for matches anything. Among matches, an exact client beats an exact
/// server, which beats two wildcards; among equals the first entry wins.
/// </summary>
public sealed class SecretsTable
{
    private const int ExactServer = 1;
    private const int ExactClient = 2;

    private readonly SecretEntry[] _entries;

    public SecretsTable(IEnumerable<SecretEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = [.. entries];
        foreach (var entry in _entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            ArgumentNullException.ThrowIfNull(entry.Client);
            ArgumentNullException.ThrowIfNull(entry.Server);
            ArgumentNullException.ThrowIfNull(entry.Secret);
            ArgumentNullException.ThrowIfNull(entry.Addresses);
        }
    }

    public static SecretsTable Empty { get; } = new([]);

    /// <summary>A table of one entry for whatever server: pppd's "password" option for the client role.</summary>
    public static SecretsTable ForClient(string client, string secret) =>
        new([new SecretEntry(client, SecretEntry.Wildcard, secret)]);

    public int Count => _entries.Length;

    /// <summary>The best entry for authenticating <paramref name="client"/> on <paramref name="server"/>, or null.</summary>
    public SecretEntry? Find(string? client, string? server)
    {
        SecretEntry? best = null;
        int bestScore = -1;
        foreach (var entry in _entries)
        {
            bool clientWild = entry.Client == SecretEntry.Wildcard;
            bool serverWild = entry.Server == SecretEntry.Wildcard;
            if (!clientWild && client is not null && !string.Equals(entry.Client, client, StringComparison.Ordinal))
                continue;
            if (!serverWild && server is not null && !string.Equals(entry.Server, server, StringComparison.Ordinal))
                continue;
            int score = (clientWild ? 0 : ExactClient) | (serverWild ? 0 : ExactServer);
            // Strictly better only: the first of equally good entries is kept, as pppd does.
            if (score > bestScore)
            {
                best = entry;
                bestScore = score;
            }
        }
        return best;
    }

    public override string ToString() => $"SecretsTable {{ Count = {Count} }}";
}
