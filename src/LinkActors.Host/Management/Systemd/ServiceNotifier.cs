using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkActors.Host.Management.Systemd;

/// <summary>
/// Tells systemd (Type=notify) how the daemon is doing: STATUS while waiting, READY=1 once every
/// required link is up, WATCHDOG=1 at half the watchdog interval for as long as the actor system is
/// alive, STOPPING=1 on the way out. Without $NOTIFY_SOCKET it does nothing.
/// </summary>
public sealed class ServiceNotifier : BackgroundService
{
    private static readonly TimeSpan ReadinessPoll = TimeSpan.FromSeconds(1);
    private readonly SystemdNotify? _notify;
    private readonly TimeSpan? _watchdog;
    private readonly Func<Task<HealthView>> _health;
    private readonly Func<bool> _alive;
    private readonly ILogger _log;

    public ServiceNotifier(SystemdNotify? notify, TimeSpan? watchdog, Func<Task<HealthView>> health, Func<bool> alive, ILogger<ServiceNotifier> log)
    {
        _notify = notify;
        _watchdog = watchdog;
        _health = health;
        _alive = alive;
        _log = log;
    }

    public bool IsReady { get; private set; }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _notify?.Send("STOPPING=1\nSTATUS=ending every link");
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _notify?.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_notify is null)
            return Task.CompletedTask;
        return Task.WhenAll(ReadyAsync(_notify, stoppingToken), WatchdogAsync(_notify, stoppingToken));
    }

    private async Task ReadyAsync(SystemdNotify notify, CancellationToken stop)
    {
        string? lastStatus = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                HealthView health;
                try
                {
                    health = await _health().ConfigureAwait(false);
                }
                catch (Exception e) when (e is Akka.Actor.AskTimeoutException or TimeoutException)
                {
                    await Task.Delay(ReadinessPoll, stop).ConfigureAwait(false);
                    continue;
                }
                if (health.Ready)
                {
                    IsReady = true;
                    notify.Send($"READY=1\nSTATUS={health.Status}");
                    if (_log.IsEnabled(LogLevel.Information))
                        _log.LogInformation("Ready: {Status}", health.Status);
                    return;
                }
                if (health.Status != lastStatus)
                {
                    notify.Send($"STATUS={health.Status}");
                    lastStatus = health.Status;
                }
                await Task.Delay(ReadinessPoll, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WatchdogAsync(SystemdNotify notify, CancellationToken stop)
    {
        if (_watchdog is not { } interval)
            return;
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                // A dead actor system stops the pings, and systemd restarts the service.
                if (_alive())
                    notify.Send("WATCHDOG=1");
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
