using System.Buffers.Binary;
using System.Net;

namespace LinkActors.Ppp.Packets;

/// <summary>
/// IPV6CP configuration option types (RFC 5072 §4) with typed readers and writers.
/// A <c>TryRead</c> returns false when the Data length is not the one the RFC fixes for the type.
/// </summary>
public static class Ipv6cpOption
{
    /// <summary>Interface-Identifier, RFC 5072 §4.1.</summary>
    public const byte InterfaceIdentifier = 1;
    /// <summary>IPv6-Compression-Protocol, RFC 5072 §4.2.</summary>
    public const byte Ipv6CompressionProtocol = 2;

    private const int InterfaceIdentifierLength = 8;

    // RFC 5072 §4.1: Length is 10, the identifier 64 bits in network order; zero means "none yet".
    public static OptionWriter WriteInterfaceIdentifier(OptionWriter writer, ulong identifier)
    {
        Span<byte> data = stackalloc byte[InterfaceIdentifierLength];
        BinaryPrimitives.WriteUInt64BigEndian(data, identifier);
        return writer.Write(InterfaceIdentifier, data);
    }

    public static bool TryReadInterfaceIdentifier(ReadOnlySpan<byte> data, out ulong identifier)
    {
        identifier = 0;
        if (data.Length != InterfaceIdentifierLength)
            return false;
        identifier = BinaryPrimitives.ReadUInt64BigEndian(data);
        return true;
    }

    /// <summary>Writes IPv6-Compression-Protocol: the protocol, then its parameters as given (RFC 5072 §4.2).</summary>
    public static OptionWriter WriteIpv6CompressionProtocol(OptionWriter writer, ushort protocol, ReadOnlySpan<byte> parameters) =>
        CompressionProtocolOption.Write(writer, Ipv6CompressionProtocol, protocol, parameters);

    /// <summary>Reads IPv6-Compression-Protocol; the parameters are left raw for the protocol's own reader.</summary>
    public static bool TryReadIpv6CompressionProtocol(ReadOnlySpan<byte> data, out ushort protocol, out ReadOnlySpan<byte> parameters) =>
        CompressionProtocolOption.TryRead(data, out protocol, out parameters);

    /// <summary>The link-local address fe80::/64 plus the identifier (RFC 5072 §5, RFC 4291 §2.5.6).</summary>
    public static IPAddress LinkLocalAddress(ulong identifier)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes[0] = 0xFE;
        bytes[1] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], identifier);
        return new IPAddress(bytes);
    }
}
