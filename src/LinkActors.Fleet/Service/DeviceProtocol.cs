using LinkActors.Fleet.Wire;

namespace LinkActors.Fleet.Service;

/// <summary>Every message the fleet's nodes exchange or persist; serialized by <see cref="FleetJsonSerializer"/>.</summary>
public interface IFleetMessage;

/// <summary>A message for one <see cref="DeviceEntity"/>; sharding routes it by <see cref="DeviceId"/>.</summary>
public interface IDeviceMessage : IFleetMessage
{
    string DeviceId { get; }
}

/// <summary>Messages of <see cref="DeviceEntity"/>: commands imperative, answers past tense.</summary>
public static class DeviceProtocol
{
    /// <summary>Give the device a token (its SHA-256 is kept, never the token); answered with <see cref="Registered"/>.</summary>
    /// <param name="OnlyIfNew">Enrolment: refuse when the device already has a token.</param>
    public sealed record Register(string DeviceId, byte[] TokenHash, IReadOnlyList<string> Tags, bool OnlyIfNew) : IDeviceMessage
    {
        public override string ToString() => $"Register {{ DeviceId = {DeviceId}, Tags = {Tags.Count}, OnlyIfNew = {OnlyIfNew} }}";
    }

    public sealed record Registered(string DeviceId, bool Ok, string? Error) : IFleetMessage;

    /// <summary>A report with the hash of the token it came with; answered with <see cref="ReportReply"/>.</summary>
    public sealed record Report(string DeviceId, byte[] TokenHash, DeviceReport Body, int Bytes) : IDeviceMessage
    {
        public override string ToString() => $"Report {{ DeviceId = {DeviceId}, Seq = {Body.Seq}, Bytes = {Bytes} }}";
    }

    /// <param name="Status">The HTTP status to answer with: 200, or 4xx with <paramref name="Problem"/>.</param>
    public sealed record ReportReply(int Status, ReportAnswer? Answer, Problem? Problem) : IFleetMessage;

    /// <summary>Queue a command for the device's next report; answered with <see cref="CommandReply"/>.</summary>
    public sealed record QueueCommand(string DeviceId, string Verb, string? Link, int? Seconds, int? Interval) : IDeviceMessage;

    public sealed record GetCommand(string DeviceId, string CommandId) : IDeviceMessage;

    /// <param name="Status">200/202, or 404 with <paramref name="Problem"/>.</param>
    public sealed record CommandReply(int Status, CommandView? Command, Problem? Problem) : IFleetMessage;

    /// <summary>Answered with <see cref="DeviceReply"/>.</summary>
    public sealed record GetDevice(string DeviceId) : IDeviceMessage;

    public sealed record DeviceReply(DeviceView? Device) : IFleetMessage;

    /// <summary>Ask the entity to publish its summary (a node rebuilding its directory); answered with <see cref="DeviceSummary"/> or <see cref="DeviceReply"/> when unknown.</summary>
    public sealed record GetSummary(string DeviceId) : IDeviceMessage;
}

/// <summary>One device in the operator's list: what the filters and the fleet page need.</summary>
public sealed record DeviceSummary(
    string Id,
    IReadOnlyList<string> Tags,
    DateTimeOffset? LastSeen,
    string Phase,
    bool Down,
    bool DeadPath,
    bool WeakSignal,
    int? Dbm,
    string? Reg,
    string? Op,
    double? Uptime,
    FailureFacts? Failure,
    string? Doctor,
    string? Severity,
    int PendingCommands,
    long Reports,
    long Version) : IFleetMessage;

/// <summary>One device in depth: its facts, its recent events, its commands, and its facts over time (the page's charts).</summary>
public sealed record DeviceView(
    DeviceSummary Summary,
    IReadOnlyList<LinkFacts> Links,
    ReporterFacts? Reporter,
    IReadOnlyList<TimelineEntry> Events,
    IReadOnlyList<CommandView> Commands,
    IReadOnlyList<DeviceSample>? Samples = null);

/// <summary>What one accepted report said, for the charts over time: links up, the weakest signal, the traffic counters (summed over links).</summary>
public sealed record DeviceSample(DateTimeOffset At, bool Up, int? Dbm, long? TxBytes, long? RxBytes);

/// <summary>A line of a device's timeline: what the device reported, or what the fleet did.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Link, string Kind, string Text);

/// <param name="State">queued (waiting for the device's next report), delivered (sent in an answer, not yet acknowledged),
/// done, failed or refused (as the device acknowledged it).</param>
public sealed record CommandView(
    string Id,
    string Verb,
    string? Link,
    int? Seconds,
    int? Interval,
    string State,
    DateTimeOffset QueuedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? FinishedAt,
    string? Detail) : IFleetMessage
{
    public bool Finished => State is "done" or "failed" or "refused";

    public FleetCommand ToWire() => new(Id, Verb, Link, Seconds, Interval);
}
