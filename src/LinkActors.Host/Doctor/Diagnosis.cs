using LinkActors.Host.Management;

namespace LinkActors.Host.Doctor;

/// <summary>How bad a finding is; a diagnosis is as bad as its worst finding.</summary>
public enum Severity
{
    Ok,
    Info,
    Warning,
    Problem,
}

/// <summary>What the doctor looks at: a link as the endpoint shows it, its recent events, and
/// optionally an earlier read of its IP counters (to see whether traffic flows each way).</summary>
/// <param name="EarlierTraffic">The link's traffic <paramref name="SampleInterval"/> before <paramref name="Link"/> was read.</param>
public sealed record DoctorFacts(LinkView Link, IReadOnlyList<EventView> Events, TrafficView? EarlierTraffic = null, TimeSpan? SampleInterval = null);

/// <param name="Code">Stable name of the rule (dead-data-path, not-registered, chat-failed, ...), for scripts.</param>
/// <param name="Evidence">The facts the finding rests on.</param>
public sealed record Finding(
    string Code,
    Severity Severity,
    string Title,
    string Explanation,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<string> LikelyCauses,
    IReadOnlyList<string> NextSteps);

public sealed record Diagnosis(string Link, Severity Severity, string Summary, IReadOnlyList<Finding> Findings);
