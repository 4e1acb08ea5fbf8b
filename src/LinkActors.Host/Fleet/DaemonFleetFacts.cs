using Akka.Actor;
using LinkActors.Actors.Link;
using LinkActors.Fleet.Wire;
using LinkActors.Host.Doctor;
using LinkActors.Host.Management;

namespace LinkActors.Host.Fleet;

/// <summary>
/// The one place that knows how the daemon publishes its links' facts: today the management endpoint's
/// <see cref="LinkFactsReader"/> (which asks the actors), the <see cref="LinkEventLog"/> (recent events for
/// the doctor), and the link events on the event stream. When facts are published differently, only
/// this class changes.
/// </summary>
public sealed class DaemonFleetFacts(LinkFactsReader reader) : IFleetFacts
{
    public IReadOnlyList<Type> Triggers { get; } =
    [
        typeof(LinkProtocol.PhaseChanged),
        typeof(LinkProtocol.Ended),
        typeof(LinkProtocol.ModemInfoUpdated),
        typeof(LinkManagement.GaveUp),
        typeof(LinkManagement.EscalationStepTaken),
    ];

    public DeviceEvent? Describe(object published, DateTimeOffset now) => published switch
    {
        // Dial/Establish/... within one attempt are many; the ends of the road are what an operator follows.
        LinkProtocol.PhaseChanged { Phase: LinkProtocol.Phase.Network or LinkProtocol.Phase.Dead } p => new DeviceEvent(now, p.Link, "phase", LinkEventLog.Summarize(p)),
        LinkProtocol.PhaseChanged { Phase: LinkProtocol.Phase.Dial } p => new DeviceEvent(now, p.Link, "dial", LinkEventLog.Summarize(p)),
        LinkProtocol.Ended e => new DeviceEvent(now, e.Link, "failure", LinkEventLog.Summarize(e)),
        LinkManagement.GaveUp g => new DeviceEvent(now, g.Link, "gave-up", LinkEventLog.Summarize(g)),
        LinkManagement.EscalationStepTaken s => new DeviceEvent(now, s.Link, "ladder", $"{s.Step} after {s.Repeats} x {s.Failure.Code}"),
        _ => null,
    };

    public async Task<IReadOnlyList<LinkFacts>> ReadAsync()
    {
        var views = await reader.ReadAllAsync().ConfigureAwait(false);
        var facts = new List<LinkFacts>(views.Count);
        foreach (var view in views)
        {
            var events = await reader.Events.Ask<LinkEvents.Recorded>(new LinkEvents.GetEvents(view.Name), reader.Timeout).ConfigureAwait(false);
            var diagnosis = LinkDoctor.Examine(new DoctorFacts(view, events.Events));
            facts.Add(From(view, diagnosis));
        }
        return facts;
    }

    public static LinkFacts From(LinkView view, Diagnosis? diagnosis)
    {
        ArgumentNullException.ThrowIfNull(view);
        var failure = view.Failure ?? view.LastFailure;
        return new LinkFacts(
            Name: view.Name,
            Phase: view.Phase,
            Up: view.IsUp,
            Local: view.Local,
            Remote: view.Remote,
            Uptime: view.UptimeSeconds is { } u ? Math.Round(u) : null,
            Dbm: view.Modem?.SignalDbm,
            Reg: view.Modem?.Registration,
            Op: view.Modem?.Operator,
            Tech: view.Modem?.Technology,
            TxBytes: view.Traffic?.BytesSent,
            RxBytes: view.Traffic?.BytesReceived,
            Redials: view.Redials,
            Failure: failure is null ? null : new FailureFacts(failure.Code, failure.Message),
            Doctor: diagnosis?.Summary,
            Severity: diagnosis?.Severity.ToString(),
            DeadPath: diagnosis?.Findings.Any(f => f.Code == "dead-data-path") == true)
        {
            Rsrp = view.Modem?.RsrpDbm,
            Pdp = view.Modem?.PdpContexts is { Count: > 0 } contexts ? string.Join("; ", contexts) : null,
        };
    }
}
