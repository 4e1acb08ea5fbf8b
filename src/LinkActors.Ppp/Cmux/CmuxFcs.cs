namespace LinkActors.Ppp.Cmux;

/// <summary>
/// TS 27.010 §5.2.1.6 and Annex B: an 8-bit CRC with generator x^8 + x^2 + x + 1, computed over the octets
/// as sent (least significant bit first, hence the reflected polynomial 0xE0), starting from 0xFF; the FCS
/// sent is the ones' complement of the result. A receiver running the same CRC over the covered octets and
/// the FCS gets the constant 0xCF when nothing was damaged (Annex B.3.5).
/// </summary>
public static class CmuxFcs
{
    /// <summary>Annex B.3.5: the register's value after a good FCS.</summary>
    public const byte GoodRemainder = 0xCF;

    private const byte Initial = 0xFF;
    private const byte ReflectedPolynomial = 0xE0;

    private static readonly byte[] Table = BuildTable();

    /// <summary>Annex B.3.4: the FCS to send after <paramref name="covered"/>.</summary>
    public static byte Compute(ReadOnlySpan<byte> covered) => (byte)(0xFF - Update(Initial, covered));

    /// <summary>Annex B.3.5: whether <paramref name="fcs"/> is right for <paramref name="covered"/>.</summary>
    public static bool Check(ReadOnlySpan<byte> covered, byte fcs) => Step(Update(Initial, covered), fcs) == GoodRemainder;

    internal static byte Update(byte crc, ReadOnlySpan<byte> octets)
    {
        foreach (var octet in octets)
            crc = Step(crc, octet);
        return crc;
    }

    private static byte Step(byte crc, byte octet) => Table[crc ^ octet];

    private static byte[] BuildTable()
    {
        var table = new byte[256];
        for (int i = 0; i < 256; i++)
        {
            int crc = i;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            table[i] = (byte)crc;
        }
        return table;
    }
}
