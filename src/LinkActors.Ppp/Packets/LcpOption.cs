using System.Buffers.Binary;

namespace LinkActors.Ppp.Packets;

/// <summary>
/// LCP configuration option types (RFC 1661 §6, IANA "PPP LCP Configuration Option Types") and
/// typed readers and writers for the ones this project negotiates. Every <c>TryRead</c> takes the
/// option's Data (what follows Type and Length) and returns false when its length is not the one
/// the RFC fixes for that type: a peer whose Length field lies must not be believed (RFC 1661 §5).
/// </summary>
public static class LcpOption
{
    /// <summary>RFC 2153.</summary>
    public const byte VendorSpecific = 0;
    /// <summary>Maximum-Receive-Unit, RFC 1661 §6.1.</summary>
    public const byte Mru = 1;
    /// <summary>Async-Control-Character-Map, RFC 1662 §7.1.</summary>
    public const byte Accm = 2;
    /// <summary>Authentication-Protocol, RFC 1661 §6.2.</summary>
    public const byte AuthProtocol = 3;
    /// <summary>Quality-Protocol, RFC 1661 §6.3.</summary>
    public const byte QualityProtocol = 4;
    /// <summary>Magic-Number, RFC 1661 §6.4.</summary>
    public const byte MagicNumber = 5;
    /// <summary>Protocol-Field-Compression, RFC 1661 §6.5.</summary>
    public const byte Pfc = 7;
    /// <summary>Address-and-Control-Field-Compression, RFC 1661 §6.6.</summary>
    public const byte Acfc = 8;
    /// <summary>FCS-Alternatives, RFC 1570 §2.1.</summary>
    public const byte FcsAlternatives = 9;
    /// <summary>Self-Describing-Padding, RFC 1570 §2.2.</summary>
    public const byte SelfDescribingPadding = 10;
    /// <summary>Numbered-Mode, RFC 1663.</summary>
    public const byte NumberedMode = 11;
    /// <summary>Callback, RFC 1570 §2.3.</summary>
    public const byte Callback = 13;
    /// <summary>Multilink Maximum-Received-Reconstructed-Unit, RFC 1990 §5.1.1.</summary>
    public const byte Mrru = 17;
    /// <summary>Multilink Short-Sequence-Number-Header-Format, RFC 1990 §5.1.2.</summary>
    public const byte ShortSequenceNumberHeaderFormat = 18;
    /// <summary>Endpoint-Discriminator, RFC 1990 §5.1.3.</summary>
    public const byte EndpointDiscriminator = 19;
    /// <summary>Multilink-Plus-Procedure, RFC 1934.</summary>
    public const byte MultilinkPlusProcedure = 22;
    /// <summary>Link-Discriminator, RFC 2125 §5.1.</summary>
    public const byte LinkDiscriminator = 23;
    /// <summary>LCP-Authentication-Option (pppd's "LCPAUTH").</summary>
    public const byte LcpAuthentication = 24;
    /// <summary>Consistent-Overhead-Byte-Stuffing (COBS).</summary>
    public const byte Cobs = 25;
    /// <summary>Prefix-Elision, RFC 2686.</summary>
    public const byte PrefixElision = 26;
    /// <summary>Multilink-Header-Format, RFC 2686.</summary>
    public const byte MultilinkHeaderFormat = 27;
    /// <summary>Internationalization, RFC 2484.</summary>
    public const byte Internationalization = 28;
    /// <summary>Simple-Data-Link-on-SONET/SDH, RFC 2823.</summary>
    public const byte SimpleDataLink = 29;

    /// <summary>CHAP algorithm octet for MD5 (RFC 1994 §3).</summary>
    public const byte ChapMd5 = 5;
    /// <summary>CHAP algorithm octet for MS-CHAP (RFC 2433 §2).</summary>
    public const byte ChapMicrosoft = 0x80;
    /// <summary>CHAP algorithm octet for MS-CHAP-v2 (RFC 2759 §2).</summary>
    public const byte ChapMicrosoftV2 = 0x81;

    /// <summary>Callback operation meaning "use CBCP" (the value pppd asks for).</summary>
    public const byte CallbackCbcp = 6;

    private const int ShortLength = 2;
    private const int LongLength = 4;
    private const int ChapLength = 3;
    private const int LqrLength = 6;

    /// <summary>The short name pppd uses in its option text, or null for an unnamed type.</summary>
    public static string? Name(byte type) => type switch
    {
        Mru => "mru",
        Accm => "asyncmap",
        AuthProtocol => "auth",
        QualityProtocol => "quality",
        MagicNumber => "magic",
        Pfc => "pcomp",
        Acfc => "accomp",
        Callback => "callback",
        Mrru => "mrru",
        ShortSequenceNumberHeaderFormat => "ssnhf",
        EndpointDiscriminator => "endpoint",
        _ => null,
    };

    // RFC 1661 §6.1: Length is 4, the MRU a 16-bit value.
    public static OptionWriter WriteMru(OptionWriter writer, ushort mru) => writer.WriteUInt16(Mru, mru);

    public static bool TryReadMru(ReadOnlySpan<byte> data, out ushort mru) => TryReadUInt16(data, out mru);

    // RFC 1662 §7.1: Length is 6, the map a 32-bit value, bit 0 the least significant.
    public static OptionWriter WriteAccm(OptionWriter writer, uint accm) => writer.WriteUInt32(Accm, accm);

    public static bool TryReadAccm(ReadOnlySpan<byte> data, out uint accm) => TryReadUInt32(data, out accm);

    // RFC 1661 §6.4: Length is 6.
    public static OptionWriter WriteMagicNumber(OptionWriter writer, uint magic) => writer.WriteUInt32(MagicNumber, magic);

    public static bool TryReadMagicNumber(ReadOnlySpan<byte> data, out uint magic) => TryReadUInt32(data, out magic);

    /// <summary>
    /// Writes Authentication-Protocol: the protocol, then the algorithm octet when one is given
    /// (RFC 1994 §3 requires it for CHAP; RFC 1334 §2.1 has none for PAP).
    /// </summary>
    public static OptionWriter WriteAuthProtocol(OptionWriter writer, ushort protocol, byte? chapAlgorithm)
    {
        Span<byte> data = stackalloc byte[ChapLength];
        BinaryPrimitives.WriteUInt16BigEndian(data, protocol);
        if (chapAlgorithm is { } algorithm)
        {
            data[2] = algorithm;
            return writer.Write(AuthProtocol, data);
        }
        return writer.Write(AuthProtocol, data[..ShortLength]);
    }

    /// <summary>
    /// Reads Authentication-Protocol. CHAP must carry exactly one algorithm octet (RFC 1994 §3,
    /// Length 5); PAP (RFC 1334 §2.1) and EAP (RFC 3748 §3.1) carry none (Length 4). Any other
    /// protocol is accepted with zero or one trailing octet, so the policy can Nak it by name.
    /// </summary>
    public static bool TryReadAuthProtocol(ReadOnlySpan<byte> data, out ushort protocol, out byte? algorithm)
    {
        protocol = 0;
        algorithm = null;
        if (data.Length < ShortLength)
            return false;
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(data);
        switch (value)
        {
            case PppProtocol.Chap when data.Length != ChapLength:
            case PppProtocol.Pap or PppProtocol.Eap when data.Length != ShortLength:
                return false;
        }
        if (data.Length > ChapLength)
            return false;
        protocol = value;
        if (data.Length == ChapLength)
            algorithm = data[2];
        return true;
    }

    /// <summary>Writes Quality-Protocol with LQR's Reporting-Period (RFC 1989 §2.5, in hundredths of a second).</summary>
    public static OptionWriter WriteQualityProtocol(OptionWriter writer, ushort protocol, uint reportingPeriod)
    {
        Span<byte> data = stackalloc byte[LqrLength];
        BinaryPrimitives.WriteUInt16BigEndian(data, protocol);
        BinaryPrimitives.WriteUInt32BigEndian(data[2..], reportingPeriod);
        return writer.Write(QualityProtocol, data);
    }

    /// <summary>Reads Quality-Protocol; for LQR the Length must be 8 (RFC 1989 §2.5).</summary>
    public static bool TryReadQualityProtocol(ReadOnlySpan<byte> data, out ushort protocol, out uint reportingPeriod)
    {
        protocol = 0;
        reportingPeriod = 0;
        if (data.Length != LqrLength)
            return false;
        protocol = BinaryPrimitives.ReadUInt16BigEndian(data);
        reportingPeriod = BinaryPrimitives.ReadUInt32BigEndian(data[2..]);
        return true;
    }

    // RFC 1661 §6.5 and §6.6: both are Length 2, no data.
    public static OptionWriter WritePfc(OptionWriter writer) => writer.WriteEmpty(Pfc);

    public static bool TryReadPfc(ReadOnlySpan<byte> data) => data.IsEmpty;

    public static OptionWriter WriteAcfc(OptionWriter writer) => writer.WriteEmpty(Acfc);

    public static bool TryReadAcfc(ReadOnlySpan<byte> data) => data.IsEmpty;

    // RFC 1990 §5.1.1: Length is 4.
    public static OptionWriter WriteMrru(OptionWriter writer, ushort mrru) => writer.WriteUInt16(Mrru, mrru);

    public static bool TryReadMrru(ReadOnlySpan<byte> data, out ushort mrru) => TryReadUInt16(data, out mrru);

    private static bool TryReadUInt16(ReadOnlySpan<byte> data, out ushort value)
    {
        value = 0;
        if (data.Length != ShortLength)
            return false;
        value = BinaryPrimitives.ReadUInt16BigEndian(data);
        return true;
    }

    private static bool TryReadUInt32(ReadOnlySpan<byte> data, out uint value)
    {
        value = 0;
        if (data.Length != LongLength)
            return false;
        value = BinaryPrimitives.ReadUInt32BigEndian(data);
        return true;
    }
}
