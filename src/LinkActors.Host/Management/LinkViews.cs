using System.Text.Json;

namespace LinkActors.Host.Management;

/// <summary>One link as `GET /links/{name}` shows it: what the link manager, the link, its framing,
/// its network side and the event log know, read at one moment.</summary>
/// <param name="Running">An attempt exists (dialing, negotiating, up or hanging up).</param>
/// <param name="Phase">The attempt's phase; "Dead" between attempts.</param>
/// <param name="Layers">Each control protocol's automaton state (LCP, IPCP, ...).</param>
/// <param name="Attempts">Attempts started since the daemon started.</param>
/// <param name="Redials">Attempts after the first.</param>
/// <param name="Failure">Why the current attempt is failing, if it is.</param>
/// <param name="LastFailure">How the last attempt ended.</param>
public sealed record LinkView(
    string Name,
    bool Required,
    bool Running,
    string Phase,
    IReadOnlyDictionary<string, string> Layers,
    string? Local,
    string? Remote,
    IReadOnlyList<string> Dns,
    string? Negotiated,
    DateTimeOffset? UpSince,
    double? UptimeSeconds,
    int Attempts,
    int Redials,
    int ConsecutiveFailures,
    DateTimeOffset? NextAttempt,
    FailureView? Failure,
    FailureView? LastFailure,
    string? GaveUp,
    TrafficView? Traffic,
    LineView? Line,
    ErrorsView? Errors,
    ModemView? Modem,
    double? EchoRttMs)
{
    public bool IsUp => Phase == "Network" && Local is not null;

    /// <summary>Bytes the watchdog's idle-link probe spent on the line since the daemon started.</summary>
    public long ProbeBytes { get; init; }

    /// <summary>The modem's answers after the last dead data path, kept across redials.</summary>
    public ModemCheckView? ModemCheck { get; init; }

    /// <summary>Settings in effect that the doctor weighs ("lcp.accomp" = "false", "watchdog.probe-budget" = "20000"), keyed as in HOCON.</summary>
    public IReadOnlyDictionary<string, string>? Configured { get; init; }
}

public sealed record FailureView(int ExitCode, string Code, string Message);

/// <summary>IP packets and octets through the network side (what the interface or endpoint sent and got).</summary>
public sealed record TrafficView(long PacketsSent, long BytesSent, long PacketsReceived, long BytesReceived, long Dropped);

/// <summary>The line under PPP: octets and frames as the HDLC framing counted them, control protocols included.</summary>
public sealed record LineView(long BytesSent, long FramesSent, long BytesReceived, long FramesReceived, int Queued);

/// <summary>Errors by kind: receive errors of the framing (RFC 1662), and data frames dropped on a full transmit queue.</summary>
public sealed record ErrorsView(long BadFcs, long Runts, long Oversize, long Aborted, long DiscardedBytes, long TxDropped)
{
    public long Total => BadFcs + Runts + Oversize + Aborted + TxDropped;
}

/// <summary>What the modem last said about itself and the network.</summary>
public sealed record ModemView(
    int? Rssi,
    int? SignalDbm,
    int? BitErrorRate,
    string? Registration,
    string? RegistrationStatus,
    bool? Registered,
    bool? Roaming,
    string? Operator,
    string? Technology,
    string? Sim,
    string? Manufacturer,
    string? Model,
    string? Revision,
    string? Imei,
    string Summary)
{
    /// <summary>+CESQ: LTE RSRP in dBm.</summary>
    public int? RsrpDbm { get; init; }

    /// <summary>+CESQ: LTE RSRQ in dB.</summary>
    public double? RsrqDb { get; init; }

    /// <summary>+CGATT: attached for data.</summary>
    public bool? Attached { get; init; }

    /// <summary>+CGACT / +CGPADDR / +CGCONTRDP: the PDP contexts in words ("context 1 active, 10.64.12.7").</summary>
    public IReadOnlyList<string>? PdpContexts { get; init; }
}

/// <summary>
/// What the modem answered when it was last asked why the data path died (issue 19), and what that shows.
/// </summary>
/// <param name="Answered">Each command asked and how the modem took it.</param>
/// <param name="IpcpAddress">The address IPCP had given PPP.</param>
/// <param name="Findings">Named findings (pdp-address-mismatch, not-attached) in plain words.</param>
public sealed record ModemCheckView(DateTimeOffset Time, string Answers, IReadOnlyList<string> Answered, string? IpcpAddress, IReadOnlyList<ModemFindingView> Findings);

public sealed record ModemFindingView(string Code, string Text);

/// <summary>One event of a link as the event log keeps it.</summary>
/// <param name="Sequence">Increases by one for every event the daemon records, across links.</param>
/// <param name="Type">The event's type name (PhaseChanged, LayerChanged, Up, Ended, ...).</param>
/// <param name="Summary">The event in words.</param>
/// <param name="Data">The event's fields.</param>
public sealed record EventView(long Sequence, DateTimeOffset Time, string Link, string Type, string Summary, JsonElement Data);

public sealed record LinksView(IReadOnlyList<LinkView> Links);

public sealed record EventsView(string Link, IReadOnlyList<EventView> Events);

public sealed record ErrorView(string Error, string? Link = null, string? Hint = null);

public sealed record ActionView(string Link, string Action, bool Accepted, string Detail);

public sealed record HealthView(bool Alive, bool Ready, string Status, IReadOnlyList<string> Waiting);
