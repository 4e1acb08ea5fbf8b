using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Actors.Tests.Network;
using Xunit.Abstractions;

namespace LinkActors.Actors.Tests.AlwaysOn;

/// <summary>
/// The field failure in the mode a device runs in: the client's network side is a TUN interface in a network
/// namespace, the emulated BC66 negotiates PPP and then forwards no IP. The watchdog must see it from the TUN
/// actor's counters alone, and the ping probe must work through the interface. Needs root (namespaces, TUN) and ping.
/// </summary>
[Collection("always-on")]
public sealed class TunBlackHoleTests : TestKit, IDisposable
{
    private static readonly TimeSpan FirstUp = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    private readonly ITestOutputHelper _output;
    private readonly TestNamespace _ns = new();

    public TunBlackHoleTests(ITestOutputHelper output) : base("akka.loglevel = INFO\nakka.stdout-loglevel = INFO", output: output) => _output = output;

    void IDisposable.Dispose() => _ns.Dispose();

    [Fact]
    public async Task TunLink_BlackHole_WatchdogCountsTheHostsTraffic_DeadWithinWindow_ThenRenegotiates()
    {
        // No probe: the verdict can only come from the packets the TUN actor counted.
        await using var rig = new AlwaysOnRig(Sys, _output, "watchdog { ping-interval = 0s }", clientNamespace: _ns.Name);
        var (upAt, up) = await rig.WaitFor<LinkProtocol.Up>(u => u.Link == "client", FirstUp, 0, "client up");
        var (_, created) = await rig.WaitFor<TunProtocol.InterfaceCreated>(c => c.Link == "client", TimeSpan.FromSeconds(5), 0, "client interface");
        Assert.Equal("192.0.2.2", up.Local?.ToString());
        _output.WriteLine(_ns.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "3", "-W", "2", "192.0.2.1"));

        var ping = _ns.Start("ping", "-i", "0.2", "-W", "1", "192.0.2.1");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var before = await TrafficOf(rig);
            Assert.True(before.PacketsSent > 0 && before.PacketsReceived > 0, $"no traffic through {created.Interface}: {before}");
            Assert.Empty(rig.EventsOf<LinkProtocol.DataPathDead>(upAt));

            double holed = rig.Now;
            rig.Modem.Faults.BlackHole();
            rig.Log("black hole on; the host keeps pinging the peer");
            // The window, plus a sampling tick (window / 5, at most 1 s) to notice.
            var (deadAt, dead) = await rig.WaitFor<LinkProtocol.DataPathDead>(d => d.Link == "client", Window + TimeSpan.FromSeconds(2), holed,
                "dead-data-path verdict");
            rig.Log($"black hole -> verdict after {deadAt - holed:0.00} s: {dead.Failure.Message}");
            Assert.Equal("dead-data-path", dead.Failure.Code);
            Assert.Matches("we sent [0-9]+ packets in 5 s but received none", dead.Failure.Message);
            Assert.True(deadAt - holed >= Window.TotalSeconds - 0.5, $"verdict after only {deadAt - holed:0.00} s");

            // The ladder's first step: LCP again on the same call.
            var (stepAt, _) = await rig.WaitFor<LinkManagement.EscalationStepTaken>(s => s.Link == "client", TimeSpan.FromSeconds(5), holed, "first step");
            var first = rig.EventsOf<LinkManagement.EscalationStepTaken>(holed).First(s => s.Link == "client");
            Assert.Equal(EscalationStep.Renegotiate, first.Step);
            await rig.WaitFor<LinkProtocol.Renegotiating>(r => r.Link == "client", TimeSpan.FromSeconds(5), holed, "renegotiation");
            rig.Log($"renegotiate step taken {stepAt - deadAt:0.00} s after the verdict");

            // Cleared: the renegotiated link carries the host's packets again.
            rig.Modem.Faults.BlackHole(false);
            double cleared = rig.Now;
            await rig.WaitFor<LinkProtocol.Up>(u => u.Link == "client", TimeSpan.FromSeconds(20), stepAt, "client up after renegotiation");
            await WaitUntil(() => Pings(_ns, "192.0.2.1"), TimeSpan.FromSeconds(20), "ping through the interface after the renegotiation");
            rig.Log($"black hole cleared -> the host's ping answered after {rig.Now - cleared:0.0} s");
        }
        finally
        {
            Network.Shell.Stop(ping);
        }
        await rig.DisposeAsync();
        await rig.WaitFor<TunProtocol.InterfaceRemoved>(r => r.Link == "client", TimeSpan.FromSeconds(10), 0, "interface removed");
        Assert.DoesNotContain(created.Interface, _ns.Links());
    }

    [Fact]
    public async Task TunLink_PingProbe_AnsweredByThePeer_ThenUnansweredInTheBlackHole_AndJudgedDead()
    {
        await using var rig = new AlwaysOnRig(Sys, _output, clientNamespace: _ns.Name);
        var (answeredAt, answered) = await rig.WaitForPingAnswered(FirstUp, 0);
        var (_, created) = await rig.WaitFor<TunProtocol.InterfaceCreated>(c => c.Link == "client", TimeSpan.FromSeconds(5), 0, "client interface");
        rig.Log($"probe answered through {created.Interface}: seq={answered.Sequence} {answered.RoundTrip!.Value.TotalMilliseconds:0.0} ms");
        await rig.WaitFor<LinkProtocol.PingResult>(p => p.Link == "client" && p.RoundTrip is not null && p.Sequence > answered.Sequence,
            TimeSpan.FromSeconds(3), answeredAt, "a second answered ping");

        // The replies went to the probe and not into the namespace's kernel.
        var network = await NetworkSide(rig);
        var stats = await network.Ask<TunProtocol.Stats>(TunProtocol.GetStats.Instance, TimeSpan.FromSeconds(3));
        long kernelReceived = _ns.IpJson("-s", "link", "show", "dev", created.Interface)[0].GetProperty("stats64").GetProperty("rx").GetProperty("packets").GetInt64();
        rig.Log($"{stats}; kernel rx packets {kernelReceived}");
        Assert.True(stats.EchoRepliesTaken >= 2, $"{stats.EchoRepliesTaken} replies taken");
        Assert.Equal(stats.PacketsReceived - stats.EchoRepliesTaken, kernelReceived);

        double holed = rig.Now;
        rig.Modem.Faults.BlackHole();
        var (lostAt, lost) = await rig.WaitFor<LinkProtocol.PingResult>(p => p.Link == "client" && p.RoundTrip is null, TimeSpan.FromSeconds(3), holed,
            "an unanswered ping");
        rig.Log($"black hole -> ping seq={lost.Sequence} unanswered after {lostAt - holed:0.00} s");
        // The window, plus a ping interval to notice.
        var (deadAt, dead) = await rig.WaitFor<LinkProtocol.DataPathDead>(d => d.Link == "client", Window + TimeSpan.FromSeconds(2), holed,
            "dead-data-path verdict");
        rig.Log($"black hole -> verdict after {deadAt - holed:0.00} s: {dead.Failure.Message}");
        Assert.Equal("dead-data-path", dead.Failure.Code);
        Assert.DoesNotContain(rig.EventsOf<LinkProtocol.PingResult>(lostAt), p => p.Link == "client" && p.RoundTrip is not null && p.Sequence > lost.Sequence);
        var after = await network.Ask<TunProtocol.Stats>(TunProtocol.GetStats.Instance, TimeSpan.FromSeconds(3));
        Assert.True(after.PacketsSent > stats.PacketsSent, "the probe's requests were not counted as sent");
    }

    private static async Task<IActorRef> NetworkSide(AlwaysOnRig rig)
    {
        var side = await rig.Client.Ask<LinkProtocol.NetworkSide>(new LinkManagement.ToLink("client", LinkProtocol.GetNetworkSide.Instance), TimeSpan.FromSeconds(3));
        return side.Actor ?? throw new Xunit.Sdk.XunitException("the client has no network side");
    }

    private static async Task<NetworkProtocol.Traffic> TrafficOf(AlwaysOnRig rig) =>
        await (await NetworkSide(rig)).Ask<NetworkProtocol.Traffic>(NetworkProtocol.GetTraffic.Instance, TimeSpan.FromSeconds(3));

    private static bool Pings(TestNamespace ns, string target)
    {
        try
        {
            ns.Exec(TimeSpan.FromSeconds(5), "ping", "-c", "1", "-W", "1", target);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"no {what} within {within.TotalSeconds:0} s");
            await Task.Delay(200);
        }
    }
}
