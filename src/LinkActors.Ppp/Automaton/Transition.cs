namespace LinkActors.Ppp.Automaton;

/// <summary>The footnote marks of the RFC 1661 §4.1 table.</summary>
[Flags]
public enum TableNote
{
    None = 0,
    /// <summary>[p] Passive option; see the Stopped state discussion (§4.2).</summary>
    Passive = 1 << 0,
    /// <summary>[r] Restart option; see the Open event discussion (§4.3).</summary>
    Restart = 1 << 1,
    /// <summary>[x] Crossed connection; see the RCA event discussion (§4.3).</summary>
    Crossed = 1 << 2,
}

/// <summary>Which of the table's implementation options an engine runs with.</summary>
[Flags]
public enum TableOptions
{
    None = 0,

    /// <summary>
    /// [r] RFC 1661 §4.3 Open: an Open in Stopped, Closing, Stopping or Opened is carried out as a
    /// Down immediately followed by an Up, so that an extra Open renegotiates the link.
    /// </summary>
    Restart = 1 << 0,

    /// <summary>
    /// [p] RFC 1661 §4.2 Stopped: after the peer fails to answer Configure-Requests, wait passively
    /// for the peer's Configure-Request; TO- in Req-Sent, Ack-Rcvd and Ack-Sent goes to Stopped
    /// without This-Layer-Finished (pppd's "passive").
    /// </summary>
    Passive = 1 << 1,

    /// <summary>
    /// Do not send the first Configure-Request: Up in Starting and Open in Closed go to Stopped and
    /// wait for the peer to speak first (pppd's "silent"). Not an RFC option, but it only chooses
    /// another legal path: Stopped answers the peer's Configure-Request with irc,scr,sca/8.
    /// </summary>
    Silent = 1 << 2,
}

/// <summary>One cell of the state transition table: the actions to take, in order, and the next state.</summary>
public readonly record struct Transition(ControlAction Actions, ControlState Next, TableNote Note = TableNote.None)
{
    /// <summary>The order in which an engine carries out a cell's actions.</summary>
    /// <remarks>
    /// The RFC prints each cell's actions in the order they happen ("tld,scr,sca", "sca,tlu"); every
    /// printed cell, and every composite the options make, is consistent with this single order.
    /// </remarks>
    public static readonly IReadOnlyList<ControlAction> ExecutionOrder =
    [
        ControlAction.Tld, ControlAction.Tls, ControlAction.Irc, ControlAction.Zrc,
        ControlAction.Scr, ControlAction.Sca, ControlAction.Scn, ControlAction.Str,
        ControlAction.Sta, ControlAction.Scj, ControlAction.Ser, ControlAction.Tlu, ControlAction.Tlf,
    ];

    /// <summary>The cell in the RFC's notation, e.g. "irc,scr/6" or "tlf/3p".</summary>
    public override string ToString()
    {
        var actionFlags = Actions;
        var names = ExecutionOrder.Where(a => (actionFlags & a) != 0).Select(a => a.ToString().ToLowerInvariant());
        string notes = (Note.HasFlag(TableNote.Passive) ? "p" : "")
            + (Note.HasFlag(TableNote.Restart) ? "r" : "")
            + (Note.HasFlag(TableNote.Crossed) ? "x" : "");
        string actions = string.Join(',', names);
        return actions.Length == 0 ? $"{(int)Next}{notes}" : $"{actions}/{(int)Next}{notes}";
    }
}
