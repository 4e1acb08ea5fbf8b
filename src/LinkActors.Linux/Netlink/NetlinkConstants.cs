namespace LinkActors.Linux.Netlink;

/// <summary>Numbers from linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h and linux/if_link.h.</summary>
internal static class NetlinkConstants
{
    // struct nlmsghdr { u32 nlmsg_len; u16 nlmsg_type; u16 nlmsg_flags; u32 nlmsg_seq; u32 nlmsg_pid; }
    internal const int HeaderSize = 16;
    internal const int LengthOffset = 0;
    internal const int TypeOffset = 4;
    internal const int FlagsOffset = 6;
    internal const int SequenceOffset = 8;
    internal const int PortOffset = 12;

    internal const ushort NLMSG_NOOP = 1;
    internal const ushort NLMSG_ERROR = 2;
    internal const ushort NLMSG_DONE = 3;

    internal const ushort NLM_F_REQUEST = 0x1;
    internal const ushort NLM_F_MULTI = 0x2;
    internal const ushort NLM_F_ACK = 0x4;
    internal const ushort NLM_F_DUMP = 0x300;
    internal const ushort NLM_F_EXCL = 0x200;
    internal const ushort NLM_F_CREATE = 0x400;
    // In an NLMSG_ERROR: the request was not echoed in full, and extended-ack TLVs follow.
    internal const ushort NLM_F_CAPPED = 0x100;
    internal const ushort NLM_F_ACK_TLVS = 0x200;
    internal const ushort NLMSGERR_ATTR_MSG = 1;

    internal const ushort RTM_NEWLINK = 16;
    internal const ushort RTM_DELLINK = 17;
    internal const ushort RTM_GETLINK = 18;
    internal const ushort RTM_NEWADDR = 20;
    internal const ushort RTM_DELADDR = 21;
    internal const ushort RTM_NEWROUTE = 24;
    internal const ushort RTM_DELROUTE = 25;
    internal const ushort RTM_GETROUTE = 26;

    // struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index; u32 flags; u32 change; }
    internal const int IfInfoSize = 16;
    internal const int IfInfoIndexOffset = 4;
    internal const int IfInfoFlagsOffset = 8;
    internal const int IfInfoChangeOffset = 12;
    internal const uint IFF_UP = 0x1;
    internal const ushort IFLA_IFNAME = 3;
    internal const ushort IFLA_MTU = 4;

    // struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; }
    internal const int IfAddrSize = 8;
    internal const ushort IFA_ADDRESS = 1;
    internal const ushort IFA_LOCAL = 2;
    internal const byte IFA_F_NODAD = 0x02;
    internal const byte IFA_F_PERMANENT = 0x80;

    // struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; }
    internal const int RtMsgSize = 12;
    internal const ushort RTA_DST = 1;
    internal const ushort RTA_OIF = 4;
    internal const ushort RTA_GATEWAY = 5;
    internal const ushort RTA_PRIORITY = 6;
    internal const ushort RTA_PREFSRC = 7;
    internal const ushort RTA_TABLE = 15;
    internal const byte RT_TABLE_COMPAT = 252;

    internal const byte RT_SCOPE_UNIVERSE = 0;
    internal const byte RT_SCOPE_LINK = 253;
    internal const byte RT_SCOPE_HOST = 254;

    internal static int Align(int length) => (length + 3) & ~3;

    internal static string TypeName(ushort type) => type switch
    {
        RTM_NEWLINK => "RTM_NEWLINK",
        RTM_DELLINK => "RTM_DELLINK",
        RTM_GETLINK => "RTM_GETLINK",
        RTM_NEWADDR => "RTM_NEWADDR",
        RTM_DELADDR => "RTM_DELADDR",
        RTM_NEWROUTE => "RTM_NEWROUTE",
        RTM_DELROUTE => "RTM_DELROUTE",
        RTM_GETROUTE => "RTM_GETROUTE",
        _ => $"netlink type {type}",
    };
}
