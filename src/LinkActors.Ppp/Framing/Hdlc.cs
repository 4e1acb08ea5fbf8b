namespace LinkActors.Ppp.Framing;

/// <summary>The octets of HDLC-like framing (RFC 1662 §3.1, §4.2).</summary>
public static class Hdlc
{
    /// <summary>Flag Sequence: opens and closes every frame (RFC 1662 §3.1).</summary>
    public const byte Flag = 0x7E;

    /// <summary>Control Escape: the next octet was exclusive-or'd with <see cref="EscapeBit"/> (RFC 1662 §4.2).</summary>
    public const byte ControlEscape = 0x7D;

    public const byte EscapeBit = 0x20;

    /// <summary>All-Stations address, the only one PPP uses (RFC 1662 §3.1).</summary>
    public const byte AllStationsAddress = 0xFF;

    /// <summary>Unnumbered Information command with the P/F bit clear (RFC 1662 §3.1).</summary>
    public const byte UnnumberedInformation = 0x03;

    public const int FcsLength = 2;

    /// <summary>
    /// The vector instructions the encoder and decoder use on this machine, as the runtime allows them
    /// (DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0 each step down).
    /// </summary>
    public static HdlcVectorPath VectorPath => OctetSet.Path;
}
