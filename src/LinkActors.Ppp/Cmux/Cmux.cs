namespace LinkActors.Ppp.Cmux;

/// <summary>
/// Constants of the 3GPP TS 27.010 multiplexer, basic option (§5.2.6): every frame is
/// <c>Flag | Address | Control | Length (1 or 2) | Information | FCS | Flag</c>, with no transparency:
/// the Length field, not escaping, says where the Information ends.
/// </summary>
public static class Cmux
{
    /// <summary>TS 27.010 §5.2.6: the basic option's flag (0xF9, not HDLC's 0x7E).</summary>
    public const byte Flag = 0xF9;

    /// <summary>TS 27.010 §5.2.1.2: the EA bit ends an extensible field (address, length, message type).</summary>
    public const byte ExtensionBit = 0x01;

    /// <summary>TS 27.010 §5.2.1.2: the C/R bit of the address field.</summary>
    public const byte CommandResponseBit = 0x02;

    /// <summary>TS 27.010 §5.2.1.3: the P/F bit of the control field.</summary>
    public const byte PollFinalBit = 0x10;

    /// <summary>TS 27.010 §5.6: the control channel.</summary>
    public const int ControlDlci = 0;

    /// <summary>TS 27.010 §5.2.1.2: six bits of DLCI.</summary>
    public const int MaxDlci = 63;

    /// <summary>TS 27.010 §5.7.2: N1's default in the basic option.</summary>
    public const int DefaultN1 = 31;

    /// <summary>TS 27.010 §5.7.2: N1's range is 1..32768.</summary>
    public const int MaxN1 = 32768;

    /// <summary>TS 27.010 §5.2.1.5: a one-octet length holds up to 127; longer takes two octets.</summary>
    public const int MaxShortLength = 127;
}
