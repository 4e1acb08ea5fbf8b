using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkActors.Fleet.Wire;

// The device API's wire format, shared by the daemon's reporter and the fleet service. Property
// names are short on purpose: every byte of a report is paid for on a metered cellular link.

/// <summary>What a device says about itself. <paramref name="Seq"/> grows with every report the device
/// sends (it starts from the Unix time in milliseconds at daemon start), so a replayed report is recognised.</summary>
/// <param name="Why">What made the device report: change, heartbeat, ack, retry.</param>
/// <param name="Acks">Outcomes of commands the device has run since its last accepted report.</param>
/// <param name="Events">Changes since the last accepted report, oldest first, bounded (newest win).</param>
public sealed record DeviceReport(
    long Seq,
    string Why,
    IReadOnlyList<LinkFacts> Links,
    IReadOnlyList<CommandAck>? Acks = null,
    IReadOnlyList<DeviceEvent>? Events = null,
    ReporterFacts? Reporter = null);

/// <summary>One link's facts as the daemon knows them.</summary>
/// <param name="Rsrp">LTE RSRP in dBm (+CESQ).</param>
/// <param name="Pdp">The modem's PDP contexts in words (+CGACT, +CGPADDR), "; "-separated.</param>
public sealed record LinkFacts(
    string Name,
    string Phase,
    bool Up,
    string? Local = null,
    string? Remote = null,
    double? Uptime = null,
    int? Dbm = null,
    string? Reg = null,
    string? Op = null,
    string? Tech = null,
    long? TxBytes = null,
    long? RxBytes = null,
    int Redials = 0,
    FailureFacts? Failure = null,
    string? Doctor = null,
    string? Severity = null,
    bool DeadPath = false,
    long? ProbeBytes = null,
    int? Rsrp = null,
    string? Pdp = null);

public sealed record FailureFacts(string Code, string Text);

/// <summary>A change the device saw: a phase, a failure, a redial, a command's execution.</summary>
public sealed record DeviceEvent(DateTimeOffset At, string Link, string Kind, string Text);

/// <param name="Outcome">done, failed or refused.</param>
public sealed record CommandAck(string Id, string Outcome, string? Detail = null);

/// <summary>The reporter's own state: its budget and what it held back.</summary>
public sealed record ReporterFacts(long Budget, long Spent24h, int Dropped, bool Slowed, string? Watch = null);

/// <summary>The fleet service's answer to an accepted report: the commands the device has not yet acknowledged.</summary>
public sealed record ReportAnswer(long Seq, IReadOnlyList<FleetCommand> Commands);

/// <param name="Verb">redial, down, up, reset-modem, doctor, watch-closely.</param>
/// <param name="Link">The link to act on; null: every link of the device.</param>
/// <param name="Seconds">watch-closely: how long.</param>
/// <param name="Interval">watch-closely: seconds between reports meanwhile.</param>
public sealed record FleetCommand(string Id, string Verb, string? Link = null, int? Seconds = null, int? Interval = null);

/// <summary>Why a request was refused, in words, with what to do about it.</summary>
public sealed record Problem(string Error, string? Hint = null);

/// <summary>The enrolment answer: the device's own token, shown once.</summary>
public sealed record Enrolled(string Device, string Token);

public static class FleetVerbs
{
    public static readonly IReadOnlyList<string> All = ["redial", "down", "up", "reset-modem", "doctor", "watch-closely"];

    public static bool IsKnown(string verb) => All.Contains(verb, StringComparer.Ordinal);
}

public static class FleetJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 16,
    };

    /// <summary>The options for the operator API: nulls kept, so a page sees every field.</summary>
    public static JsonSerializerOptions Operator { get; } = new(JsonSerializerDefaults.Web) { MaxDepth = 32 };
}
