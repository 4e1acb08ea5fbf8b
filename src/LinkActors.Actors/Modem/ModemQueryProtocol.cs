using System.Net;
using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Modem;

/// <summary>What the modem query (after a dead data path, before dialing again) tells its parent and the event stream.</summary>
public static class ModemQueryProtocol
{
    /// <summary>
    /// The query is over: what the modem answered (merged over every command), which commands it answered,
    /// and what the answers show against the address IPCP gave (<see cref="ModemDataCheck"/>). Sent once to
    /// the parent, then the query actor stops.
    /// </summary>
    /// <param name="Answered">Each command asked, with the modem's answer in words ("answered", "ERROR: not supported", "no answer").</param>
    public sealed record Finished(ModemInfo Answers, IReadOnlyList<string> Answered, bool ModemAnswered);

    /// <summary>
    /// Published by the link: the modem was asked why the data path died. <paramref name="IpcpAddress"/> is
    /// the address IPCP had given PPP; <paramref name="Findings"/> name what the answers show.
    /// </summary>
    public sealed record ModemAsked(
        string Link,
        ModemInfo Answers,
        IReadOnlyList<string> Answered,
        IPAddress? IpcpAddress,
        IReadOnlyList<ModemDataFinding> Findings)
    {
        public override string ToString() =>
            $"the modem was asked why the data path died: {Answers.Describe()}"
            + (Findings.Count == 0 ? "" : "; " + string.Join("; ", Findings.Select(f => f.Text)));
    }
}
