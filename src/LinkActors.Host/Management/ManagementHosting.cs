using Akka.Actor;
using Akka.Hosting;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Link;
using LinkActors.Host.Management.Systemd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace LinkActors.Host.Management;

/// <summary>Wires the management endpoint, the metrics, the event log and systemd notification into the daemon's host.</summary>
public static class ManagementHosting
{
    /// <summary>The event log (started before the links so it hears their first events) and the liveness check.</summary>
    public static AkkaConfigurationBuilder AddLinkManagementActors(this AkkaConfigurationBuilder akka, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(akka);
        akka.WithActorSystemLivenessCheck(tags: [ManagementServer.AliveTag]);
        return akka.WithActors((system, registry) =>
        {
            var log = system.ActorOf(LinkEventLog.Props(services.GetService<LinkMetrics>()), "link-events");
            registry.Register<LinkEventLog>(log);
        });
    }

    /// <summary>Call after AddAkka, so that the endpoint starts once the actor system runs.</summary>
    public static IServiceCollection AddLinkManagement(this IServiceCollection services, IReadOnlyList<LinkSettings> links, ManagementSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(links);
        services.AddHealthChecks();
        services.AddSingleton(_ => new LinkMetrics(links.Select(l => l.Name)));
        services.AddSingleton(sp =>
        {
            var registry = sp.GetRequiredService<ActorRegistry>();
            return new LinkFactsReader(sp.GetRequiredService<ActorSystem>(), registry.Get<LinkManager>(), registry.Get<LinkEventLog>(), links);
        });
        if (settings is { Enabled: true })
        {
            settings.Validate();
            services.AddSingleton(settings);
            services.AddSingleton<ManagementServer>();
            services.AddHostedService(sp => sp.GetRequiredService<ManagementServer>());
        }
        services.AddSingleton(sp =>
        {
            // Hosted services are built before the actor system starts: resolve what needs it on first use.
            bool Alive() => !sp.GetRequiredService<ActorSystem>().WhenTerminated.IsCompleted;
            return new ServiceNotifier(SystemdNotify.FromEnvironment(), SystemdNotify.WatchdogIntervalFromEnvironment(),
                async () => Readiness.Evaluate(Alive(), await sp.GetRequiredService<LinkFactsReader>().ReadAllAsync().ConfigureAwait(false)), Alive,
                sp.GetRequiredService<ILogger<ServiceNotifier>>());
        });
        services.AddHostedService(sp => sp.GetRequiredService<ServiceNotifier>());
        if (SystemdHelpers.IsSystemdService())
        {
            // systemd's own lifetime says READY=1 as soon as the host has started; the daemon is ready
            // only when its required links are up, which the ServiceNotifier says. Signals are handled the same.
            services.AddSingleton<IHostLifetime, ConsoleLifetime>();
            services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        }
        return services;
    }
}
