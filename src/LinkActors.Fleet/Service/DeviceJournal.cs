using LinkActors.Fleet.Wire;

namespace LinkActors.Fleet.Service;

/// <summary>What a <see cref="DeviceEntity"/> persists: facts it has accepted, never requests it refused.</summary>
public static class DeviceJournal
{
    public sealed record TokenSet(byte[] TokenHash, IReadOnlyList<string> Tags, DateTimeOffset At) : IFleetMessage
    {
        public override string ToString() => $"TokenSet {{ Tags = {Tags.Count}, At = {At:O} }}";
    }

    public sealed record ReportAccepted(DeviceReport Report, DateTimeOffset At) : IFleetMessage;

    public sealed record CommandQueued(string Id, string Verb, string? Link, int? Seconds, int? Interval, DateTimeOffset At) : IFleetMessage;

    public sealed record CommandsDelivered(IReadOnlyList<string> Ids, DateTimeOffset At) : IFleetMessage;

    /// <summary>The whole state, saved every so many events so that recovery stays short.</summary>
    public sealed record Snapshot(
        byte[]? TokenHash,
        IReadOnlyList<string> Tags,
        long LastSeq,
        long Reports,
        DateTimeOffset? LastSeen,
        IReadOnlyList<LinkFacts> Links,
        ReporterFacts? Reporter,
        IReadOnlyList<TimelineEntry> Events,
        IReadOnlyList<CommandView> Commands,
        long NextCommand,
        IReadOnlyList<DeviceSample>? Samples = null) : IFleetMessage
    {
        public override string ToString() => $"Snapshot {{ LastSeq = {LastSeq}, Events = {Events.Count}, Commands = {Commands.Count} }}";
    }
}
