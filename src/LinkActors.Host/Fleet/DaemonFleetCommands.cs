using System.Text;
using Akka.Actor;
using LinkActors.Actors.Link;
using LinkActors.Fleet.Service;
using LinkActors.Fleet.Wire;
using LinkActors.Host.Doctor;
using LinkActors.Host.Management;

namespace LinkActors.Host.Fleet;

/// <summary>Runs the fleet's commands with the link manager's own messages, as the management endpoint does.</summary>
public sealed class DaemonFleetCommands(LinkFactsReader reader) : IFleetCommands
{
    /// <summary>The fleet accepts a command's outcome up to this long (<see cref="ReportRules.MaxAckDetail"/>).</summary>
    private const int MaxDetail = ReportRules.MaxAckDetail;

    /// <summary>The doctor's full explanation in plain words, one line per point, as `linkactors doctor` says it.</summary>
    public static void Explain(StringBuilder text, Diagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(diagnosis);
        if (!diagnosis.Summary.StartsWith(diagnosis.Link + ":", StringComparison.Ordinal))
            text.Append(diagnosis.Link).Append(": ");
        text.Append(diagnosis.Summary).Append(" (").Append(diagnosis.Severity).Append(")\n");
        foreach (var finding in diagnosis.Findings)
        {
            text.Append(finding.Title).Append(": ").Append(finding.Explanation).Append('\n');
            if (finding.Evidence.Count > 0)
                text.Append("Seen: ").AppendJoin("; ", finding.Evidence).Append('\n');
            if (finding.LikelyCauses.Count > 0)
                text.Append("Likely causes: ").AppendJoin("; ", finding.LikelyCauses).Append('\n');
            if (finding.NextSteps.Count > 0)
                text.Append("Try next: ").AppendJoin("; ", finding.NextSteps).Append('\n');
        }
    }

    public async Task<CommandAck> RunAsync(FleetCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Link is { } named && !reader.IsConfigured(named))
            return new CommandAck(command.Id, "refused", $"this device has no link {named}");
        var links = command.Link is { } one ? [one] : reader.Names.ToList();
        switch (command.Verb)
        {
            case "redial" or "down" or "up" or "reset-modem":
                foreach (var link in links)
                {
                    object message = command.Verb switch
                    {
                        "redial" => new LinkManagement.Redial(link),
                        "down" => new LinkManagement.Down(link),
                        "up" => new LinkManagement.Up(link),
                        _ => new LinkManagement.ResetModem(link),
                    };
                    reader.Manager.Tell(message, ActorRefs.NoSender);
                }
                return new CommandAck(command.Id, "done", $"{command.Verb} sent to {string.Join(", ", links)}");
            case "doctor":
                var text = new StringBuilder();
                foreach (var link in links)
                {
                    if (await reader.ReadAsync(link).ConfigureAwait(false) is not { } view)
                        continue;
                    var events = await reader.Events.Ask<LinkEvents.Recorded>(new LinkEvents.GetEvents(link), reader.Timeout).ConfigureAwait(false);
                    Explain(text, LinkDoctor.Examine(new DoctorFacts(view, events.Events)));
                }
                string detail = text.ToString().TrimEnd();
                return new CommandAck(command.Id, "done", detail.Length > MaxDetail ? detail[..(MaxDetail - 1)] + "…" : detail);
            default:
                return new CommandAck(command.Id, "refused", $"this device does not know the command {command.Verb}");
        }
    }
}
