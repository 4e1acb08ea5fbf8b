namespace LinkActors.Ppp.Cmux;

/// <summary>TS 27.010 §5.4.6.3.7, table 7: the control-signal octet of an MSC (bit 1 is EA).</summary>
[Flags]
public enum V24Signals : byte
{
    None = 0,

    /// <summary>FC: the sender cannot accept frames on this DLCI (flow control).</summary>
    FlowControl = 0x02,

    /// <summary>RTC: ready to communicate (DSR/DTR, circuits 107/108).</summary>
    ReadyToCommunicate = 0x04,

    /// <summary>RTR: ready to receive (CTS/RTS, circuits 106/105).</summary>
    ReadyToReceive = 0x08,

    /// <summary>IC: incoming call (RI, circuit 125).</summary>
    IncomingCall = 0x40,

    /// <summary>DV: data valid (DCD, circuit 109): the modem's carrier on that channel.</summary>
    DataValid = 0x80,
}
