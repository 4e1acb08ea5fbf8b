namespace LinkActors.Ppp.Protocols;

/// <summary>
/// A policy's last word when its layer reaches Opened: what was agreed may still be unusable
/// (pppd's lcp_up / ipcp_up / ipv6cp_up checks), and then the layer must be closed with that reason.
/// </summary>
public interface IUpCheck
{
    /// <summary>Null when the negotiated result is usable; otherwise why not, for the Close and the log.</summary>
    string? CheckUp();
}
