using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Actors.Watchdog;
using LinkActors.Tests.Shared;
using Xunit.Abstractions;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Actors.Tests.Network;

/// <summary>
/// The data-path watchdog and the ping probe of a link whose network side is a kernel TUN interface, as on
/// a device: two whole links in two network namespaces over a socat pty pair, the server's kernel answering.
/// The watchdog reads the TUN actor's own counters, and the probe's replies reach the probe, not the kernel.
/// Needs root (namespaces, TUN), socat and ping.
/// </summary>
[Collection("netns")]
public sealed class TunWatchdogTests : TwoNamespaceTestKit
{
    private static readonly TimeSpan UpWithin = TimeSpan.FromSeconds(25);

    public TunWatchdogTests(ITestOutputHelper output) : base("akka.loglevel = INFO\nakka.stdout-loglevel = INFO", "la-tunwd-", output)
    {
    }

    [Fact]
    public async Task TunLink_WatchdogReadsTheTunCounters_AndTheProbeIsAnsweredByTheKernelPeer_WithoutTheKernelSeeingReplies()
    {
        using var pty = new SocatPtyPair();
        var events = CreateTestProbe();
        var verdicts = CreateTestProbe();
        Sys.EventStream.Subscribe(verdicts, typeof(LinkProtocol.DataPathDead));
        foreach (var type in new[] { typeof(LinkProtocol.Up), typeof(LinkProtocol.PingResult),
                     typeof(TunProtocol.InterfaceCreated), typeof(TunProtocol.InterfaceRemoved) })
            Sys.EventStream.Subscribe(events, type);
        var server = Link("server", pty.B, pty.LockDirectory,
            "role = server\n ipcp { local = 192.0.2.1, remote = 192.0.2.2 }\n" +
            $" network {{ mode = tun, state-directory = \"{Dir}/state-server\" }}");
        // A probe every 3 s leaves the counters still for most of each interval, so two readings can be compared.
        var client = Link("client", pty.A, pty.LockDirectory,
            "ipcp { noipdefault = true }\n watchdog { window = 5s, ping-interval = 3s }\n" +
            $" network {{ mode = tun, state-directory = \"{Dir}/state-client\" }}");
        var serverManager = Manage(server, ServerNs);
        var clientManager = Manage(client, ClientNs);
        try
        {
            var interfaces = new Dictionary<string, string>();
            var ups = new HashSet<string>();
            events.FishForMessage(m =>
            {
                switch (m)
                {
                    case TunProtocol.InterfaceCreated c: interfaces[c.Link] = c.Interface; break;
                    case LinkProtocol.Up u: ups.Add(u.Link); break;
                }
                return ups.Count == 2 && interfaces.Count == 2;
            }, UpWithin);
            var clientIf = interfaces["client"];

            // The probe's echo request leaves from the address IPCP gave us; the server's kernel answers it.
            var answered = events.FishForMessage<LinkProtocol.PingResult>(p => p.Link == "client" && p.RoundTrip is not null, TimeSpan.FromSeconds(10));
            Assert.Equal("192.0.2.1", answered.Target.ToString());
            Output.WriteLine($"probe answered by the peer's kernel: seq={answered.Sequence} in {answered.RoundTrip!.Value.TotalMilliseconds:0.0} ms");

            // Traffic of the host itself through the interface.
            Output.WriteLine(ClientNs.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "5", "-i", "0.2", "-W", "2", "192.0.2.1"));

            var network = (await clientManager.Ask<LinkProtocol.NetworkSide>(
                new LinkManagement.ToLink("client", LinkProtocol.GetNetworkSide.Instance), TimeSpan.FromSeconds(3))).Actor;
            Assert.NotNull(network);
            var watchdog = Sys.ActorSelection($"{clientManager.Path}/*/watchdog-*");

            // What the watchdog last read equals the TUN actor's own counters once a reading falls between two probes.
            NetworkProtocol.Traffic? seen = null, tun = null;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                seen = (await watchdog.Ask<WatchdogProtocol.Counters>(WatchdogProtocol.GetCounters.Instance, TimeSpan.FromSeconds(3))).Last;
                tun = await network.Ask<NetworkProtocol.Traffic>(NetworkProtocol.GetTraffic.Instance, TimeSpan.FromSeconds(3));
                if (seen == tun && tun.PacketsReceived >= 6)
                    break;
                await Task.Delay(100);
            }
            Output.WriteLine($"watchdog read {seen}; the TUN actor counts {tun}");
            Assert.NotNull(seen);
            Assert.Equal(tun, seen);
            // Five echo requests of the host and at least one of the probe went out, and their replies came back.
            Assert.True(seen.PacketsSent >= 6, $"sent {seen.PacketsSent}");
            Assert.True(seen.PacketsReceived >= 6, $"received {seen.PacketsReceived}");
            Assert.True(seen.BytesSent > 0 && seen.BytesReceived > 0);

            // The probe's replies were taken by the probe: the kernel received exactly the other packets.
            var stats = await network.Ask<TunProtocol.Stats>(TunProtocol.GetStats.Instance, TimeSpan.FromSeconds(3));
            long kernelReceived = KernelPackets(ClientNs, clientIf, "rx");
            Output.WriteLine($"{stats}; kernel rx packets {kernelReceived}");
            Assert.True(stats.EchoRepliesTaken >= 1, "no probe reply was taken");
            Assert.Equal(stats.PacketsReceived - stats.EchoRepliesTaken, kernelReceived);
            Assert.Equal(0, stats.InjectedDropped);
            Assert.False(verdicts.HasMessages, "the watchdog judged a working data path dead");

            // The link ends; both interfaces go with it.
            clientManager.Tell(new LinkManagement.StopAll("test done"));
            var removed = new HashSet<string>();
            events.FishForMessage(m =>
            {
                if (m is TunProtocol.InterfaceRemoved r)
                    removed.Add(r.Link);
                return removed.Count == 2;
            }, UpWithin);
            Assert.DoesNotContain(clientIf, ClientNs.Links());
        }
        finally
        {
            clientManager.Tell(new LinkManagement.StopAll("test cleanup"));
            serverManager.Tell(new LinkManagement.StopAll("test cleanup"));
        }
    }

    private static long KernelPackets(TestNamespace ns, string device, string direction) =>
        ns.IpJson("-s", "link", "show", "dev", device)[0].GetProperty("stats64").GetProperty(direction).GetProperty("packets").GetInt64();
}
