namespace LinkActors.Ppp.Packets;

/// <summary>PPP protocol field values (RFC 1661 §2, IANA "PPP DLL Protocol Numbers").</summary>
public static class PppProtocol
{
    public const ushort Ipv4 = 0x0021;
    public const ushort VjCompressedTcp = 0x002D;
    public const ushort VjUncompressedTcp = 0x002F;
    public const ushort Ipv6 = 0x0057;
    public const ushort Compressed = 0x00FD;
    public const ushort Ipcp = 0x8021;
    public const ushort Ipv6cp = 0x8057;
    public const ushort Ccp = 0x80FD;
    public const ushort Lcp = 0xC021;
    public const ushort Pap = 0xC023;
    public const ushort Lqr = 0xC025;
    public const ushort Chap = 0xC223;
    public const ushort Eap = 0xC227;

    /// <summary>The name pppd prints for a protocol, or its number in hex.</summary>
    public static string Name(ushort protocol) => protocol switch
    {
        Ipv4 => "IP",
        VjCompressedTcp => "VJC_COMP",
        VjUncompressedTcp => "VJC_UNCOMP",
        Ipv6 => "IPV6",
        Compressed => "COMP",
        Ipcp => "IPCP",
        Ipv6cp => "IPV6CP",
        Ccp => "CCP",
        Lcp => "LCP",
        Pap => "PAP",
        Lqr => "LQR",
        Chap => "CHAP",
        Eap => "EAP",
        _ => $"0x{protocol:x4}",
    };

    /// <summary>RFC 1661 §2: 0xC000-0xFFFF and 0x8000-0xBFFF are control protocols; the rest carry data.</summary>
    public static bool IsControl(ushort protocol) => protocol >= 0x8000;

    /// <summary>RFC 1661 §2: the low bit of the least significant octet is 1 and of the most significant octet is 0.</summary>
    public static bool IsValid(ushort protocol) => (protocol & 0x0101) == 0x0001;
}
