using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Xunit.Abstractions;

namespace LinkActors.Actors.Tests.Support;

/// <summary>
/// A TestKit whose actor system runs on <see cref="TestScheduler"/>: timers fire only when a test
/// calls <see cref="Advance"/>, so timeouts are tested without sleeping. Logs at debug level, so the
/// trace and transcript can be checked on the event stream.
/// </summary>
public abstract class ManualTimeTestKit : Akka.TestKit.Xunit2.TestKit
{
    public static readonly Config ManualTimeConfig = ConfigurationFactory.ParseString("""
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.loglevel = DEBUG
        akka.stdout-loglevel = WARNING
        akka.actor.debug.unhandled = on
        """);

    protected ManualTimeTestKit(ITestOutputHelper? output = null)
        : base(ManualTimeConfig, output: output)
    {
    }

    protected TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    /// <summary>Moves the actor system's clock on, firing the timers that fall due.</summary>
    protected void Advance(TimeSpan by) => Scheduler.Advance(by);

    /// <summary>
    /// Returns once <paramref name="actor"/> has handled every message sent to it before: Identify is
    /// queued behind them. Needed before <see cref="Advance"/> when the timer is set by such a message.
    /// </summary>
    protected void Sync(IActorRef actor)
    {
        var probe = CreateTestProbe();
        actor.Tell(new Identify("sync"), probe.Ref);
        probe.ExpectMsg<ActorIdentity>();
    }

    /// <summary>A probe that receives every log event of the given level and above.</summary>
    protected TestProbe LogProbe<TLogEvent>()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(TLogEvent));
        return probe;
    }
}
