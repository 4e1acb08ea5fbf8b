using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Actors.Tests.Network;
using Xunit.Abstractions;

namespace LinkActors.Actors.Tests.AlwaysOn;

/// <summary>
/// Issue 19: probes leave through the link, never by another route. The client's TUN interface lives in a
/// namespace whose default route (and the route to the probe's target) points at a veth pair into a second
/// namespace; the idle link's budgeted probes must all reach the modem, and none may cross the veth.
/// Needs root (namespaces, veth, TUN).
/// </summary>
/// <remarks>
/// The probe is put into PPP by the link's TUN actor with the link's own source address; the kernel never
/// routes it, so the TUN device's kernel counters do not see it either (they are printed). The counters that
/// prove the path are the link's own (packets sent by its network side), the modem's (probe packets it saw)
/// and the veth's (no packet sent: a routed probe would show at least the ARP request for its target).
/// </remarks>
[Collection("always-on")]
public sealed class ProbeRouteTests : TestKit, IDisposable
{
    private static readonly IPAddress Target = IPAddress.Parse("198.51.100.53");
    private readonly ITestOutputHelper _output;
    private readonly TestNamespace _host = new();
    private readonly TestNamespace _elsewhere = new();

    public ProbeRouteTests(ITestOutputHelper output) : base("akka.loglevel = INFO\nakka.stdout-loglevel = INFO", output: output) => _output = output;

    void IDisposable.Dispose()
    {
        _host.Dispose();
        _elsewhere.Dispose();
    }

    [Fact]
    public async Task IdleProbes_DefaultRouteOnAVeth_AllLeaveThroughTheLinksTunInterface()
    {
        string veth = "la" + Guid.NewGuid().ToString("N")[..8];
        _host.Ip("link", "add", veth, "type", "veth", "peer", "name", veth + "p", "netns", _elsewhere.Name);
        foreach (var ns in new[] { _host, _elsewhere })
        {
            ns.Exec(TimeSpan.FromSeconds(10), "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
            ns.Exec(TimeSpan.FromSeconds(10), "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        }
        _host.Ip("addr", "add", "198.51.100.1/24", "dev", veth);
        _elsewhere.Ip("addr", "add", "198.51.100.2/24", "dev", veth + "p");
        _host.Ip("link", "set", veth, "up");
        _elsewhere.Ip("link", "set", veth + "p", "up");
        _host.Ip("route", "add", "default", "via", "198.51.100.2", "dev", veth);

        // An ICMP probe to a configured target (the first kind that applies) that the kernel would send out of the veth.
        await using var rig = new AlwaysOnRig(Sys, _output,
            $"watchdog {{ ping-interval = 0s, ping-target = \"{Target}\", window = 12s, probe-budget = 1000000000 }}",
            beforeLinks: m => m.Faults.PeerIgnoresIcmp(Target), clientNamespace: _host.Name);
        await rig.WaitFor<LinkProtocol.Up>(u => u.Link == "client", TimeSpan.FromSeconds(30), 0, "client up");
        var (_, created) = await rig.WaitFor<TunProtocol.InterfaceCreated>(c => c.Link == "client", TimeSpan.FromSeconds(5), 0, "client interface");
        string route = _host.Ip("route", "get", Target.ToString());
        rig.Log($"the kernel's route to the probe's target: {route.Trim()}");
        Assert.Contains($"dev {veth}", route, StringComparison.Ordinal);

        long vethSentBefore = Packets(_host, veth, "tx");
        long elsewhereBefore = Packets(_elsewhere, veth + "p", "rx");
        long modemBefore = rig.Modem.Counters.ProbePacketsSeen;
        var sentBefore = await SentByTheLink(rig);

        // Idle: only the watchdog's probe goes out, 12 s after the last packet, and again 5 s later unanswered
        // (the target ignores ICMP); the verdict would come only after both. Wait for the two at the modem.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (rig.Modem.Counters.ProbePacketsSeen - modemBefore < 2)
        {
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"only {rig.Modem.Counters.ProbePacketsSeen - modemBefore} probes reached the modem in 60 s");
            await Task.Delay(200);
        }
        long probes = rig.Modem.Counters.ProbePacketsSeen - modemBefore;
        long sentByLink = await SentByTheLink(rig) - sentBefore;
        long vethSent = Packets(_host, veth, "tx") - vethSentBefore;
        long elsewhere = Packets(_elsewhere, veth + "p", "rx") - elsewhereBefore;
        long tunKernel = Packets(_host, created.Interface, "rx") + Packets(_host, created.Interface, "tx");
        rig.Log($"probes seen by the modem {probes}, packets sent by the link's network side {sentByLink}, "
            + $"veth {veth} sent {vethSent}, its peer received {elsewhere}, kernel counters of {created.Interface}: {tunKernel} packets");
        Assert.True(sentByLink >= probes, $"the link sent {sentByLink} packets, the modem saw {probes} probes");
        Assert.Equal(0, vethSent);
        Assert.Equal(0, elsewhere);
    }

    private static long Packets(TestNamespace ns, string device, string direction) =>
        ns.IpJson("-s", "link", "show", "dev", device)[0].GetProperty("stats64").GetProperty(direction).GetProperty("packets").GetInt64();

    private static async Task<long> SentByTheLink(AlwaysOnRig rig)
    {
        var side = await rig.Client.Ask<LinkProtocol.NetworkSide>(new LinkManagement.ToLink("client", LinkProtocol.GetNetworkSide.Instance), TimeSpan.FromSeconds(3));
        var traffic = await side.Actor!.Ask<NetworkProtocol.Traffic>(NetworkProtocol.GetTraffic.Instance, TimeSpan.FromSeconds(3));
        return traffic.PacketsSent;
    }
}
