namespace LinkActors.Ppp.Protocols;

/// <summary>
/// IPV6CP options, named after pppd's: "ipv6 local,remote" interface identifiers and
/// ipv6cp-accept-local. IPv6-Compression-Protocol is not implemented.
/// </summary>
public sealed record Ipv6cpSettings
{
    /// <summary>Our interface identifier; null picks a random non-zero one (RFC 5072 §4.1).</summary>
    public ulong? LocalInterfaceId { get; init; }

    /// <summary>The identifier we suggest to a peer that has none or has ours; null suggests a random one.</summary>
    public ulong? RemoteInterfaceId { get; init; }

    /// <summary>Take the identifier the peer Naks us with even though <see cref="LocalInterfaceId"/> is set.</summary>
    public bool AcceptLocal { get; init; }
}
