namespace LinkActors.Ppp.Framing;

/// <summary>The 16-bit Frame Check Sequence of PPP in HDLC-like framing (RFC 1662 §C.2): x^16 + x^12 + x^5 + 1.</summary>
public static class Fcs16
{
    public const ushort Initial = 0xFFFF;

    /// <summary>The register after a frame and its own FCS: any other value means the frame is damaged (RFC 1662 §C.2).</summary>
    public const ushort GoodResidue = 0xF0B8;

    private static readonly ReflectedCrc Crc = new(16, 0x11021);

    /// <summary>Runs the register over <paramref name="data"/>, like pppfcs16() in RFC 1662 §C.2.</summary>
    public static ushort Update(ushort fcs, ReadOnlySpan<byte> data) => (ushort)Crc.Update(fcs, data);

    /// <summary>The complemented FCS of <paramref name="data"/>, to be sent least significant octet first (RFC 1662 §C.2).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => (ushort)~Update(Initial, data);

    internal static ushort UpdateWithoutFolding(ushort fcs, ReadOnlySpan<byte> data) => (ushort)Crc.UpdateSliced(fcs, data);
}
