using System.Net;
using LinkActors.Linux.Netlink;
using LinkActors.Linux.State;
using LinkActors.Linux.Tests.Support;

namespace LinkActors.Linux.Tests.State;

/// <summary>A state file and the host changes of a crashed instance, cleaned on the next start.</summary>
public sealed class LeftoverCleanupTests : IDisposable
{
    private readonly NetworkNamespace _ns = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("la-state-").FullName;

    public void Dispose()
    {
        _ns.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Journal_RoundTrip_KeepsEveryField()
    {
        var journal = new NetworkStateJournal(_dir, "lte/1");
        var route = new Route(IPAddress.Any, 0, 3, IPAddress.Parse("198.51.100.1"), 100, Route.MainTable, 4, Route.UniverseScope, IPAddress.Parse("198.51.100.10"));
        var state = new NetworkState
        {
            Link = "lte/1", Interface = "ppp0", InterfaceIndex = 7,
            ReplacedRoutes = [SavedRoute.From(route)],
            ResolvConf = new SavedResolvConf("/etc/ppp/resolv.conf", null, false),
        };

        journal.Write(state);
        var read = journal.Read()!;

        Assert.EndsWith("lte_1.json", journal.Path, StringComparison.Ordinal);
        Assert.Equal(route, Assert.Single(read.ReplacedRoutes).ToRoute());
        Assert.Equal(state.ResolvConf, read.ResolvConf);
        Assert.Equal(7, read.InterfaceIndex);
    }

    [Fact]
    public void Run_LeftoverInterfaceRoutesAndDns_AllPutBack()
    {
        _ns.Ip("link", "add", "la-dummy0", "type", "veth", "peer", "name", "la-dummy1");
        _ns.Ip("link", "set", "la-dummy1", "up");
        _ns.Ip("link", "set", "la-dummy0", "up");
        _ns.Ip("addr", "add", "198.51.100.10/24", "dev", "la-dummy0");
        _ns.Ip("route", "add", "default", "via", "198.51.100.1", "dev", "la-dummy0");
        using var netlink = _ns.Enter(() => new RtNetlink());
        var original = Assert.Single(netlink.GetDefaultRoutes());
        // What the crashed instance did: a persistent interface with our default route, the old one removed, DNS written.
        _ns.Ip("tuntap", "add", "mode", "tun", "name", "la-left0");
        _ns.Ip("link", "set", "la-left0", "up");
        var index = netlink.GetLinkIndex("la-left0");
        netlink.DeleteRoute(original);
        var ours = Route.DefaultVia(index);
        netlink.AddRoute(ours);
        var resolv = Path.Combine(_dir, "resolv.conf");
        File.WriteAllText(resolv, "nameserver 198.51.100.53\n");
        var journal = new NetworkStateJournal(_dir, "lte");
        journal.Write(new NetworkState
        {
            Link = "lte", Interface = "la-left0", InterfaceIndex = index,
            AddedRoutes = [SavedRoute.From(ours)], ReplacedRoutes = [SavedRoute.From(original)],
            ResolvConf = new SavedResolvConf(resolv, "nameserver 192.0.2.53\n", false),
        });

        var report = LeftoverCleanup.Run(journal, netlink);

        Assert.Contains(report, l => l.Contains("deleted interface la-left0", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => _ns.Ip("link", "show", "dev", "la-left0"));
        Assert.Equal(original with { }, Assert.Single(netlink.GetDefaultRoutes()));
        Assert.Equal("nameserver 192.0.2.53\n", File.ReadAllText(resolv));
        Assert.False(File.Exists(journal.Path));
    }

    [Fact]
    public void Run_InterfaceNameReusedWithAnotherIndex_LeftAlone()
    {
        _ns.Ip("link", "add", "la-other0", "type", "veth", "peer", "name", "la-other1");
        var journal = new NetworkStateJournal(_dir, "lte");
        journal.Write(new NetworkState { Link = "lte", Interface = "la-other0", InterfaceIndex = 9999 });
        using var netlink = _ns.Enter(() => new RtNetlink());

        var report = LeftoverCleanup.Run(journal, netlink);

        Assert.Contains(report, l => l.Contains("left alone", StringComparison.Ordinal));
        _ns.Ip("link", "show", "dev", "la-other0");
        Assert.False(File.Exists(journal.Path));
    }

    [Fact]
    public void Replay_StepThatFails_StaysRecordedAndTheRestIsUndone()
    {
        _ns.Ip("link", "add", "la-undo0", "type", "veth", "peer", "name", "la-undo1");
        _ns.Ip("link", "set", "la-undo0", "up");
        _ns.Ip("addr", "add", "198.51.100.10/24", "dev", "la-undo0");
        using var netlink = _ns.Enter(() => new RtNetlink());
        var index = netlink.GetLinkIndex("la-undo0");
        var ours = Route.ToPrefix(IPAddress.Parse("192.0.2.0"), 24, index);
        netlink.AddRoute(ours);
        // A replaced route through an interface that no longer exists cannot be added back.
        var lost = Route.DefaultVia(index + 1000);
        var resolv = Path.Combine(_dir, "resolv.conf");
        File.WriteAllText(resolv, "nameserver 198.51.100.53\n");
        var state = new NetworkState
        {
            Link = "lte", Interface = "la-undo0", InterfaceIndex = index,
            AddedRoutes = [SavedRoute.From(ours)], ReplacedRoutes = [SavedRoute.From(lost)],
            ResolvConf = new SavedResolvConf(resolv, "nameserver 192.0.2.53\n", false),
        };
        var steps = new List<UndoStep>();

        var left = HostUndo.Replay(state, netlink, deleteInterface: false, steps.Add);

        Assert.Empty(left.AddedRoutes);
        Assert.Equal(SavedRoute.From(lost), Assert.Single(left.ReplacedRoutes));
        Assert.Null(left.ResolvConf);
        Assert.DoesNotContain(netlink.GetRoutes(), r => r.Destination.Equals(IPAddress.Parse("192.0.2.0")));
        Assert.Equal("nameserver 192.0.2.53\n", File.ReadAllText(resolv));
        Assert.Single(steps, s => s.Failed);
        _ns.Ip("link", "show", "dev", "la-undo0");
    }

    [Fact]
    public void Run_NoStateFile_DoesNothing()
    {
        using var netlink = _ns.Enter(() => new RtNetlink());
        Assert.Empty(LeftoverCleanup.Run(new NetworkStateJournal(_dir, "lte"), netlink));
    }
}
