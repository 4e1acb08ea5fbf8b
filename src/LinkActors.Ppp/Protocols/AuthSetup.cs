using LinkActors.Ppp.Auth;

namespace LinkActors.Ppp.Protocols;

/// <summary>
/// What a link's settings mean for authentication: which methods LCP may agree to, and the
/// PAP/CHAP machines for each role. Shared by the pure coordinator and the actors.
/// </summary>
public sealed class AuthSetup
{
    private readonly LinkNegotiationSettings _settings;
    private readonly string? _papPassword;
    private readonly SecretsTable _chapClientSecrets;

    public AuthSetup(LinkNegotiationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        // pppd (auth.c, auth_check_options): we can only agree to authenticate with what we have a
        // secret for; the rest is refused as if "refuse-pap"/"refuse-chap" were given.
        string user = settings.EffectiveUser;
        _papPassword = settings.Password ?? settings.Secrets.Find(user, NullIfEmpty(settings.RemoteName))?.Secret;
        _chapClientSecrets = settings.Password is { } password ? SecretsTable.ForClient(user, password) : settings.Secrets;
        bool haveClientSecret = _papPassword is not null;
        LcpSettings = settings.Lcp with
        {
            RefusePap = settings.Lcp.RefusePap || !haveClientSecret,
            RefuseChap = settings.Lcp.RefuseChap || !haveClientSecret,
        };
    }

    /// <summary>The LCP settings with the refusals our secrets imply.</summary>
    public LcpSettings LcpSettings { get; }

    /// <summary>The machine that proves who we are with <paramref name="method"/>; null for none.</summary>
    public IAuthMachine? CreateClient(AuthMethod method) => method switch
    {
        AuthMethod.Pap => new PapClient(new PapClientSettings(_settings.EffectiveUser, _papPassword ?? "")
        {
            Timeout = _settings.PapTimeout,
            MaxRequests = _settings.PapMaxRequests,
        }),
        AuthMethod.ChapMd5 => new ChapClient(new ChapClientSettings(_settings.EffectiveUser, _chapClientSecrets)
        {
            RemoteName = NullIfEmpty(_settings.RemoteName),
            ResponseTimeout = _settings.ChapTimeout,
            MaxResponses = _settings.ChapMaxChallenges,
        }),
        _ => null,
    };

    /// <summary>The machine that checks the peer with <paramref name="method"/>; null for none.</summary>
    public IAuthMachine? CreateServer(AuthMethod method, IRandomSource random) => method switch
    {
        AuthMethod.Pap => new PapServer(new PapServerSettings(_settings.Name, _settings.Secrets)
        {
            RequestTimeout = _settings.PapRequestTimeout,
        }),
        AuthMethod.ChapMd5 => new ChapServer(new ChapServerSettings(_settings.Name, _settings.Secrets)
        {
            ChallengeTimeout = _settings.ChapTimeout,
            MaxChallenges = _settings.ChapMaxChallenges,
            RechallengeInterval = _settings.ChapRechallengeInterval,
            RemoteName = NullIfEmpty(_settings.RemoteName),
        }, random),
        _ => null,
    };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
