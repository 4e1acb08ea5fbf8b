namespace LinkActors.Actors.Network;

/// <summary>Messages and events of a <see cref="RouteActor"/>: what the link changed on the host, and undid.</summary>
public static class RouteProtocol
{
    /// <summary>To the TUN actor: addresses or routes of a family could not be set; the link cannot carry it.</summary>
    public sealed record ConfigurationFailed(string Family, string Reason);

    /// <summary>Published when a family is configured on the interface (addresses, routes, DNS), before its up script runs.</summary>
    public sealed record Configured(string Link, string Interface, string Family, string Description);

    /// <summary>Published when everything a family's up did has been undone, before its down script runs.</summary>
    public sealed record Deconfigured(string Link, string Interface, string Family);

    /// <summary>Published when an ip-up / ip-down / ipv6-up / ipv6-down script has ended (or was killed at its timeout).</summary>
    public sealed record ScriptFinished(string Link, string Script, string Path, int? ExitCode, bool TimedOut, string? StartError);

    /// <summary>Published when a state file of a previous instance was found and acted upon.</summary>
    public sealed record LeftoversCleaned(string Link, IReadOnlyList<string> Actions)
    {
        public override string ToString() => $"LeftoversCleaned {{ Link = {Link}, Actions = {Actions.Count} }}";
    }
}
