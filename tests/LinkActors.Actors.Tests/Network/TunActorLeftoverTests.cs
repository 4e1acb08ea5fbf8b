using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Network;
using LinkActors.Linux.State;
using Xunit.Abstractions;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Actors.Tests.Network;

/// <summary>A previous instance crashed with its interface, routes and resolv.conf in place: the next start cleans them.</summary>
[Collection("netns")]
public sealed class TunActorLeftoverTests : NamespaceTestKit
{
    private readonly TestNamespace _ns;

    public TunActorLeftoverTests(ITestOutputHelper output) : base("akka.loglevel = INFO", "la-left-", output)
    {
        _ns = NewNamespace();
    }

    [Fact]
    public void Start_AfterCrash_CleansLeftoversThenCreatesItsInterface()
    {
        _ns.Ip("link", "add", "la-up0", "type", "veth", "peer", "name", "la-up1");
        _ns.Ip("link", "set", "la-up1", "up");
        _ns.Ip("link", "set", "la-up0", "up");
        _ns.Ip("addr", "add", "198.51.100.10/24", "dev", "la-up0");
        _ns.Ip("route", "add", "default", "via", "198.51.100.1", "dev", "la-up0");
        var routesBefore = _ns.Routes();
        var upIndex = _ns.IpJson("link", "show", "dev", "la-up0")[0].GetProperty("ifindex").GetInt32();
        // The crashed instance: a (persistent) interface by our name, its default route instead of the old one, DNS written.
        _ns.Ip("tuntap", "add", "mode", "tun", "name", "la-left0");
        _ns.Ip("link", "set", "la-left0", "up");
        var leftIndex = _ns.IpJson("link", "show", "dev", "la-left0")[0].GetProperty("ifindex").GetInt32();
        _ns.Ip("route", "del", "default");
        _ns.Ip("route", "add", "default", "dev", "la-left0");
        var resolv = Path.Combine(Dir, "resolv.conf");
        File.WriteAllText(resolv, "nameserver 198.51.100.53\n");
        var journal = new NetworkStateJournal(Path.Combine(Dir, "state"), "lte");
        journal.Write(new NetworkState
        {
            Link = "lte", Interface = "la-left0", InterfaceIndex = leftIndex,
            AddedRoutes = [SavedRoute.From(Linux.Netlink.Route.DefaultVia(leftIndex))],
            ReplacedRoutes = [SavedRoute.From(new Linux.Netlink.Route(IPAddress.Any, 0, upIndex, IPAddress.Parse("198.51.100.1"), null,
                Protocol: 3, Scope: Linux.Netlink.Route.UniverseScope))],
            ResolvConf = new SavedResolvConf(resolv, null, false),
        });
        var link = Assert.Single(Settings.Create(Settings.Parse(
            $"linkactors.links.lte {{ device = \"/dev/ttyS0\", network {{ mode = tun, interface = la-left0, state-directory = \"{Dir}/state\" }} }}", "test"), "test"));
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(RouteProtocol.LeftoversCleaned));
        Sys.EventStream.Subscribe(events, typeof(TunProtocol.InterfaceCreated));
        Sys.EventStream.Subscribe(events, typeof(TunProtocol.InterfaceRemoved));

        var tun = Sys.ActorOf(TunActor.Props(CreateTestProbe(), link, _ns.Name), "network");

        var cleaned = events.ExpectMsg<RouteProtocol.LeftoversCleaned>(TimeSpan.FromSeconds(10));
        Assert.Contains(cleaned.Actions, a => a.Contains("deleted interface la-left0", StringComparison.Ordinal));
        var created = events.ExpectMsg<TunProtocol.InterfaceCreated>(TimeSpan.FromSeconds(10));
        Assert.Equal("la-left0", created.Interface);
        Assert.NotEqual(leftIndex, created.Index);
        Assert.Equal(routesBefore, _ns.Routes());
        Assert.False(File.Exists(resolv));

        Sys.Stop(tun);
        events.ExpectMsg<TunProtocol.InterfaceRemoved>(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("la-left0", _ns.Links());
        AwaitCondition(() => !File.Exists(journal.Path), TimeSpan.FromSeconds(5));
    }
}
