namespace LinkActors.Ppp.Cmux;

/// <summary>
/// TS 27.010 §5.4.6.3: control channel message types, as the type octet with EA set and C/R clear (bits
/// listed 1..8 in the standard: MSC is 1 C/R 0 0 0 1 1 1, so 0xE1; a command adds C/R, 0x02).
/// </summary>
public enum CmuxMessageType : byte
{
    /// <summary>DLC parameter negotiation (§5.4.6.3.1).</summary>
    Pn = 0x81,

    /// <summary>Power saving control (§5.4.6.3.2).</summary>
    Psc = 0x41,

    /// <summary>Multiplexer close down (§5.4.6.3.3).</summary>
    Cld = 0xC1,

    /// <summary>Test: the responder echoes the value (§5.4.6.3.4).</summary>
    Test = 0x21,

    /// <summary>Flow control on: all DLCIs (§5.4.6.3.5).</summary>
    FcOn = 0xA1,

    /// <summary>Flow control off: all DLCIs (§5.4.6.3.6).</summary>
    FcOff = 0x61,

    /// <summary>Modem status: V.24 signals of one DLCI (§5.4.6.3.7).</summary>
    Msc = 0xE1,

    /// <summary>Non supported command response (§5.4.6.3.8).</summary>
    Nsc = 0x11,

    /// <summary>Remote port negotiation (§5.4.6.3.9).</summary>
    Rpn = 0x91,

    /// <summary>Remote line status (§5.4.6.3.10).</summary>
    Rls = 0x51,

    /// <summary>Service negotiation (§5.4.6.3.11).</summary>
    Snc = 0xD1,
}
