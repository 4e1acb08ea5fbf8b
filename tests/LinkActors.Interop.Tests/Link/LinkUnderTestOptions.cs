using System.Net;

namespace LinkActors.Interop.Tests.Link;

/// <summary>Which end we play.</summary>
public enum LinkUnderTestRole
{
    /// <summary>We dial a pppd that waits for us, and take the address it gives.</summary>
    Client,

    /// <summary>A dialing pppd reaches us; we hand out addresses and may demand authentication.</summary>
    Server,
}

/// <summary>A secrets line for our end: who may authenticate to whom with what.</summary>
public sealed record LinkSecret(string Client, string Server, string Secret)
{
    public override string ToString() => $"LinkSecret {{ Client = {Client}, Server = {Server}, Secret = *** }}";
}

/// <summary>
/// Our end's configuration in pppd's own terms, from which the daemon's configuration is derived.
/// </summary>
public sealed record LinkUnderTestOptions
{
    public LinkUnderTestRole Role { get; init; } = LinkUnderTestRole.Client;

    /// <summary>"name": ours, in CHAP challenges and as the server column of the secrets.</summary>
    public string Name { get; init; } = "linkactors";

    /// <summary>"user" and "password": how we authenticate ourselves.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    public IReadOnlyList<LinkSecret> Secrets { get; init; } = [];

    public bool RequirePap { get; init; }

    public bool RequireChap { get; init; }

    /// <summary>"local:remote"; null for the client, which asks the peer.</summary>
    public IPAddress? LocalAddress { get; init; }

    public IPAddress? RemoteAddress { get; init; }

    public bool UsePeerDns { get; init; }

    /// <summary>"ms-dns", handed out as a server.</summary>
    public IPAddress? PrimaryDns { get; init; }

    public IPAddress? SecondaryDns { get; init; }

    /// <summary>"+ipv6": run IPV6CP.</summary>
    public bool Ipv6 { get; init; }

    public ushort? Mru { get; init; }

    public ushort? Mtu { get; init; }

    public bool NoAccomp { get; init; }

    public bool NoPcomp { get; init; }

    public bool DefaultAsyncmap { get; init; }

    /// <summary>"lcp-echo-interval": send an LCP Echo-Request this often once LCP is up; null sends none.</summary>
    public TimeSpan? LcpEchoInterval { get; init; }

    /// <summary>"lcp-echo-failure": unanswered Echo-Requests in a row that end the link; 0 never ends it.</summary>
    public int LcpEchoFailure { get; init; }

    /// <summary>"persist": dial again after the link ends. The daemon redials.</summary>
    public bool Persist { get; init; }

    /// <summary>"holdoff": how long to wait before dialing again; null keeps the default.</summary>
    public TimeSpan? Holdoff { get; init; }

    public override string ToString() =>
        $"LinkUnderTestOptions {{ Role = {Role}, Name = {Name}, User = {User}, Password = {(Password is null ? "none" : "***")}, " +
        $"Secrets = {Secrets.Count}, RequirePap = {RequirePap}, RequireChap = {RequireChap}, Ipv6 = {Ipv6} }}";
}
