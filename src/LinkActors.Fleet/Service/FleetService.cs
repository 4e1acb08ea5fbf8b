using System.Net;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LinkActors.Fleet.Service;

/// <summary>Marker for the device shard region in the actor registry.</summary>
public sealed class DeviceRegion;

/// <summary>
/// One node of the fleet service: Kestrel with the device API and the operator API, and an Akka.NET
/// cluster node with the device entities (sharded, persisted) and this node's directory of devices.
/// </summary>
public static class FleetService
{
    public static WebApplication Build(FleetServiceSettings settings, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Provider == "sqlite")
            UseWriteAheadLog(settings.ConnectionString);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is not null)
            logging(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxReportBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 8 * 1024;
            var address = settings.Bind == "localhost" ? IPAddress.Loopback : IPAddress.Parse(settings.Bind);
            kestrel.Listen(address, settings.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (settings.Tls)
                {
                    var certificate = X509Certificate2.CreateFromPemFile(settings.Certificate!, settings.Key);
                    listen.UseHttps(certificate);
                }
            });
            // Cluster.Bootstrap's contact point, for the other nodes (plain HTTP, on the cluster's own address).
            kestrel.Listen(settings.Hostname == "localhost" ? IPAddress.Loopback : IPAddress.Parse(settings.Hostname), settings.ManagementPort,
                listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new Page.OperatorSession(settings.OperatorToken, settings.Session));
        builder.Services.AddAkka("linkactors-fleet", (akka, services) =>
        {
            akka.AddHocon(ConfigurationFactory.ParseString(FleetAkkaConfig.Render(settings)), HoconAddMode.Prepend);
            // The SQL plugins' own defaults (their classes, table layouts), under what is set above.
            akka.AddHocon(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration, HoconAddMode.Append);
            akka.AddHocon(Akka.Persistence.Sql.SqlPersistence.DefaultQueryConfiguration, HoconAddMode.Append);
            if (!settings.Akka.IsEmpty)
                akka.AddHocon(settings.Akka, HoconAddMode.Prepend);
            akka.ConfigureLoggers(l =>
            {
                l.ClearLoggers();
                l.AddLoggerFactory();
            });
            akka.WithActors((system, registry) =>
            {
                var extractor = HashCodeMessageExtractor.Create(settings.Shards, m => (m as IDeviceMessage)?.DeviceId!, m => m);
                var region = ClusterSharding.Get(system).Start("device", id => DeviceEntity.Props(id), ClusterShardingSettings.Create(system), extractor);
                registry.Register<DeviceRegion>(region);
                var directory = system.ActorOf(FleetDirectory.Props(region, FleetAkkaConfig.ReadJournal), "directory");
                registry.Register<FleetDirectory>(directory);
                // The links-up series: one for the fleet (a singleton on the oldest node), persisted like the devices.
                system.ActorOf(ClusterSingletonManager.Props(LinksUpHistory.Props(directory, settings.HistoryInterval), PoisonPill.Instance,
                    ClusterSingletonManagerSettings.Create(system)), "links-up-history");
                registry.Register<LinksUpHistory>(system.ActorOf(ClusterSingletonProxy.Props("/user/links-up-history",
                    ClusterSingletonProxySettings.Create(system)), "links-up-history-proxy"));
            });
            akka.AddStartup(async (system, _) => await BootstrapRoute.StartAsync(system, settings).ConfigureAwait(false));
        });
        var app = builder.Build();
        FleetApi.Map(app);
        Page.FleetPage.Map(app);
        BootstrapRoute.Map(app, settings);
        return app;
    }

    /// <summary>SQLite in WAL mode: readers do not wait for the writer, and several nodes on one machine can share the file.</summary>
    private static void UseWriteAheadLog(string connectionString)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    /// <summary>The members of the cluster this node sees as Up.</summary>
    public static int MembersUp(ActorSystem system) => Cluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up);
}
