namespace LinkActors.Ppp.Automaton;

/// <summary>Events of the option negotiation automaton (RFC 1661 §4.3).</summary>
public enum ControlEvent
{
    Up,
    Down,
    Open,
    Close,
    /// <summary>TO+: Timeout with counter &gt; 0.</summary>
    TimeoutPlus,
    /// <summary>TO-: Timeout with counter expired.</summary>
    TimeoutMinus,
    /// <summary>RCR+: Receive-Configure-Request (Good).</summary>
    RcrPlus,
    /// <summary>RCR-: Receive-Configure-Request (Bad).</summary>
    RcrMinus,
    /// <summary>RCA: Receive-Configure-Ack.</summary>
    Rca,
    /// <summary>RCN: Receive-Configure-Nak/Rej.</summary>
    Rcn,
    /// <summary>RTR: Receive-Terminate-Request.</summary>
    Rtr,
    /// <summary>RTA: Receive-Terminate-Ack.</summary>
    Rta,
    /// <summary>RUC: Receive-Unknown-Code.</summary>
    Ruc,
    /// <summary>RXJ+: Receive-Code-Reject (permitted) or Receive-Protocol-Reject.</summary>
    RxjPlus,
    /// <summary>RXJ-: Receive-Code-Reject (catastrophic) or Receive-Protocol-Reject.</summary>
    RxjMinus,
    /// <summary>RXR: Receive-Echo-Request, Receive-Echo-Reply or Receive-Discard-Request.</summary>
    Rxr,
}
