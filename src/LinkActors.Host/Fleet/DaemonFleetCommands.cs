using Akka.Actor;
using LinkActors.Actors.Link;
using LinkActors.Fleet.Wire;
using LinkActors.Host.Doctor;
using LinkActors.Host.Management;

namespace LinkActors.Host.Fleet;

/// <summary>Runs the fleet's commands with the link manager's own messages, as the management endpoint does.</summary>
public sealed class DaemonFleetCommands(LinkFactsReader reader) : IFleetCommands
{
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
                var lines = new List<string>();
                foreach (var link in links)
                {
                    if (await reader.ReadAsync(link).ConfigureAwait(false) is not { } view)
                        continue;
                    var events = await reader.Events.Ask<LinkEvents.Recorded>(new LinkEvents.GetEvents(link), reader.Timeout).ConfigureAwait(false);
                    var diagnosis = LinkDoctor.Examine(new DoctorFacts(view, events.Events));
                    lines.Add($"{diagnosis.Summary} ({diagnosis.Severity}){string.Concat(diagnosis.Findings.Take(3).Select(f => "; " + f.Title))}");
                }
                string detail = string.Join(" | ", lines);
                return new CommandAck(command.Id, "done", detail.Length > 500 ? detail[..500] : detail);
            default:
                return new CommandAck(command.Id, "refused", $"this device does not know the command {command.Verb}");
        }
    }
}
