namespace LinkActors.Ppp.Automaton;

/// <summary>What one control protocol's engine has seen and done, for status, metrics and post-mortems.</summary>
public sealed class ControlCounters
{
    public long PacketsReceived { get; internal set; }
    public long PacketsSent { get; internal set; }

    /// <summary>Packets RFC 1661 says to discard silently: malformed, stale identifier, altered Ack, bogus Reject.</summary>
    public long DiscardedPackets { get; internal set; }

    /// <summary>Configure-Requests with an option that could not be parsed, answered with a Configure-Reject of it (§5.4, as pppd).</summary>
    public long MalformedOptionsRejected { get; internal set; }

    /// <summary>Events the transition table marks "-" (e.g. a packet before Up, a timeout in Opened).</summary>
    public long IllegalEvents { get; internal set; }

    public long Timeouts { get; internal set; }
    public long ConfReqsSent { get; internal set; }
    public long ConfAcksSent { get; internal set; }
    public long ConfNaksSent { get; internal set; }
    public long ConfRejsSent { get; internal set; }
    public long TermReqsSent { get; internal set; }
    public long TermAcksSent { get; internal set; }
    public long CodeRejsSent { get; internal set; }
    public long ProtRejsSent { get; internal set; }
    public long EchoReqsSent { get; internal set; }
    public long EchoRepsSent { get; internal set; }

    /// <summary>A copy that no longer changes, to publish.</summary>
    public ControlCounters Snapshot() => (ControlCounters)MemberwiseClone();
}
