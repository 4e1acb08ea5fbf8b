namespace LinkActors.Ppp.Automaton;

/// <summary>
/// The extra an LCP policy gives the engine: with it, the engine also handles the LCP-only codes
/// (RFC 1661 §5.7-5.9: Protocol-Reject, Echo-Request/Reply, Discard-Request).
/// </summary>
public interface ILcpPolicy : IControlPolicy
{
    /// <summary>Our Magic-Number as negotiated, 0 when none was negotiated (§6.4).</summary>
    uint LocalMagic { get; }

    /// <summary>The peer's Magic-Number as negotiated, 0 when none.</summary>
    uint PeerMagic { get; }
}
