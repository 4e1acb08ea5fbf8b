using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Automaton;

/// <summary>What the peer's Configure-Request deserves (RFC 1661 §5.1-5.4).</summary>
public enum RequestVerdict
{
    /// <summary>Every option acceptable: Configure-Ack echoing the request (RCR+).</summary>
    Ack,
    /// <summary>Some values unacceptable: Configure-Nak carrying the values we would accept (RCR-).</summary>
    Nak,
    /// <summary>Some options unknown or not negotiable: Configure-Reject carrying them byte-exact (RCR-).</summary>
    Reject,
}

/// <summary>
/// The option logic of one control protocol (LCP, IPCP, IPv6CP, ...). The shared engine runs the
/// RFC 1661 automaton and calls these; the policy never sees states, timers or identifiers.
/// </summary>
public interface IControlPolicy
{
    /// <summary>The PPP protocol number, e.g. <see cref="PppProtocol.Lcp"/>.</summary>
    ushort Protocol { get; }

    /// <summary>Short name for traces and logs ("LCP", "IPCP").</summary>
    string Name { get; }

    /// <summary>Forget everything negotiated; called when a new negotiation starts (This-Layer-Started / Open).</summary>
    void Reset();

    /// <summary>Writes the options of our next Configure-Request (scr).</summary>
    void WriteRequest(OptionWriter request);

    /// <summary>
    /// Judges the peer's Configure-Request. For <see cref="RequestVerdict.Nak"/> or
    /// <see cref="RequestVerdict.Reject"/> writes the reply's options into <paramref name="reply"/>;
    /// for Ack leaves it empty (the engine echoes the request). When <paramref name="rejectInsteadOfNak"/>
    /// is set, Max-Failure was reached and options that would be Nak'd are Rejected instead (§4.6).
    /// </summary>
    RequestVerdict JudgeRequest(IReadOnlyList<RawOption> options, OptionWriter reply, bool rejectInsteadOfNak);

    /// <summary>The peer Acked our request; these are the options now in force for our side.</summary>
    void ApplyAck(IReadOnlyList<RawOption> acked);

    /// <summary>The peer Nak'd some of our options with values it wants (§5.3).</summary>
    void ApplyNak(IReadOnlyList<RawOption> nakked);

    /// <summary>The peer Rejected some of our options; we must not request them again (§5.4).</summary>
    void ApplyReject(IReadOnlyList<RawOption> rejected);

    /// <summary>A one-line summary of what was negotiated (for logs and status), e.g. "mru 1500, accm 0x0".</summary>
    string Describe();
}
