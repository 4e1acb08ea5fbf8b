using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace LinkActors.Ppp.Protocols;

/// <summary>IPv4 addresses as big-endian numbers (0xC0000201 is 192.0.2.1), the form IPCP's options carry.</summary>
public static class Ipv4Address
{
    /// <summary>pppd's stand-in when the peer has no address and noremoteip is off (ipcp_up): 10.64.64.64.</summary>
    public const uint DefaultRemote = 0x0A404040;

    public static uint ToUInt32(IPAddress? address)
    {
        if (address is null)
            return 0;
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("IPCP carries IPv4 addresses only", nameof(address));
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress? ToAddress(uint address)
    {
        if (address == 0)
            return null;
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes);
    }

    public static string Format(uint address) =>
        $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}";

    /// <summary>
    /// Not usable as an interface address: 0.0.0.0, loopback (127/8), multicast (224/4), and class E
    /// (240/4, which holds the limited broadcast 255.255.255.255). pppd's ppp_bad_ip_addr plus zero.
    /// </summary>
    public static bool IsUnusable(uint address) =>
        address == 0
        || (address >> 24) == 127
        || (address >> 28) == 0xE
        || (address >> 28) == 0xF;
}
