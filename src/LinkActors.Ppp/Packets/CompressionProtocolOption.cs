using System.Buffers.Binary;

namespace LinkActors.Ppp.Packets;

/// <summary>
/// The one layout of IPCP's IP-Compression-Protocol (RFC 1332 §3.2) and IPv6CP's IPv6-Compression-Protocol
/// (RFC 5072 §4.2): a 2-octet protocol, then that protocol's parameters.
/// </summary>
internal static class CompressionProtocolOption
{
    private const int ProtocolLength = 2;

    public static OptionWriter Write(OptionWriter writer, byte type, ushort protocol, ReadOnlySpan<byte> parameters)
    {
        Span<byte> data = stackalloc byte[ProtocolLength + parameters.Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, protocol);
        parameters.CopyTo(data[ProtocolLength..]);
        return writer.Write(type, data);
    }

    /// <summary>The parameters are left raw for the protocol's own reader.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out ushort protocol, out ReadOnlySpan<byte> parameters)
    {
        protocol = 0;
        parameters = default;
        if (data.Length < ProtocolLength)
            return false;
        protocol = BinaryPrimitives.ReadUInt16BigEndian(data);
        parameters = data[ProtocolLength..];
        return true;
    }
}
