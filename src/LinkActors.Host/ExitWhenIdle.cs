using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Link;
using Microsoft.Extensions.Hosting;

namespace LinkActors.Host;

/// <summary>
/// Like pppd, the daemon ends when no link is running or due to be dialed again (persist off, or
/// maxfail reached), with the last failure's exit status (pppd(8) "EXIT STATUS"). Its last log line
/// says so, and the process stops only once that line, and so every line before it, is written.
/// </summary>
public sealed class ExitWhenIdle : ReceiveActor
{
    private sealed record LogWritten;

    private bool _exiting;

    public ExitWhenIdle(IActorRef manager, IHostApplicationLifetime lifetime, LogBarrier barrier)
    {
        Receive<LinkManagement.GaveUp>(_ => manager.Tell(LinkManagement.GetLinks.Instance));
        Receive<LinkManagement.Links>(links =>
        {
            if (_exiting || links.States.Count == 0 || links.States.Any(s => s.Running || s.NextAttempt is not null))
                return;
            _exiting = true;
            var last = links.States.Select(s => s.LastFailure).LastOrDefault(f => f is not null);
            int status = last?.ExitCode ?? 1;
            Environment.ExitCode = status;
            barrier.LogAndFlushAsync(Context.GetLogger(), $"Exit: no link left to run (exit status {status})", LinkHost.LogFlushTimeout)
                .PipeTo(Self, success: () => new LogWritten());
        });
        Receive<LogWritten>(_ => lifetime.StopApplication());
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(LinkManagement.GaveUp));

    public static Props Props(IActorRef manager, IHostApplicationLifetime lifetime, LogBarrier barrier) =>
        Akka.Actor.Props.Create(() => new ExitWhenIdle(manager, lifetime, barrier));
}
