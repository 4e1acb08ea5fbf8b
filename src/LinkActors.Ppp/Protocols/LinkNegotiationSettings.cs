using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;

namespace LinkActors.Ppp.Protocols;

/// <summary>
/// Everything one end of a link negotiates, with pppd's names: LCP options; "name" (ours, the
/// server column of secrets and the name in our CHAP challenges); "user" (whom we authenticate as,
/// defaulting to the name); "password" (ours, else looked up in the secrets); "remotename";
/// the secrets table (pap-secrets and chap-secrets in one); IPCP (null: "noip"); IPV6CP (null:
/// off, pppd's default). <see cref="ToString"/> never shows the password.
/// </summary>
public sealed record LinkNegotiationSettings
{
    public LcpSettings Lcp { get; init; } = new();

    public IpcpSettings? Ipcp { get; init; } = new();

    public Ipv6cpSettings? Ipv6cp { get; init; }

    /// <summary>Restart timer and counters for every control protocol (RFC 1661 §4.6).</summary>
    public ControlEngineSettings Engine { get; init; } = ControlEngineSettings.Default;

    public string Name { get; init; } = "";

    public string? User { get; init; }

    public string? Password { get; init; }

    public string? RemoteName { get; init; }

    public SecretsTable Secrets { get; init; } = SecretsTable.Empty;

    /// <summary>pap-timeout and pap-max-authreq (our Authenticate-Requests).</summary>
    public TimeSpan PapTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public int PapMaxRequests { get; init; } = 10;

    /// <summary>pap-restart: how long we wait for the peer's Authenticate-Request.</summary>
    public TimeSpan PapRequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>chap-restart, chap-max-challenge, chap-interval.</summary>
    public TimeSpan ChapTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public int ChapMaxChallenges { get; init; } = 10;

    public TimeSpan ChapRechallengeInterval { get; init; } = TimeSpan.Zero;

    /// <summary>The name we authenticate as.</summary>
    public string EffectiveUser => string.IsNullOrEmpty(User) ? Name : User;

    public override string ToString() =>
        $"LinkNegotiationSettings {{ Name = {Name}, User = {EffectiveUser}, Password = {(Password is null ? "none" : "***")}, " +
        $"RemoteName = {RemoteName}, Secrets = {Secrets}, Ipcp = {(Ipcp is null ? "off" : "on")}, Ipv6cp = {(Ipv6cp is null ? "off" : "on")} }}";
}
