using Akka.Actor;
using LinkActors.Actors.Link;
using Microsoft.Extensions.Hosting;

namespace LinkActors.Host;

/// <summary>
/// Like pppd, the daemon ends when no link is running or due to be dialed again (persist off, or
/// maxfail reached), with the last failure's exit status (pppd(8) "EXIT STATUS").
/// </summary>
public sealed class ExitWhenIdle : ReceiveActor
{
    public ExitWhenIdle(IActorRef manager, IHostApplicationLifetime lifetime)
    {
        Receive<LinkManagement.GaveUp>(_ => manager.Tell(LinkManagement.GetLinks.Instance));
        Receive<LinkManagement.Links>(links =>
        {
            if (links.States.Count == 0 || links.States.Any(s => s.Running || s.NextAttempt is not null))
                return;
            var last = links.States.Select(s => s.LastFailure).LastOrDefault(f => f is not null);
            Environment.ExitCode = last?.ExitCode ?? 1;
            lifetime.StopApplication();
        });
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(LinkManagement.GaveUp));

    public static Props Props(IActorRef manager, IHostApplicationLifetime lifetime) =>
        Akka.Actor.Props.Create(() => new ExitWhenIdle(manager, lifetime));
}
