using Akka.Actor;
using Akka.Event;
using Akka.Configuration;
using Akka.Hosting;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Link;
using LinkActors.Host.Fleet;
using LinkActors.Host.Management;
using LinkActors.Ppp.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;

namespace LinkActors.Host;

/// <summary>How the daemon logs and where.</summary>
/// <param name="DataTrace">Lets the caller hold back the per-packet IP data trace for a while (the demo's transfer).</param>
public sealed record LogOptions(bool Debug, string? LogFile, DataTrace? DataTrace = null);

/// <summary>
/// The `linkactors run` daemon: a generic host with Akka.Hosting, every link under one
/// <see cref="LinkManager"/>, Serilog for logs, systemd integration, and a shutdown that ends every
/// link cleanly (LCP Terminate, disconnect script, port released) before the process exits.
/// </summary>
public static class LinkHost
{
    /// <summary>How long shutdown waits for the links to end (Terminate exchange, disconnect script, port close).</summary>
    public static readonly TimeSpan StopLinksTimeout = TimeSpan.FromSeconds(45);

    /// <param name="management">The management endpoint (status, control, /metrics, /alive, /ready); null: none.</param>
    /// <param name="exitWhenIdle">End the process, as pppd does, once no link is running or due to be dialed again.</param>
    public static IHost Build(IReadOnlyList<LinkSettings> links, LogOptions log, Func<LinkSettings, LinkDependencies>? dependencies = null,
        string[]? args = null, bool exitWhenIdle = false, ManagementSettings? management = null, FleetSettings? fleet = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(args ?? []);
        var barrier = new LogBarrier();
        builder.Services.AddSingleton(barrier);
        builder.Services.AddSerilog(CreateLogger(log, barrier), dispose: true);
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = StopLinksTimeout + TimeSpan.FromSeconds(10));
        var resolve = dependencies ?? LinkDependencyFactory.FromConfig;
        builder.Services.AddAkka("linkactors", (akka, services) =>
        {
            akka.ConfigureLoggers(l =>
            {
                l.ClearLoggers();
                l.AddLoggerFactory();
                l.LogLevel = log.Debug ? Akka.Event.LogLevel.DebugLevel : Akka.Event.LogLevel.InfoLevel;
            });
            akka.AddHocon(ConfigurationFactory.ParseString(
                $"akka.coordinated-shutdown.phases.service-unbind.timeout = {(int)StopLinksTimeout.TotalSeconds + 5}s\n" +
                "akka.coordinated-shutdown.exit-clr = off\n" +
                "akka.log-dead-letters-during-shutdown = off\n" +
                // A message to an attempt that has just ended (a stats question, a late read) is expected
                // around every redial; the lines say nothing to a person. --debug shows them.
                $"akka.log-dead-letters = {(log.Debug ? "10" : "off")}\n" +
                // The scheduler's wheel ticks whether or not a timer is due; link timers are seconds long
                // (LCP restart 3 s, echo, holdoff), so 100 ms is fine-grained enough and 10x fewer wakeups.
                "akka.scheduler.tick-duration = 100ms\n"), HoconAddMode.Prepend);
            akka.AddLinkManagementActors(services);
            akka.WithActors((system, registry) =>
            {
                var manager = system.ActorOf(LinkManager.Props(links, resolve), "links");
                registry.Register<LinkManager>(manager);
                if (exitWhenIdle)
                    system.ActorOf(ExitWhenIdle.Props(manager, services.GetRequiredService<IHostApplicationLifetime>(), barrier), "exit-when-idle");
            });
            if (fleet is { Enabled: true })
                akka.AddStartup((system, _) => FleetReporting.Start(system, fleet, services.GetRequiredService<LinkFactsReader>()));
            akka.AddStartup((system, registry) =>
            {
                var manager = registry.Get<LinkManager>();
                // SIGTERM runs CoordinatedShutdown: every link ends with a Terminate exchange before the system stops.
                CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-links", async () =>
                {
                    try
                    {
                        await manager.Ask<LinkManagement.AllStopped>(new LinkManagement.StopAll("Daemon stopping"), StopLinksTimeout).ConfigureAwait(false);
                    }
                    catch (AskTimeoutException)
                    {
                        system.Log.Warning("links did not all end within {0}", StopLinksTimeout);
                    }
                    // The loggers stop with the system: write out what the links said on their way down.
                    await barrier.LogAndFlushAsync(system.Log, $"All links ended; daemon stopping (exit status {Environment.ExitCode})", LogFlushTimeout).ConfigureAwait(false);
                    return Akka.Done.Instance;
                });
            });
        });
        builder.Services.AddLinkManagement(links, management);
        return builder.Build();
    }

    /// <summary>How long the daemon waits, on its way out, for its last log lines to be written.</summary>
    public static readonly TimeSpan LogFlushTimeout = TimeSpan.FromSeconds(3);

    // Every Akka line arrives under one source (the actor system), so the framework's own are told by their text.
    private static readonly string[] FrameworkLines = ["CoordinatedShutdown invoked due to", "Starting coordinated shutdown from CLR termination hook"];

    private static bool IsFrameworkLine(Serilog.Events.LogEvent e) =>
        FrameworkLines.Any(line => e.MessageTemplate.Text.StartsWith(line, StringComparison.Ordinal));

    private static Serilog.Core.Logger CreateLogger(LogOptions options, LogBarrier barrier)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(options.Debug ? LogEventLevel.Debug : LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            // A service that cannot start is reported in one line by the caller, not with the host's stack trace.
            .MinimumLevel.Override("Microsoft.Extensions.Hosting", LogEventLevel.Fatal)
            .Enrich.FromLogContext();
        if (options.DataTrace is { } dataTrace)
            config = config.Filter.ByExcluding(dataTrace.Drops);
        if (!options.Debug)
            // Akka's own lines at Information about its coordinated shutdown say nothing to a person about
            // the link (the daemon says why it stops and with which code); --debug shows them. Dead letters
            // are not logged during shutdown, and the expected ones are suppressed at their source.
            config = config.Filter.ByExcluding(e => e.Level <= LogEventLevel.Information && IsFrameworkLine(e));
        config = config
            .WriteTo.Sink(barrier)
            .WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}", formatProvider: HumanLogFormat.Instance);
        if (options.LogFile is { } file)
            config = config.WriteTo.File(file, outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}", formatProvider: HumanLogFormat.Instance);
        return config.CreateLogger();
    }
}
