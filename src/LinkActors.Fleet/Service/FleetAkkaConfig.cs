using System.Globalization;
using System.Text;

namespace LinkActors.Fleet.Service;

/// <summary>The Akka.NET configuration of a fleet node, rendered from its settings: remoting, cluster with the
/// Split Brain Resolver (keep-majority), Akka.Management with Cluster.Bootstrap over config discovery, sharding and
/// SQL persistence.</summary>
public static class FleetAkkaConfig
{
    public const string Journal = "akka.persistence.journal.sql";
    public const string ReadJournal = "akka.persistence.query.journal.sql";

    public static string Render(FleetServiceSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        string provider = s.Provider == "postgresql" ? "PostgreSQL.15" : "SQLite.MS";
        string connection = Quote(s.Provider == "sqlite" ? SqliteWithWal(s.ConnectionString) : s.ConnectionString);
        var endpoints = string.Join(", ", (s.ContactPoints.Count == 0 ? [$"{s.Hostname}:{s.ManagementPort}"] : s.ContactPoints).Select(Quote));
        var b = new StringBuilder();
        b.AppendLine(CultureInfo.InvariantCulture, $$"""
            akka {
              actor.provider = cluster
              remote.dot-netty.tcp { hostname = {{Quote(s.Hostname)}}, port = {{s.RemotePort}} }
              cluster {
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-majority
                  stable-after = {{(int)s.StableAfter.TotalMilliseconds}}ms
                }
                sharding {
                  state-store-mode = ddata
                  remember-entities = off
                  journal-plugin-id = "{{Journal}}"
                  snapshot-plugin-id = "akka.persistence.snapshot-store.sql"
                }
              }
              management.http {
                hostname = {{Quote(s.Hostname)}}
                port = {{s.ManagementPort}}
              }
              management.cluster.bootstrap.contact-point-discovery {
                service-name = {{Quote(s.ServiceName)}}
                discovery-method = config
                required-contact-point-nr = {{s.RequiredContactPoints}}
              }
              # The contact points name their ports (several nodes may share a machine): keep them all.
              management.cluster.bootstrap.contact-point.filter-on-fallback-port = false
              discovery {
                method = config
                config.services.{{Quote(s.ServiceName)}}.endpoints = [{{endpoints}}]
              }
              persistence {
                journal {
                  plugin = "{{Journal}}"
                  sql { connection-string = {{connection}}, provider-name = "{{provider}}", auto-initialize = on }
                }
                snapshot-store {
                  plugin = "akka.persistence.snapshot-store.sql"
                  sql { connection-string = {{connection}}, provider-name = "{{provider}}", auto-initialize = on }
                }
                query.journal.sql { connection-string = {{connection}}, provider-name = "{{provider}}", write-plugin = "{{Journal}}" }
              }
            }
            """);
        b.AppendLine(FleetJsonSerializer.Hocon);
        return b.ToString();
    }

    /// <summary>Several nodes on one machine may share one SQLite file: wait for its lock rather than fail.</summary>
    private static string SqliteWithWal(string connection) =>
        connection.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase) ? connection : connection.TrimEnd(';') + ";Default Timeout=30";

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
