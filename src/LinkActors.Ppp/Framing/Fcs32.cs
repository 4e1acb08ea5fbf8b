namespace LinkActors.Ppp.Framing;

/// <summary>The 32-bit Frame Check Sequence (RFC 1662 §C.3), the same CRC as Ethernet's.</summary>
public static class Fcs32
{
    public const uint Initial = 0xFFFFFFFF;

    /// <summary>The register after a frame and its own FCS when the frame is intact (RFC 1662 §C.3).</summary>
    public const uint GoodResidue = 0xDEBB20E3;

    private static readonly ReflectedCrc Crc = new(32, 0x104C11DB7);

    /// <summary>Runs the register over <paramref name="data"/>, like pppfcs32() in RFC 1662 §C.3.</summary>
    public static uint Update(uint fcs, ReadOnlySpan<byte> data) => Crc.Update(fcs, data);

    /// <summary>The complemented FCS of <paramref name="data"/>, to be sent least significant octet first (RFC 1662 §C.3).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(Initial, data);

    internal static uint UpdateWithoutFolding(uint fcs, ReadOnlySpan<byte> data) => Crc.UpdateSliced(fcs, data);
}
