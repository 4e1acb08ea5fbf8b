using System.Net;

namespace LinkActors.Actors.Configuration;

public enum LinkRole { Client, Server }

public enum FlowControl { None, Crtscts, Xonxoff }

public enum AuthRequirement { None, Pap, Chap }

/// <summary>A chat(8) script as configured: a file in chat syntax or inline tokens, and chat's flags.</summary>
public sealed record ChatSettings(
    string? ChatFile,
    IReadOnlyList<string> Script,
    TimeSpan Timeout,
    bool Environment,
    string Phone,
    string Phone2)
{
    public bool IsEmpty => ChatFile is null && Script.Count == 0;
}

/// <summary>One line of a secrets table (pap-secrets / chap-secrets): client, server, secret, addresses.</summary>
public sealed record SecretEntry(string Client, string Server, string Secret, IReadOnlyList<string> Addresses)
{
    public override string ToString() => $"SecretEntry {{ Client = {Client}, Server = {Server}, Secret = <hidden>, Addresses = {Addresses.Count} }}";
}

public sealed record AuthSettings(
    AuthRequirement Require,
    bool RefusePap,
    bool RefuseChap,
    string User,
    string Password,
    string RemoteName,
    IReadOnlyList<SecretEntry> Secrets,
    TimeSpan Timeout,
    int MaxAttempts)
{
    /// <summary>pppd secrets files <see cref="Password"/> was read from (`auth.password-from`); empty when it was given inline.</summary>
    public IReadOnlyList<string> PasswordFrom { get; init; } = [];

    public override string ToString() =>
        $"AuthSettings {{ Require = {Require}, RefusePap = {RefusePap}, RefuseChap = {RefuseChap}, User = {User}, Password = <hidden>, Secrets = {Secrets.Count} }}";
}

/// <summary>Restart timer and counters of one control protocol (RFC 1661 §4.6).</summary>
public sealed record CounterSettings(TimeSpan Restart, int MaxConfigure, int MaxTerminate, int MaxFailure);

public sealed record LcpLinkSettings(
    int Mru,
    int Mtu,
    uint Asyncmap,
    bool DefaultAsyncmap,
    bool Accomp,
    bool Pcomp,
    bool Magic,
    CounterSettings Counters,
    TimeSpan EchoInterval,
    int EchoFailure,
    bool EchoAdaptive);

public sealed record IpcpLinkSettings(
    bool Enabled,
    IPAddress? Local,
    IPAddress? Remote,
    bool NoIpDefault,
    bool AcceptLocal,
    bool AcceptRemote,
    bool NoRemoteIp,
    bool UsePeerDns,
    IReadOnlyList<IPAddress> MsDns,
    CounterSettings Counters);

public sealed record Ipv6cpLinkSettings(bool Enabled, CounterSettings Counters);

/// <summary>Everything configured for one link, validated.</summary>
public sealed record LinkSettings(
    string Name,
    LinkRole Role,
    bool Required,
    string Device,
    int Speed,
    FlowControl FlowControl,
    bool Local,
    bool Lock,
    string LockDirectory,
    ChatSettings Connect,
    ChatSettings Disconnect,
    bool Passive,
    bool Silent,
    AuthSettings Auth,
    LcpLinkSettings Lcp,
    IpcpLinkSettings Ipcp,
    Ipv6cpLinkSettings Ipv6cp,
    bool Persist,
    TimeSpan Holdoff,
    int MaxFail,
    TimeSpan ConnectDelay,
    TimeSpan MaxConnect,
    string? Record)
{
    /// <summary>The network side (`network { ... }`); the defaults when not read from a configuration.</summary>
    public NetworkLinkSettings Network { get; init; } = NetworkLinkSettings.Default;

    /// <summary>Waiting for network registration before the connect script (`registration { ... }`).</summary>
    public RegistrationLinkSettings Registration { get; init; } = RegistrationLinkSettings.Default;

    /// <summary>Ping probe, data-path watchdog and escalation ladder (`watchdog { ... }`).</summary>
    public WatchdogLinkSettings Watchdog { get; init; } = WatchdogLinkSettings.Default;

    /// <summary>CMUX and the modem monitor (`modem { ... }`).</summary>
    public ModemLinkSettings Modem { get; init; } = ModemLinkSettings.Default;
}

/// <summary>The modem's UART multiplexed with 3GPP TS 27.010, and the modem monitor on its AT channel.</summary>
/// <param name="N1">Most information octets per frame (TS 27.010 §5.7.2); must match the one in <paramref name="CmuxCommand"/>.</param>
public sealed record ModemLinkSettings(bool Cmux, string CmuxCommand, int N1, TimeSpan PollInterval)
{
    public static ModemLinkSettings Default { get; } = new(false, "AT+CMUX=0,0,5,1509", 1509, TimeSpan.FromSeconds(60));
}

/// <summary>tun: a kernel TUN interface; endpoint: the in-process packet endpoint; auto: tun when root.</summary>
public enum NetworkMode { Auto, Tun, Endpoint }

/// <summary>An IPv4 prefix routed onto the link while it is up.</summary>
public sealed record NetworkRoutePrefix(IPAddress Prefix, int PrefixLength)
{
    public override string ToString() => $"{Prefix}/{PrefixLength}";
}

/// <summary>The network side of a link: interface, routes, DNS file, scripts, crash-recovery state (pppd's ip-up world).</summary>
public sealed record NetworkLinkSettings(
    NetworkMode Mode,
    string Interface,
    bool DefaultRoute,
    uint DefaultRouteMetric,
    bool ReplaceDefaultRoute,
    IReadOnlyList<NetworkRoutePrefix> Routes,
    string UsePeerDnsFile,
    string? IpUp,
    string? IpDown,
    string? Ipv6Up,
    string? Ipv6Down,
    string IpParam,
    string StateDirectory,
    TimeSpan ScriptTimeout)
{
    public static NetworkLinkSettings Default { get; } = new(NetworkMode.Auto, "ppp%d", false, 0, false, [],
        "/etc/ppp/resolv.conf", null, null, null, null, "", "/run/linkactors", TimeSpan.FromSeconds(30));
}

/// <summary>Before dialing, poll the modem until it is registered with the network, within a bound.</summary>
public sealed record RegistrationLinkSettings(bool Wait, TimeSpan Timeout, TimeSpan Poll)
{
    public static RegistrationLinkSettings Default { get; } = new(true, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(2));
}

/// <summary>One rung of the escalation ladder, taken when the same failure repeats.</summary>
public enum EscalationStep { Renegotiate, Redial, ModemReset, PowerCycle }

/// <summary>Ping probe, data-path watchdog and escalation ladder of one link.</summary>
/// <param name="PingTarget">Null: the peer's address from IPCP.</param>
/// <param name="PowerCycleCommand">Program and arguments, run without a shell; null: none.</param>
public sealed record WatchdogLinkSettings(
    IPAddress? PingTarget,
    TimeSpan PingInterval,
    TimeSpan Window,
    IReadOnlyList<EscalationStep> Ladder,
    string ModemResetCommand,
    TimeSpan ModemResetWait,
    IReadOnlyList<string>? PowerCycleCommand,
    TimeSpan PowerCycleTimeout,
    TimeSpan GoodServiceReset,
    TimeSpan DeviceWait)
{
    /// <summary>Bytes a day the budgeted probe of an idle link may spend; 0: no probes.</summary>
    public long ProbeBudget { get; init; } = 20_000;

    /// <summary>Modem resets and power cycles the ladder may take within an hour.</summary>
    public int MaxResetsPerHour { get; init; } = 2;

    public static WatchdogLinkSettings Default { get; } = new(null, TimeSpan.Zero, TimeSpan.FromSeconds(90),
        [EscalationStep.Renegotiate, EscalationStep.Redial, EscalationStep.ModemReset, EscalationStep.PowerCycle],
        "AT+CFUN=1,1", TimeSpan.FromSeconds(60), null, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(60));
}
