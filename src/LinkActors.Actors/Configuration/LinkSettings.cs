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
    string? Record);
