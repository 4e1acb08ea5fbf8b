using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinkActors.Linux.Netlink;
using LinkActors.Linux.Tests.Support;
using LinkActors.Linux.Tun;

namespace LinkActors.Linux.Tests.Netlink;

public sealed class RtNetlinkTests : IDisposable
{
    private static readonly IPAddress Local = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.2");

    private readonly NetworkNamespace _ns = new();
    private readonly RtNetlink _netlink;

    public RtNetlinkTests() => _netlink = _ns.Enter(() => new RtNetlink());

    public void Dispose()
    {
        _netlink.Dispose();
        _ns.Dispose();
    }

    [Fact]
    public void GetLinkIndex_TunInNamespace_MatchesDeviceIndex()
    {
        using var tun = _ns.Enter(() => new TunDevice("la%d"));
        Assert.Equal(tun.Index, _netlink.GetLinkIndex(tun.Name));
        Assert.Equal(tun.Index, _ns.Enter(() => RtNetlink.NameToIndex(tun.Name)));
        Assert.Equal(0, _ns.Enter(() => RtNetlink.NameToIndex("la-missing")));
    }

    [Fact]
    public void AddAddress_WithPeer_IsPointToPointHostAddress()
    {
        using var tun = _ns.Enter(() => new TunDevice("la%d"));
        _netlink.AddAddress(tun.Index, Local, Peer);
        _netlink.SetMtu(tun.Index, 1400);
        _netlink.SetLinkUp(tun.Index);

        var link = _ns.IpJson("addr", "show", "dev", tun.Name)[0];
        Assert.Equal(1400, link.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", Flags(link));
        var address = Assert.Single(link.GetProperty("addr_info").EnumerateArray(), a => a.GetProperty("family").GetString() == "inet");
        Assert.Equal("192.0.2.1", address.GetProperty("local").GetString());
        Assert.Equal("192.0.2.2", address.GetProperty("address").GetString());
        Assert.Equal(32, address.GetProperty("prefixlen").GetInt32());

        // The kernel adds the host route to the peer by itself.
        var route = Assert.Single(_ns.IpJson("route", "show", "dev", tun.Name).EnumerateArray());
        Assert.Equal("192.0.2.2", route.GetProperty("dst").GetString());
    }

    [Fact]
    public void DeleteAddress_WithPeer_RemovesIt()
    {
        using var tun = _ns.Enter(() => new TunDevice("la%d"));
        _netlink.AddAddress(tun.Index, Local, Peer);
        _netlink.DeleteAddress(tun.Index, Local, Peer);
        Assert.Empty(Addresses(tun.Name, "inet"));
    }

    [Fact]
    public void AddAddress_WithoutPeer_UsesGivenPrefix()
    {
        using var tun = _ns.Enter(() => new TunDevice("la%d"));
        _netlink.AddAddress(tun.Index, IPAddress.Parse("198.51.100.7"), prefixLength: 24);
        var address = Assert.Single(Addresses(tun.Name, "inet"));
        Assert.Equal("198.51.100.7", address.GetProperty("local").GetString());
        Assert.Equal(24, address.GetProperty("prefixlen").GetInt32());
        Assert.False(address.TryGetProperty("address", out _));
    }

    [Fact]
    public void SetLinkDown_AfterUp_ClearsUpFlag()
    {
        using var tun = _ns.Enter(() => new TunDevice("la%d"));
        _netlink.SetLinkUp(tun.Index);
        Assert.Contains("UP", Flags(_ns.IpJson("link", "show", "dev", tun.Name)[0]));
        _netlink.SetLinkDown(tun.Index);
        Assert.DoesNotContain("UP", Flags(_ns.IpJson("link", "show", "dev", tun.Name)[0]));
    }

    [Fact]
    public void AddIpv6LinkLocal_NegotiatedIdentifiers_AddsHostAddressWithPeer()
    {
        using var tun = _ns.Enter(() => new TunDevice("la%d"));
        _netlink.SetLinkUp(tun.Index);
        _netlink.AddIpv6LinkLocal(tun.Index, 0x0211_22ff_fe33_4455, 0x0266_77ff_fe88_9900);

        var address = Assert.Single(Addresses(tun.Name, "inet6"), a => a.GetProperty("local").GetString() == "fe80::211:22ff:fe33:4455");
        Assert.Equal("fe80::266:77ff:fe88:9900", address.GetProperty("address").GetString());
        Assert.Equal(128, address.GetProperty("prefixlen").GetInt32());
        Assert.Equal("link", address.GetProperty("scope").GetString());
        Assert.Equal(IPAddress.Parse("fe80::1"), RtNetlink.Ipv6LinkLocal(1));
    }

    [Fact]
    public void AddRoute_ToPrefixWithMetric_ThenDelete()
    {
        using var tun = UpTun();
        var route = Route.ToPrefix(IPAddress.Parse("198.51.100.0"), 24, tun.Index, metric: 42);
        _netlink.AddRoute(route);

        var shown = Assert.Single(_ns.IpJson("route", "show", "198.51.100.0/24").EnumerateArray());
        Assert.Equal(tun.Name, shown.GetProperty("dev").GetString());
        Assert.Equal(42, shown.GetProperty("metric").GetInt32());
        Assert.Contains(_netlink.GetRoutes(), r => r.Destination.Equals(IPAddress.Parse("198.51.100.0")) && r.PrefixLength == 24 && r.Metric == 42);

        _netlink.DeleteRoute(route);
        Assert.Empty(_ns.IpJson("route", "show", "198.51.100.0/24").EnumerateArray());
    }

    [Fact]
    public void AddRoute_Twice_FailsWithEexist()
    {
        using var tun = UpTun();
        var route = Route.DefaultVia(tun.Index, metric: 100);
        _netlink.AddRoute(route);
        var e = Assert.Throws<NetlinkException>(() => _netlink.AddRoute(route));
        Assert.Equal(17, e.Errno);
        Assert.Equal("EEXIST", e.ErrnoName);
    }

    [Fact]
    public void DefaultRoute_WithMetric_AddedShownAndRemoved()
    {
        using var tun = UpTun();
        _netlink.AddRoute(Route.DefaultVia(tun.Index, metric: 300));

        var shown = Assert.Single(_ns.IpJson("route", "show", "default").EnumerateArray());
        Assert.Equal(tun.Name, shown.GetProperty("dev").GetString());
        Assert.Equal(300, shown.GetProperty("metric").GetInt32());
        var read = Assert.Single(_netlink.GetDefaultRoutes());
        Assert.Equal(Route.DefaultVia(tun.Index, metric: 300), read);

        _netlink.DeleteRoute(read);
        Assert.Empty(_ns.IpJson("route", "show", "default").EnumerateArray());
    }

    [Fact]
    public void ReplaceDefaultRoutes_ThenRestore_PutsOriginalsBackExactly()
    {
        using var ppp = UpTun();
        // An original default route via a gateway, with its own metric and protocol, like a DHCP one.
        using var lan = _ns.Enter(() => new TunDevice("lan%d"));
        _netlink.AddAddress(lan.Index, IPAddress.Parse("198.51.100.10"), prefixLength: 24);
        _netlink.SetLinkUp(lan.Index);
        var dhcpDefault = new Route(IPAddress.Any, 0, lan.Index, IPAddress.Parse("198.51.100.1"), 600, Protocol: 16, Scope: Route.UniverseScope);
        _netlink.AddRoute(dhcpDefault);
        var before = _ns.Ip("route", "show", "default");

        var ours = Route.DefaultVia(ppp.Index, metric: 0);
        var replaced = _netlink.ReplaceDefaultRoutes(ours);

        Assert.Equal(dhcpDefault with { PreferredSource = null }, Assert.Single(replaced) with { PreferredSource = null });
        var now = Assert.Single(_ns.IpJson("route", "show", "default").EnumerateArray());
        Assert.Equal(ppp.Name, now.GetProperty("dev").GetString());

        _netlink.RestoreDefaultRoutes(ours, replaced);
        Assert.Equal(before, _ns.Ip("route", "show", "default"));
        Assert.Contains("via 198.51.100.1", before);
        Assert.Contains("metric 600", before);
    }

    [Fact]
    public void ReplaceDefaultRoutes_OursRefused_OriginalsStay()
    {
        using var lan = UpTun();
        var original = Route.DefaultVia(lan.Index, metric: 10);
        _netlink.AddRoute(original);

        Assert.Throws<NetlinkException>(() => _netlink.ReplaceDefaultRoutes(Route.DefaultVia(999_999, metric: 0)));

        Assert.Equal(original, Assert.Single(_netlink.GetDefaultRoutes()));
    }

    [Fact]
    public void RestoreDefaultRoutes_OursAlreadyGoneWithInterface_StillRestores()
    {
        using var lan = UpTun();
        var original = Route.DefaultVia(lan.Index, metric: 10);
        _netlink.AddRoute(original);
        var ppp = UpTun();
        var ours = Route.DefaultVia(ppp.Index);
        var replaced = _netlink.ReplaceDefaultRoutes(ours);
        ppp.Dispose();   // the link died: its routes went with the interface

        _netlink.RestoreDefaultRoutes(ours, replaced);

        Assert.Equal(original, Assert.Single(_netlink.GetDefaultRoutes()));
    }

    [Fact]
    public void SetLinkUp_UnknownIfindex_ThrowsEnodevNamingTheRequest()
    {
        var e = Assert.Throws<NetlinkException>(() => _netlink.SetLinkUp(999_999));
        Assert.Equal(19, e.Errno);
        Assert.Equal("ENODEV", e.ErrnoName);
        Assert.Contains("RTM_NEWLINK ifindex 999999 up failed: ENODEV", e.Message);
    }

    [Fact]
    public void AddAddress_UnknownIfindex_ThrowsWithRequestInMessage()
    {
        var e = Assert.Throws<NetlinkException>(() => _netlink.AddAddress(999_999, Local, Peer));
        Assert.Equal("ENODEV", e.ErrnoName);
        Assert.StartsWith("RTM_NEWADDR 192.0.2.1 peer 192.0.2.2/32 on ifindex 999999 failed", e.Message);
    }

    [Fact]
    public void AddRoute_UnknownIfindex_ThrowsClearError()
    {
        var e = Assert.Throws<NetlinkException>(() => _netlink.AddRoute(Route.DefaultVia(999_999, 5)));
        Assert.Equal("ENODEV", e.ErrnoName);
        Assert.Contains("RTM_NEWROUTE default ifindex 999999 metric 5", e.Message);
    }

    [Fact]
    public void GetLinkIndex_UnknownName_ThrowsEnodev()
    {
        var e = Assert.Throws<NetlinkException>(() => _netlink.GetLinkIndex("la-missing"));
        Assert.Equal("ENODEV", e.ErrnoName);
    }

    [Fact]
    public void Requests_AfterAnError_StillMatchTheirAnswers()
    {
        using var tun = _ns.Enter(() => new TunDevice("la%d"));
        Assert.Throws<NetlinkException>(() => _netlink.SetLinkUp(999_999));
        _netlink.SetLinkUp(tun.Index);
        Assert.Equal(tun.Index, _netlink.GetLinkIndex(tun.Name));
        Assert.DoesNotContain(_netlink.GetRoutes(AddressFamily.InterNetworkV6), r => r.IsDefault);
    }

    private TunDevice UpTun()
    {
        var tun = _ns.Enter(() => new TunDevice("la%d"));
        _netlink.SetLinkUp(tun.Index);
        return tun;
    }

    private static IEnumerable<string?> Flags(JsonElement link) => link.GetProperty("flags").EnumerateArray().Select(f => f.GetString());

    private IEnumerable<JsonElement> Addresses(string device, string family) =>
        _ns.IpJson("addr", "show", "dev", device)[0].GetProperty("addr_info").EnumerateArray()
            .Where(a => a.GetProperty("family").GetString() == family).ToList();
}
