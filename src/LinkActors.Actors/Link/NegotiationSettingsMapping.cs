using LinkActors.Actors.Configuration;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Actors.Link;

/// <summary>From the configured link to the pure library's settings: one place, used by every layer.</summary>
public static class NegotiationSettingsMapping
{
    public static LinkNegotiationSettings ToNegotiation(this LinkSettings link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var secrets = new SecretsTable(link.Auth.Secrets.Select(s =>
            new Ppp.Auth.SecretEntry(s.Client, s.Server, s.Secret, AllowedAddresses.Parse(s.Addresses))));
        return new LinkNegotiationSettings
        {
            Name = link.Role == LinkRole.Server && string.IsNullOrEmpty(link.Auth.User) ? link.Name : link.Auth.User,
            User = NullIfEmpty(link.Auth.User),
            Password = NullIfEmpty(link.Auth.Password),
            RemoteName = NullIfEmpty(link.Auth.RemoteName),
            Secrets = secrets,
            PapTimeout = link.Lcp.Counters.Restart,
            PapRequestTimeout = link.Auth.Timeout,
            PapMaxRequests = link.Auth.MaxAttempts,
            ChapTimeout = link.Lcp.Counters.Restart,
            ChapMaxChallenges = link.Auth.MaxAttempts,
            Engine = Engine(link.Lcp.Counters, link),
            Lcp = new LcpSettings
            {
                Mru = (ushort)link.Lcp.Mru,
                Mtu = link.Lcp.Mtu > 0 ? (ushort)link.Lcp.Mtu : null,
                Asyncmap = link.Lcp.Asyncmap,
                DefaultAsyncmap = link.Lcp.DefaultAsyncmap,
                NoAccomp = !link.Lcp.Accomp,
                NoPcomp = !link.Lcp.Pcomp,
                NoMagic = !link.Lcp.Magic,
                RequirePap = link.Auth.Require == AuthRequirement.Pap,
                RequireChap = link.Auth.Require == AuthRequirement.Chap,
                RefusePap = link.Auth.RefusePap,
                RefuseChap = link.Auth.RefuseChap,
            },
            Ipcp = link.Ipcp.Enabled
                ? new IpcpSettings
                {
                    LocalAddress = link.Ipcp.Local,
                    RemoteAddress = link.Ipcp.Remote,
                    NoIpDefault = link.Ipcp.NoIpDefault || link.Ipcp.Local is null,
                    IpcpAcceptLocal = link.Ipcp.AcceptLocal,
                    IpcpAcceptRemote = link.Ipcp.AcceptRemote,
                    NoRemoteIp = link.Ipcp.NoRemoteIp,
                    UsePeerDns = link.Ipcp.UsePeerDns,
                    PrimaryDns = link.Ipcp.MsDns.Count > 0 ? link.Ipcp.MsDns[0] : null,
                    SecondaryDns = link.Ipcp.MsDns.Count > 1 ? link.Ipcp.MsDns[1] : null,
                }
                : null,
            Ipv6cp = link.Ipv6cp.Enabled ? new Ipv6cpSettings() : null,
        };
    }

    /// <summary>Restart timer and counters of one protocol, with the link's passive/silent flags.</summary>
    public static ControlEngineSettings Engine(CounterSettings counters, LinkSettings link) => new()
    {
        RestartInterval = counters.Restart,
        MaxConfigure = counters.MaxConfigure,
        MaxTerminate = counters.MaxTerminate,
        MaxFailure = counters.MaxFailure,
        Passive = link.Passive,
        Silent = link.Silent,
    };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
