using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace LinkActors.Ppp.Packets;

/// <summary>
/// IPCP configuration option types (RFC 1332 §3, RFC 1877) with typed readers and writers.
/// Addresses travel in network order; the <see cref="uint"/> forms hold them as a big-endian
/// number, so 192.0.2.1 is 0xC0000201. A <c>TryRead</c> returns false when the Data length is not
/// the one the RFC fixes for the type.
/// </summary>
public static class IpcpOption
{
    /// <summary>IP-Addresses, RFC 1172 §5.1; deprecated by RFC 1332 §3.1 and never sent by us.</summary>
    public const byte IpAddresses = 1;
    /// <summary>IP-Compression-Protocol, RFC 1332 §3.2.</summary>
    public const byte IpCompressionProtocol = 2;
    /// <summary>IP-Address, RFC 1332 §3.3.</summary>
    public const byte IpAddress = 3;
    /// <summary>Mobile-IPv4, RFC 2290.</summary>
    public const byte MobileIpv4 = 4;
    /// <summary>Primary-DNS-Server-Address, RFC 1877 §1.1.</summary>
    public const byte PrimaryDns = 129;
    /// <summary>Primary-NBNS-Server-Address, RFC 1877 §1.2.</summary>
    public const byte PrimaryNbns = 130;
    /// <summary>Secondary-DNS-Server-Address, RFC 1877 §1.3.</summary>
    public const byte SecondaryDns = 131;
    /// <summary>Secondary-NBNS-Server-Address, RFC 1877 §1.4.</summary>
    public const byte SecondaryNbns = 132;

    /// <summary>Van Jacobson compressed TCP/IP, the one IP-Compression-Protocol RFC 1332 §4 defines.</summary>
    public const ushort VjCompression = PppProtocol.VjCompressedTcp;
    /// <summary>The VJ protocol number some old implementations sent (pppd calls it "old-VJ").</summary>
    public const ushort VjCompressionOld = 0x0037;

    private const int AddressLength = 4;
    private const int VjParametersLength = 2;

    /// <summary>True for the four RFC 1877 server-address option types.</summary>
    public static bool IsServerAddress(byte type) => type is PrimaryDns or PrimaryNbns or SecondaryDns or SecondaryNbns;

    /// <summary>Writes IP-Compression-Protocol: the protocol, then its parameters as given (RFC 1332 §3.2).</summary>
    public static OptionWriter WriteIpCompressionProtocol(OptionWriter writer, ushort protocol, ReadOnlySpan<byte> parameters) =>
        CompressionProtocolOption.Write(writer, IpCompressionProtocol, protocol, parameters);

    /// <summary>Reads IP-Compression-Protocol; the parameters are left raw for the protocol's own reader.</summary>
    public static bool TryReadIpCompressionProtocol(ReadOnlySpan<byte> data, out ushort protocol, out ReadOnlySpan<byte> parameters) =>
        CompressionProtocolOption.TryRead(data, out protocol, out parameters);

    /// <summary>Writes VJ compression with Max-Slot-Id and Comp-Slot-Id (RFC 1332 §4, Length 6).</summary>
    public static OptionWriter WriteVjCompression(OptionWriter writer, byte maxSlotId, bool compressSlotId) =>
        WriteIpCompressionProtocol(writer, VjCompression, [maxSlotId, compressSlotId ? (byte)1 : (byte)0]);

    /// <summary>Reads VJ compression parameters; false for another protocol or a Length other than 6 (RFC 1332 §4).</summary>
    public static bool TryReadVjCompression(ReadOnlySpan<byte> data, out byte maxSlotId, out bool compressSlotId)
    {
        maxSlotId = 0;
        compressSlotId = false;
        if (!TryReadIpCompressionProtocol(data, out ushort protocol, out var parameters)
            || protocol != VjCompression || parameters.Length != VjParametersLength)
            return false;
        maxSlotId = parameters[0];
        compressSlotId = parameters[1] != 0;
        return true;
    }

    // RFC 1332 §3.3: Length is 6; 0.0.0.0 asks the peer to supply an address.
    public static OptionWriter WriteIpAddress(OptionWriter writer, IPAddress address) => WriteAddress(writer, IpAddress, address);

    public static OptionWriter WriteIpAddress(OptionWriter writer, uint address) => writer.WriteUInt32(IpAddress, address);

    public static bool TryReadIpAddress(ReadOnlySpan<byte> data, out IPAddress address) => TryReadAddress(data, out address);

    public static bool TryReadIpAddress(ReadOnlySpan<byte> data, out uint address)
    {
        address = 0;
        if (data.Length != AddressLength)
            return false;
        address = BinaryPrimitives.ReadUInt32BigEndian(data);
        return true;
    }

    // RFC 1877 §1.1-1.4: each is Length 6 holding one IPv4 address.
    public static OptionWriter WritePrimaryDns(OptionWriter writer, IPAddress address) => WriteAddress(writer, PrimaryDns, address);

    public static OptionWriter WriteSecondaryDns(OptionWriter writer, IPAddress address) => WriteAddress(writer, SecondaryDns, address);

    public static OptionWriter WritePrimaryNbns(OptionWriter writer, IPAddress address) => WriteAddress(writer, PrimaryNbns, address);

    public static OptionWriter WriteSecondaryNbns(OptionWriter writer, IPAddress address) => WriteAddress(writer, SecondaryNbns, address);

    /// <summary>Writes any four-octet address option (IP-Address or an RFC 1877 server address).</summary>
    public static OptionWriter WriteAddress(OptionWriter writer, byte type, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("IPCP carries IPv4 addresses only", nameof(address));
        Span<byte> data = stackalloc byte[AddressLength];
        address.TryWriteBytes(data, out _);
        return writer.Write(type, data);
    }

    /// <summary>Reads any four-octet address option (IP-Address or an RFC 1877 server address).</summary>
    public static bool TryReadAddress(ReadOnlySpan<byte> data, out IPAddress address)
    {
        address = System.Net.IPAddress.None;
        if (data.Length != AddressLength)
            return false;
        address = new IPAddress(data);
        return true;
    }
}
