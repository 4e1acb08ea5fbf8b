using System.Net;
using System.Net.Sockets;

namespace LinkActors.Linux.Netlink;

/// <summary>
/// One route of a routing table, as rtnetlink states it. Routes read with <see cref="RtNetlink.GetRoutes"/>
/// carry every field needed to add them back unchanged, which is how a replaced default route is restored.
/// </summary>
/// <param name="Destination">Network address of the destination prefix (0.0.0.0 or :: for a default route).</param>
/// <param name="PrefixLength">0 for a default route.</param>
/// <param name="OutputInterface">Interface index, or null when the gateway alone decides.</param>
/// <param name="Gateway">Next hop, or null for a route straight onto a (point-to-point) link.</param>
/// <param name="Metric">RTA_PRIORITY: lower wins; null lets the kernel choose (0 for IPv4, 1024 for IPv6).</param>
/// <param name="Table">Routing table, 254 = main.</param>
/// <param name="Protocol">Who installed it (RTPROT_*): 3 = boot (as pppd), 4 = static, 16 = dhcp.</param>
/// <param name="Scope">RT_SCOPE_*: 0 = universe (via a gateway), 253 = link (directly attached).</param>
/// <param name="PreferredSource">RTA_PREFSRC, kept so a restored route keeps its source address.</param>
public sealed record Route(
    IPAddress Destination,
    int PrefixLength,
    int? OutputInterface,
    IPAddress? Gateway,
    uint? Metric,
    uint Table = Route.MainTable,
    byte Protocol = Route.BootProtocol,
    byte Scope = Route.LinkScope,
    IPAddress? PreferredSource = null)
{
    public const uint MainTable = 254;
    public const byte BootProtocol = 3;
    public const byte UniverseScope = 0;
    public const byte LinkScope = 253;

    public AddressFamily Family => Destination.AddressFamily;

    public bool IsDefault => PrefixLength == 0;

    /// <summary>A default route straight onto a point-to-point interface, as pppd's `defaultroute` adds it.</summary>
    public static Route DefaultVia(int ifindex, uint? metric = null, AddressFamily family = AddressFamily.InterNetwork) =>
        new(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0, ifindex, null, metric);

    /// <summary>A route to a prefix straight onto an interface.</summary>
    public static Route ToPrefix(IPAddress prefix, int prefixLength, int ifindex, uint? metric = null) =>
        new(prefix, prefixLength, ifindex, null, metric);

    public override string ToString()
    {
        var destination = IsDefault ? "default" : $"{Destination}/{PrefixLength}";
        var via = Gateway is null ? "" : $" via {Gateway}";
        var dev = OutputInterface is { } index ? $" ifindex {index}" : "";
        var metric = Metric is { } m ? $" metric {m}" : "";
        var table = Table == MainTable ? "" : $" table {Table}";
        return $"{destination}{via}{dev}{metric}{table} proto {Protocol} scope {Scope}";
    }
}
