namespace LinkActors.Ppp.Protocols;

/// <summary>
/// A policy's last word when its layer reaches Opened: what was agreed may still be unusable
/// (pppd's lcp_up / ipcp_up / ipv6cp_up checks), and then the layer must be closed with that reason.
/// </summary>
public interface IUpCheck
{
    /// <summary>Null when the negotiated result is usable; otherwise why not, for the Close and the log.</summary>
    string? CheckUp();

    /// <summary>What kind of refusal <see cref="CheckUp"/>'s answer is: the link classifies its failure by this, not by the words.</summary>
    UpRefusalKind RefusalKind => UpRefusalKind.Unusable;
}

/// <summary>Why a layer whose options were agreed is still refused.</summary>
public enum UpRefusalKind
{
    /// <summary>The agreed result cannot be used (an NCP without a usable address).</summary>
    Unusable,
    /// <summary>We require authentication and the peer would agree to none (pppd's link_established: exit 11).</summary>
    PeerWillNotAuthenticate,
}
