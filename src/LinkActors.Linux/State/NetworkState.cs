using System.Globalization;
using System.Net;
using LinkActors.Linux.Dns;
using LinkActors.Linux.Netlink;

namespace LinkActors.Linux.State;

/// <summary>
/// What one link has changed on the host, written down before each change is made so that the next
/// start can undo what a crashed instance left: its interface, the default routes it replaced, the
/// routes it added, the resolv.conf it wrote.
/// </summary>
public sealed record NetworkState
{
    public required string Link { get; init; }

    public string? Interface { get; init; }

    public int InterfaceIndex { get; init; }

    /// <summary>Routes we added (the default route, configured routes), removed on the way down.</summary>
    public IReadOnlyList<SavedRoute> AddedRoutes { get; init; } = [];

    /// <summary>Default routes `replacedefaultroute` took away, added back on the way down.</summary>
    public IReadOnlyList<SavedRoute> ReplacedRoutes { get; init; } = [];

    public SavedResolvConf? ResolvConf { get; init; }

    public bool IsEmpty => Interface is null && AddedRoutes.Count == 0 && ReplacedRoutes.Count == 0 && ResolvConf is null;
}

/// <summary>A <see cref="Route"/> in a form that survives a JSON round trip.</summary>
public sealed record SavedRoute(string Destination, int PrefixLength, int? OutputInterface, string? Gateway, uint? Metric,
    uint Table, byte Protocol, byte Scope, string? PreferredSource)
{
    public static SavedRoute From(Route route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return new SavedRoute(route.Destination.ToString(), route.PrefixLength, route.OutputInterface, route.Gateway?.ToString(),
            route.Metric, route.Table, route.Protocol, route.Scope, route.PreferredSource?.ToString());
    }

    public Route ToRoute() => new(IPAddress.Parse(Destination), PrefixLength, OutputInterface,
        Gateway is null ? null : IPAddress.Parse(Gateway), Metric, Table, Protocol, Scope,
        PreferredSource is null ? null : IPAddress.Parse(PreferredSource));

    public override string ToString() => ToRoute().ToString();
}

/// <summary>A <see cref="ResolvConfBackup"/> in a form that survives a JSON round trip.</summary>
public sealed record SavedResolvConf(string Path, string? PreviousContent, bool CreatedDirectory)
{
    public static SavedResolvConf From(ResolvConfBackup backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        return new SavedResolvConf(backup.Path, backup.PreviousContent, backup.CreatedDirectory);
    }

    public ResolvConfBackup ToBackup() => new(Path, PreviousContent, CreatedDirectory);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"SavedResolvConf {{ Path = {Path}, PreviousContent = {PreviousContent?.Length ?? -1} chars }}");
}
