using System.Net;

namespace LinkActors.Ppp.Protocols;

/// <summary>
/// IPCP options, named after pppd's: the "local:remote" address pair, noipdefault,
/// ipcp-accept-local, ipcp-accept-remote, noremoteip, usepeerdns and ms-dns (twice).
/// VJ header compression is not implemented, so it is neither asked for nor accepted.
/// </summary>
public sealed record IpcpSettings
{
    /// <summary>Our address; null asks the peer for one with 0.0.0.0 (RFC 1332 §3.3).</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>The peer's address, which we insist on unless <see cref="IpcpAcceptRemote"/>; as a server, the one we assign.</summary>
    public IPAddress? RemoteAddress { get; init; }

    /// <summary>
    /// pppd's noipdefault: never guess our address from the host name. Nothing here guesses, so
    /// without <see cref="LocalAddress"/> we always ask the peer; kept so configurations read the same.
    /// </summary>
    public bool NoIpDefault { get; init; } = true;

    /// <summary>Take the address the peer Naks us with even though <see cref="LocalAddress"/> is set (ipcp-accept-local).</summary>
    public bool IpcpAcceptLocal { get; init; }

    /// <summary>Let the peer use the address it asks for even though <see cref="RemoteAddress"/> is set (ipcp-accept-remote).</summary>
    public bool IpcpAcceptRemote { get; init; }

    /// <summary>Accept a peer that gives no address of its own, and leave the remote address unset (noremoteip).</summary>
    public bool NoRemoteIp { get; init; }

    /// <summary>Ask the peer for DNS servers (usepeerdns, RFC 1877 §1.1 and §1.3).</summary>
    public bool UsePeerDns { get; init; }

    /// <summary>DNS servers we hand out when the peer asks (ms-dns).</summary>
    public IPAddress? PrimaryDns { get; init; }

    public IPAddress? SecondaryDns { get; init; }
}
