using Akka.Actor;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Actors.Tests.Support;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;
using Xunit.Abstractions;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Actors.Tests.Link;

/// <summary>
/// An attempt whose supervisor throws is watched by the manager: it is stopped (never restarted
/// underneath the peer), counted as a failed attempt with its own reason code, and dialed again
/// after holdoff, which the test scheduler shows only once advanced by hand.
/// </summary>
public sealed class LinkManagerCrashTests : ManualTimeTestKit, IDisposable
{
    private static readonly TimeSpan Holdoff = TimeSpan.FromSeconds(10);
    private readonly string _device = Path.GetTempFileName();

    public LinkManagerCrashTests(ITestOutputHelper output) : base(output)
    {
    }

    void IDisposable.Dispose() => File.Delete(_device);

    private LinkActors.Actors.Configuration.LinkSettings Link() => Assert.Single(Settings.Create(Settings.Parse($$"""
        linkactors.links.client {
          device = "{{_device}}"
          local = true
          persist = true
          holdoff = 10s
          maxfail = 5
          network.mode = endpoint
          ipcp { noipdefault = true }
          ipv6cp.enabled = false
        }
        """, "test"), "test"));

    [Fact]
    public async Task SupervisorThrowsInPreStart_CountedAsACrash_RedialedAfterHoldoff()
    {
        var line = new ScriptedLine(CreateTestProbe());
        int ports = 0;
        // The first attempt's port cannot even be made: the supervisor throws in PreStart.
        Func<IActorRef, Props> portProps = owner => Interlocked.Increment(ref ports) == 1
            ? throw new InvalidOperationException("no port for you")
            : line.PortProps(owner);
        var events = Events();
        var manager = Sys.ActorOf(LinkManager.Props([Link()], _ => new LinkDependencies(portProps, PacketEndpointActor.Props, CryptoRandomSource.Instance), jitterSeed: 1), "links");

        await ExpectCrashThenRedial(manager, events, "no port for you");
        // The second attempt runs: its port is there and LCP starts on it.
        line.WaitForReader();
    }

    [Fact]
    public async Task SupervisorThrowsInNetworkPhase_CountedAsACrash_RedialedAfterHoldoff()
    {
        var line = new ScriptedLine(CreateTestProbe());
        int networks = 0;
        // The first attempt throws as it enters the Network phase (its network side cannot be made).
        Func<IActorRef, Props> networkProps = framing => Interlocked.Increment(ref networks) == 1
            ? throw new InvalidOperationException("no network side")
            : PacketEndpointActor.Props(framing);
        var phases = CreateTestProbe();
        Sys.EventStream.Subscribe(phases, typeof(LinkProtocol.PhaseChanged));
        var events = Events();
        var manager = Sys.ActorOf(LinkManager.Props([Link()], _ => new LinkDependencies(line.PortProps, networkProps, CryptoRandomSource.Instance), jitterSeed: 1), "links");

        line.OpenLcp(awaitOurAck: false);
        phases.FishForMessage<LinkProtocol.PhaseChanged>(p => p.Phase == LinkProtocol.Phase.Network, TimeSpan.FromSeconds(5));
        await ExpectCrashThenRedial(manager, events, "no network side");
        line.WaitForReader();
        line.NextFrame(PppProtocol.Lcp, ControlCode.ConfReq);
    }

    private Akka.TestKit.TestProbe Events()
    {
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(LinkProtocol.Ended));
        Sys.EventStream.Subscribe(events, typeof(LinkManagement.RedialScheduled));
        return events;
    }

    private async Task ExpectCrashThenRedial(IActorRef manager, Akka.TestKit.TestProbe events, string cause)
    {
        var ended = events.FishForMessage<LinkProtocol.Ended>(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal("attempt-crashed", ended.Reason.Code);
        Assert.Contains(cause, ended.Reason.Message, StringComparison.Ordinal);
        var redial = events.FishForMessage<LinkManagement.RedialScheduled>(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal(2, redial.Attempt);
        Assert.InRange(redial.After, Holdoff, Holdoff * 1.2);

        var state = Assert.Single((await manager.Ask<LinkManagement.Links>(LinkManagement.GetLinks.Instance, TimeSpan.FromSeconds(3))).States);
        Assert.False(state.Running);
        Assert.Equal(1, state.ConsecutiveFailures);
        Assert.Equal("attempt-crashed", state.LastFailure!.Code);

        // Not before holdoff; then the manager dials again.
        Advance(redial.After - TimeSpan.FromMilliseconds(1));
        Sync(manager);
        Assert.False(Assert.Single((await manager.Ask<LinkManagement.Links>(LinkManagement.GetLinks.Instance, TimeSpan.FromSeconds(3))).States).Running);
        Advance(TimeSpan.FromMilliseconds(1));
        Sync(manager);
        var again = Assert.Single((await manager.Ask<LinkManagement.Links>(LinkManagement.GetLinks.Instance, TimeSpan.FromSeconds(3))).States);
        Assert.True(again.Running);
        Assert.Equal(2, again.Attempts);
    }
}
