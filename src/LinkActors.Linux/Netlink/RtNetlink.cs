using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LinkActors.Linux.Interop;
using static LinkActors.Linux.Netlink.NetlinkConstants;

namespace LinkActors.Linux.Netlink;

/// <summary>
/// A NETLINK_ROUTE socket: links up and down, MTU, addresses, routes. Every change asks for an ACK and
/// throws <see cref="NetlinkException"/> with the kernel's errno when refused. One request at a time
/// (calls are serialized); the socket belongs to the network namespace of the thread that created it.
/// </summary>
public sealed class RtNetlink : IDisposable
{
    private const int RequestBufferSize = 512;
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly byte[] _request = new byte[RequestBufferSize];
    private readonly byte[] _receive = new byte[ReceiveBufferSize];
    private readonly Lock _gate = new();
    private uint _sequence;

    /// <param name="replyTimeout">How long to wait for the kernel's answer; it answers at once unless something is badly wrong.</param>
    public RtNetlink(TimeSpan? replyTimeout = null)
    {
        // new Socket(AddressFamily, ...) refuses AF_NETLINK, so the descriptor comes from libc and is wrapped.
        var fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        if (fd < 0)
            throw new IOException($"Cannot open a NETLINK_ROUTE socket: {Libc.Describe(Libc.LastError)}");
        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        try
        {
            // Ask for the kernel's error text, and for errors that do not echo our whole request back.
            EnableOption(handle, Libc.NETLINK_EXT_ACK);
            EnableOption(handle, Libc.NETLINK_CAP_ACK);
            _socket = new Socket(handle) { ReceiveTimeout = (int)(replyTimeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds };
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>if_nametoindex(3) in the calling thread's network namespace; 0 when there is no such interface.</summary>
    public static int NameToIndex(string name) => (int)Libc.IfNameToIndex(name);

    /// <summary>The index of an interface, in this socket's network namespace.</summary>
    public int GetLinkIndex(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var index = 0;
        Exchange(RTM_GETLINK, 0, $"RTM_GETLINK {name}",
            (ref NetlinkWriter w) =>
            {
                w.FamilyHeader(IfInfoSize);
                Span<byte> nameBytes = stackalloc byte[Encoding.ASCII.GetByteCount(name) + 1];
                Encoding.ASCII.GetBytes(name, nameBytes);
                w.Attribute(IFLA_IFNAME, nameBytes);
            },
            (type, payload) =>
            {
                if (type == RTM_NEWLINK && payload.Length >= IfInfoSize)
                    index = BinaryPrimitives.ReadInt32LittleEndian(payload[IfInfoIndexOffset..]);
            });
        return index;
    }

    /// <summary>Sets or clears IFF_UP (`ip link set dev X up|down`).</summary>
    public void SetLinkUp(int ifindex, bool up = true) =>
        Exchange(RTM_NEWLINK, 0, $"RTM_NEWLINK ifindex {ifindex} {(up ? "up" : "down")}",
            (ref NetlinkWriter w) =>
            {
                var info = w.FamilyHeader(IfInfoSize);
                BinaryPrimitives.WriteInt32LittleEndian(info[IfInfoIndexOffset..], ifindex);
                BinaryPrimitives.WriteUInt32LittleEndian(info[IfInfoFlagsOffset..], up ? IFF_UP : 0);
                BinaryPrimitives.WriteUInt32LittleEndian(info[IfInfoChangeOffset..], IFF_UP);
            });

    public void SetLinkDown(int ifindex) => SetLinkUp(ifindex, up: false);

    /// <summary>Deletes an interface (`ip link del dev X`): how a leftover of a crashed instance is removed.</summary>
    public void DeleteLink(int ifindex) =>
        Exchange(RTM_DELLINK, 0, $"RTM_DELLINK ifindex {ifindex}",
            (ref NetlinkWriter w) =>
            {
                var info = w.FamilyHeader(IfInfoSize);
                BinaryPrimitives.WriteInt32LittleEndian(info[IfInfoIndexOffset..], ifindex);
            });

    public void SetMtu(int ifindex, int mtu) =>
        Exchange(RTM_NEWLINK, 0, $"RTM_NEWLINK ifindex {ifindex} mtu {mtu}",
            (ref NetlinkWriter w) =>
            {
                var info = w.FamilyHeader(IfInfoSize);
                BinaryPrimitives.WriteInt32LittleEndian(info[IfInfoIndexOffset..], ifindex);
                w.Attribute(IFLA_MTU, (uint)mtu);
            });

    /// <summary>
    /// Adds an address. With a peer (a point-to-point link) IFA_LOCAL is ours and IFA_ADDRESS the peer's,
    /// with a host prefix, so the kernel adds the route to the peer itself; without one it is a plain address.
    /// </summary>
    public void AddAddress(int ifindex, IPAddress local, IPAddress? peer = null, int? prefixLength = null) =>
        ChangeAddress(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex, local, peer, prefixLength);

    public void DeleteAddress(int ifindex, IPAddress local, IPAddress? peer = null, int? prefixLength = null) =>
        ChangeAddress(RTM_DELADDR, 0, ifindex, local, peer, prefixLength);

    /// <summary>
    /// Adds the IPv6 link-local address IPV6CP agreed on (fe80::our-identifier, peer fe80::their-identifier),
    /// /128 and without duplicate address detection: the identifiers were negotiated, DAD would only delay.
    /// </summary>
    public void AddIpv6LinkLocal(int ifindex, ulong localIdentifier, ulong? peerIdentifier = null) =>
        AddAddress(ifindex, Ipv6LinkLocal(localIdentifier), peerIdentifier is { } p ? Ipv6LinkLocal(p) : null, 128);

    /// <summary>fe80::/64 followed by a 64-bit interface identifier (RFC 5072 §4.1).</summary>
    public static IPAddress Ipv6LinkLocal(ulong interfaceIdentifier)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        bytes[0] = 0xFE;
        bytes[1] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], interfaceIdentifier);
        return new IPAddress(bytes);
    }

    public void AddRoute(Route route) =>
        ChangeRoute(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, route);

    public void DeleteRoute(Route route) =>
        ChangeRoute(RTM_DELROUTE, 0, route);

    /// <summary>The unicast routes of one table (default: main) for one address family.</summary>
    public IReadOnlyList<Route> GetRoutes(AddressFamily family = AddressFamily.InterNetwork, uint table = Route.MainTable)
    {
        var familyCode = FamilyCode(family);
        var routes = new List<Route>();
        Exchange(RTM_GETROUTE, NLM_F_DUMP, $"RTM_GETROUTE dump {family}",
            (ref NetlinkWriter w) => w.FamilyHeader(RtMsgSize)[0] = familyCode,
            (type, payload) =>
            {
                if (type == RTM_NEWROUTE && ParseRoute(payload, familyCode) is { } route && route.Table == table)
                    routes.Add(route);
            });
        return routes;
    }

    /// <summary>The current default routes of the main table, in the kernel's order.</summary>
    public IReadOnlyList<Route> GetDefaultRoutes(AddressFamily family = AddressFamily.InterNetwork) =>
        GetRoutes(family).Where(r => r.IsDefault).ToList();

    /// <summary>
    /// pppd's `replacedefaultroute`: removes the existing default routes of <paramref name="ours"/>'s family
    /// and adds ours; returns what was removed, to hand to <see cref="RestoreDefaultRoutes"/>. If ours cannot
    /// be added the removed routes are put back before the error is thrown.
    /// </summary>
    public IReadOnlyList<Route> ReplaceDefaultRoutes(Route ours)
    {
        ArgumentNullException.ThrowIfNull(ours);
        if (!ours.IsDefault)
            throw new ArgumentException($"{ours} is not a default route.", nameof(ours));
        var replaced = GetDefaultRoutes(ours.Family);
        var removed = new List<Route>();
        try
        {
            foreach (var route in replaced)
            {
                DeleteRoute(route);
                removed.Add(route);
            }
            AddRoute(ours);
            return removed;
        }
        catch
        {
            RestoreQuietly(removed);
            throw;
        }
    }

    /// <summary>Removes our default route (if still there) and adds back the ones it replaced.</summary>
    public void RestoreDefaultRoutes(Route ours, IReadOnlyList<Route> replaced)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(replaced);
        try
        {
            DeleteRoute(ours);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ESRCH /* already gone with its interface */)
        {
        }
        foreach (var route in replaced)
        {
            try
            {
                AddRoute(route);
            }
            catch (NetlinkException e) when (e.Errno == Errno.EEXIST /* someone else put it back */)
            {
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    private void RestoreQuietly(IEnumerable<Route> routes)
    {
        foreach (var route in routes)
        {
            try
            {
                AddRoute(route);
            }
            catch (NetlinkException)
            {
                // Best effort while reporting the original failure.
            }
        }
    }

    private void ChangeAddress(ushort type, ushort flags, int ifindex, IPAddress local, IPAddress? peer, int? prefixLength)
    {
        ArgumentNullException.ThrowIfNull(local);
        var family = FamilyCode(local.AddressFamily);
        var hostBits = family == Libc.AF_INET ? 32 : 128;
        if (peer is not null && peer.AddressFamily != local.AddressFamily)
            throw new ArgumentException($"Peer {peer} is not of the same family as {local}.", nameof(peer));
        var prefix = prefixLength ?? hostBits;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefix, hostBits, nameof(prefixLength));
        var description = $"{TypeName(type)} {local}{(peer is null ? "" : $" peer {peer}")}/{prefix} on ifindex {ifindex}";
        Exchange(type, flags, description,
            (ref NetlinkWriter w) =>
            {
                var header = w.FamilyHeader(IfAddrSize);
                header[0] = family;
                header[1] = (byte)prefix;
                header[2] = family == Libc.AF_INET6 ? (byte)(IFA_F_NODAD | IFA_F_PERMANENT) : IFA_F_PERMANENT;
                header[3] = family == Libc.AF_INET6 && local.IsIPv6LinkLocal ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
                BinaryPrimitives.WriteInt32LittleEndian(header[4..], ifindex);
                w.Attribute(IFA_LOCAL, local);
                w.Attribute(IFA_ADDRESS, peer ?? local);
            });
    }

    private void ChangeRoute(ushort type, ushort flags, Route route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var family = FamilyCode(route.Family);
        Exchange(type, flags, $"{TypeName(type)} {route}",
            (ref NetlinkWriter w) =>
            {
                var header = w.FamilyHeader(RtMsgSize);
                header[0] = family;
                header[1] = (byte)route.PrefixLength;
                header[4] = route.Table < 256 ? (byte)route.Table : RT_TABLE_COMPAT;
                header[5] = route.Protocol;
                header[6] = route.Scope;
                header[7] = 1; // RTN_UNICAST
                if (!route.IsDefault)
                    w.Attribute(RTA_DST, route.Destination);
                w.Attribute(RTA_TABLE, route.Table);
                if (route.OutputInterface is { } oif)
                    w.Attribute(RTA_OIF, (uint)oif);
                if (route.Gateway is { } gateway)
                    w.Attribute(RTA_GATEWAY, gateway);
                if (route.Metric is { } metric)
                    w.Attribute(RTA_PRIORITY, metric);
                if (route.PreferredSource is { } source)
                    w.Attribute(RTA_PREFSRC, source);
            });
    }

    private static Route? ParseRoute(ReadOnlySpan<byte> payload, byte family)
    {
        if (payload.Length < RtMsgSize || payload[0] != family || payload[7] != 1 /* RTN_UNICAST */)
            return null;
        var prefixLength = payload[1];
        uint table = payload[4];
        var protocol = payload[5];
        var scope = payload[6];
        var destination = family == Libc.AF_INET6 ? IPAddress.IPv6Any : IPAddress.Any;
        int? oif = null;
        IPAddress? gateway = null, source = null;
        uint? metric = null;
        var attributes = new NetlinkAttributes(payload[Align(RtMsgSize)..]);
        while (attributes.MoveNext())
        {
            switch (attributes.Type)
            {
                case RTA_DST: destination = attributes.ValueAsAddress(); break;
                case RTA_OIF: oif = (int)attributes.ValueAsUInt32(); break;
                case RTA_GATEWAY: gateway = attributes.ValueAsAddress(); break;
                case RTA_PRIORITY: metric = attributes.ValueAsUInt32(); break;
                case RTA_PREFSRC: source = attributes.ValueAsAddress(); break;
                case RTA_TABLE: table = attributes.ValueAsUInt32(); break;
            }
        }
        return new Route(destination, prefixLength, oif, gateway, metric, table, protocol, scope, source);
    }

    private static byte FamilyCode(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => Libc.AF_INET,
        AddressFamily.InterNetworkV6 => Libc.AF_INET6,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Only IPv4 and IPv6 are routed here."),
    };

    private static unsafe void EnableOption(SafeSocketHandle handle, int option)
    {
        var one = 1;
        // Older kernels lack these options; the requests still work, only the error text is missing.
        _ = Libc.SetSockOpt(handle, Libc.SOL_NETLINK, option, &one, sizeof(int));
    }

    private delegate void BuildRequest(ref NetlinkWriter writer);

    private delegate void OnReply(ushort type, ReadOnlySpan<byte> payload);

    /// <summary>
    /// Sends one request and reads until it is answered: an ACK (NLMSG_ERROR with error 0) for a change,
    /// NLMSG_DONE for a dump. Messages of other sequence numbers (late answers to a timed-out request) are skipped.
    /// </summary>
    private void Exchange(ushort type, ushort flags, string description, BuildRequest build, OnReply? onReply = null)
    {
        lock (_gate)
        {
            var sequence = ++_sequence;
            var isDump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
            var requestFlags = (ushort)(NLM_F_REQUEST | flags | (isDump ? 0 : NLM_F_ACK));
            var writer = new NetlinkWriter(_request, type, requestFlags, sequence);
            build(ref writer);
            try
            {
                _socket.Send(writer.Complete());
                while (true)
                {
                    var received = _socket.Receive(_receive);
                    if (received <= 0)
                        throw new NetlinkException($"{description}: the netlink socket closed");
                    if (ReadReplies(_receive.AsSpan(0, received), sequence, description, onReply))
                        return;
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                throw new NetlinkException($"{description}: no answer from the kernel within {_socket.ReceiveTimeout} ms", e);
            }
        }
    }

    /// <returns>true once the request is fully answered.</returns>
    private static bool ReadReplies(ReadOnlySpan<byte> datagram, uint sequence, string description, OnReply? onReply)
    {
        while (datagram.Length >= HeaderSize)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram[LengthOffset..]);
            if (length < HeaderSize || length > datagram.Length)
                throw new NetlinkException($"{description}: malformed reply (nlmsg_len {length} of {datagram.Length} bytes)");
            var type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[TypeOffset..]);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(datagram[FlagsOffset..]);
            var replySequence = BinaryPrimitives.ReadUInt32LittleEndian(datagram[SequenceOffset..]);
            var payload = datagram[HeaderSize..length];
            datagram = datagram[Math.Min(Align(length), datagram.Length)..];
            if (replySequence != sequence)
                continue;
            switch (type)
            {
                case NLMSG_DONE:
                    return true;
                case NLMSG_ERROR:
                    // struct nlmsgerr { int error; struct nlmsghdr msg; [request payload]; [TLVs] }
                    var error = payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(payload) : -Errno.EPERM;
                    if (error == 0)
                        return true;
                    throw new NetlinkException(description, -error, ExtendedAckMessage(payload, flags));
                case NLMSG_NOOP:
                    break;
                default:
                    onReply?.Invoke(type, payload);
                    break;
            }
        }
        return false;
    }

    private static string? ExtendedAckMessage(ReadOnlySpan<byte> errorPayload, ushort flags)
    {
        if ((flags & NLM_F_ACK_TLVS) == 0 || errorPayload.Length < 4 + HeaderSize)
            return null;
        var echoed = (flags & NLM_F_CAPPED) != 0
            ? HeaderSize
            : (int)BinaryPrimitives.ReadUInt32LittleEndian(errorPayload[4..]);
        var offset = 4 + Align(echoed);
        if (offset > errorPayload.Length)
            return null;
        var attributes = new NetlinkAttributes(errorPayload[offset..]);
        while (attributes.MoveNext())
        {
            if (attributes.Type == NLMSGERR_ATTR_MSG)
            {
                var text = attributes.Value;
                var end = text.IndexOf((byte)0);
                return Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
            }
        }
        return null;
    }
}
