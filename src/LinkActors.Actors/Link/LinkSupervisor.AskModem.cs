using System.Net;
using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Cmux;
using LinkActors.Actors.Modem;
using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Link;

/// <summary>
/// Issue 19, "ask the modem why": when the data path died and PPP is over, a child (<see cref="ModemQueryActor"/>)
/// asks the modem about registration, attach and its data context before the port closes and the link dials
/// again, over the plain line or, with CMUX, its AT channel. Only the glue lives here: the questions are the
/// child's, the judgement (<see cref="ModemDataCheck"/>) is pure.
/// </summary>
public sealed partial class LinkSupervisor
{
    // The child's own chats are bounded; this bounds the whole, so a stuck modem never holds the redial long.
    private static readonly TimeSpan AskModemBound = TimeSpan.FromSeconds(25);
    private IActorRef? _askModem;
    private bool _modemAsked;
    private IActorRef? _atChannel;

    /// <summary>The address IPCP gave us in this attempt (kept after IPCP goes down, for the comparison).</summary>
    private IPAddress? _ipcpAddress;

    private void AskingModem()
    {
        Receive<CmuxProtocol.Multiplexed>(m => _atChannel = m.AtChannel);
        Receive<ModemQueryProtocol.Finished>(f => Sender.Equals(_askModem), OnModemAnswered);
        Receive<AskModemBoundReached>(_ =>
        {
            if (_askModem is null)
                return;
            _log.Warning("{Link}: the modem did not finish answering within {Bound}; closing the line anyway", Name, AskModemBound);
            Context.Stop(_askModem);
            _askModem = null;
            ClosePort();
        });
    }

    /// <summary>After a dead data path (or a modem detached while PPP was up), ask the modem first; then close the port.</summary>
    private void AskModemThenClosePort()
    {
        bool dataPathDied = _failure?.Code is "dead-data-path" or "not-registered" && _ipcpAddress is not null;
        if (_modemAsked || !dataPathDied || !HasModem || _port is null)
        {
            ClosePort();
            return;
        }
        _modemAsked = true;
        var line = _atChannel ?? _port;
        _askModem = Context.ActorOf(ModemQueryActor.Props(Name, line, mayBeInDataMode: _atChannel is null, ModemQueryActor.WhyCommands, Self), "ask-modem");
        Timers.StartSingleTimer(AskModemBoundReached.Instance, AskModemBoundReached.Instance, AskModemBound);
    }

    private void OnModemAnswered(ModemQueryProtocol.Finished finished)
    {
        Timers.Cancel(AskModemBoundReached.Instance);
        _askModem = null;
        var findings = ModemDataCheck.Examine(finished.Answers, _ipcpAddress);
        _log.Info("{Link}: asked after the dead data path, the modem says: {Answers}", Name, finished.Answers.Describe());
        foreach (var finding in findings)
            _log.Warning("{Link}: {Finding}", Name, finding.Text);
        if (finished.ModemAnswered)
            UpdateModem(finished.Answers);
        Context.System.EventStream.Publish(new ModemQueryProtocol.ModemAsked(Name, finished.Answers, finished.Answered, _ipcpAddress, findings));
        ClosePort();
    }

    private sealed record AskModemBoundReached
    {
        public static AskModemBoundReached Instance { get; } = new();
    }
}
