using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Akka.Management.Dsl;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;

namespace LinkActors.Fleet.Service;

/// <summary>
/// Cluster.Bootstrap's contact point (`GET /bootstrap/seed-nodes`), served by Kestrel on the management
/// port. Akka.Management's own HTTP server needs Ceen.Httpd 0.9.9, which the package source here does not
/// serve (0.9.10 lacks the method it calls), so the route runs here instead: the same JSON, written with the
/// library's own types and serializer, and the rest of Cluster.Bootstrap (discovery, probing, the join
/// decision) is Akka.Management's.
/// </summary>
public static class BootstrapRoute
{
    public const string Path = "/bootstrap/seed-nodes";

    public static void Map(WebApplication app, FleetServiceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        // The management port is plain HTTP: nothing but the contact point answers there.
        app.Use(async (http, next) =>
        {
            if (http.Connection.LocalPort == settings.ManagementPort && http.Request.Path != Path)
            {
                http.Response.StatusCode = 404;
                return;
            }
            await next(http).ConfigureAwait(false);
        });
        app.MapGet(Path, (HttpContext http) =>
        {
            var cluster = Cluster.Get(http.RequestServices.GetRequiredService<ActorSystem>());
            // Before it has joined, a node's own member is "Removed": it still answers, with no seed nodes.
            if (cluster.SelfMember.Status is MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Leaving)
                return Results.StatusCode(503);
            var state = cluster.State;
            var members = state.Members
                .Where(m => !state.Unreachable.Contains(m) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
                .Take(5)
                .Select(m => new HttpBootstrapJsonProtocol.ClusterMember(m.UniqueAddress.Address, m.UniqueAddress.Uid, m.Status, m.Roles))
                .ToImmutableList();
            var json = JsonConvert.SerializeObject(new HttpBootstrapJsonProtocol.SeedNodes(cluster.SelfMember.UniqueAddress.Address, members));
            return Results.Content(json, "application/json");
        }).RequireHost($"*:{settings.ManagementPort}");
    }

    /// <summary>Tells Cluster.Bootstrap where this node's contact point is, and starts it.</summary>
    public static async Task StartAsync(ActorSystem system, FleetServiceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var bootstrap = ClusterBootstrap.Get(system);
        _ = bootstrap.Routes(ManagementRouteProviderSettings.Create(new Uri($"http://{settings.Hostname}:{settings.ManagementPort}/"), true));
        await bootstrap.Start().ConfigureAwait(false);
    }
}
