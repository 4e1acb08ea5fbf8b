namespace LinkActors.Ppp.Cmux;

/// <summary>
/// TS 27.010 §5.2.1.3, table 2: the control field's value with the P/F bit clear. Bits are listed 1..8
/// in the standard, least significant first: SABM is 1111P100, so 0x2F.
/// </summary>
public enum CmuxFrameType : byte
{
    /// <summary>Set Asynchronous Balanced Mode: open a DLCI (§5.3.1).</summary>
    Sabm = 0x2F,

    /// <summary>Unnumbered Acknowledgement (§5.3.2).</summary>
    Ua = 0x63,

    /// <summary>Disconnected Mode: the DLCI is closed, or cannot be opened (§5.3.3).</summary>
    Dm = 0x0F,

    /// <summary>Disconnect: close a DLCI (§5.3.4).</summary>
    Disc = 0x43,

    /// <summary>Unnumbered Information with Header check: the FCS covers only the header (§5.3.6).</summary>
    Uih = 0xEF,

    /// <summary>Unnumbered Information: the FCS covers the information too (§5.3.5).</summary>
    Ui = 0x03,
}
