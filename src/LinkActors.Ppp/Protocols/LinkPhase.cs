using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Protocols;

/// <summary>The phases of a PPP link (RFC 1661 §3.2).</summary>
public enum LinkPhase
{
    /// <summary>§3.3: no physical link, or LCP not negotiating.</summary>
    Dead,
    /// <summary>§3.4: LCP negotiating.</summary>
    Establish,
    /// <summary>§3.5: LCP Opened; authentication in progress.</summary>
    Authenticate,
    /// <summary>§3.6: NCPs negotiate; data flows once its NCP is Opened.</summary>
    Network,
    /// <summary>§3.7: LCP is closing the link.</summary>
    Terminate,
}

/// <summary>What to do with a received frame.</summary>
public enum FrameDisposition
{
    /// <summary>Hand it to the protocol.</summary>
    Deliver,
    /// <summary>Drop it silently.</summary>
    Discard,
    /// <summary>Answer with an LCP Protocol-Reject (RFC 1661 §5.7).</summary>
    ProtocolReject,
}

/// <summary>
/// Which frames each phase admits, shared by the pure coordinator and the actors. <c>supported</c>
/// says whether this end runs the protocol at all (for a data protocol: runs its NCP).
/// </summary>
public static class LinkPhaseRules
{
    /// <summary>Protocols RFC 1661 §3.5 admits during authentication besides LCP: authentication and link quality.</summary>
    public static bool IsAuthenticationPhaseProtocol(ushort protocol) =>
        protocol is PppProtocol.Pap or PppProtocol.Chap or PppProtocol.Eap or PppProtocol.Lqr;

    public static FrameDisposition Classify(LinkPhase phase, ushort protocol, bool supported)
    {
        if (phase == LinkPhase.Dead)
            return FrameDisposition.Discard;
        // §3.4-3.7: LCP is heard in every phase with a physical link.
        if (protocol == PppProtocol.Lcp)
            return FrameDisposition.Deliver;
        return phase switch
        {
            // §3.4: "Any non-LCP packets received during this phase MUST be silently discarded."
            // §3.7 and pppd: once LCP is no longer Opened, the same holds while terminating.
            LinkPhase.Establish or LinkPhase.Terminate => FrameDisposition.Discard,
            // §3.5: only LCP, authentication and link quality packets; all others silently discarded.
            // One of those we do not run is still a protocol the peer must learn we lack (pppd).
            LinkPhase.Authenticate => !IsAuthenticationPhaseProtocol(protocol) ? FrameDisposition.Discard
                : supported ? FrameDisposition.Deliver : FrameDisposition.ProtocolReject,
            // §5.7: in Network an unsupported protocol is Protocol-Rejected.
            _ => supported ? FrameDisposition.Deliver : FrameDisposition.ProtocolReject,
        };
    }

    /// <summary>The NCP a data protocol needs Opened (RFC 1661 §3.6; 0x0021 IP needs 0x8021 IPCP), or null for a control protocol.</summary>
    public static ushort? NetworkControlProtocolFor(ushort dataProtocol) =>
        PppProtocol.IsControl(dataProtocol) ? null : (ushort)(dataProtocol | 0x8000);
}
