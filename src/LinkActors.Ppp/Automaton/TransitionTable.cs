namespace LinkActors.Ppp.Automaton;

/// <summary>
/// The RFC 1661 §4.1 state transition table, as data. Cells are written exactly as the RFC prints
/// them ("irc,scr/6", "tlf/3p", "-"), so the table can be read against the RFC line by line; they are
/// parsed once into <see cref="Transition"/> values.
/// </summary>
public static class TransitionTable
{
    // Rows follow ControlEvent, columns follow ControlState (0..9). "-" is an illegal event: RFC 1661
    // §4.1 says it cannot happen in a correct implementation; the engine ignores and counts it.
    private static readonly string[][] Printed =
    [
        //          0 Initial  1 Starting   2 Closed     3 Stopped        4 Closing  5 Stopping 6 Req-Sent   7 Ack-Rcvd   8 Ack-Sent   9 Opened
        /* Up   */ ["2",      "irc,scr/6", "-",         "-",             "-",       "-",       "-",         "-",         "-",         "-"],
        /* Down */ ["-",      "-",         "0",         "tls/1",         "0",       "1",       "1",         "1",         "1",         "tld/1"],
        /* Open */ ["tls/1",  "1",         "irc,scr/6", "3r",            "5r",      "5r",      "6",         "7",         "8",         "9r"],
        /* Close*/ ["0",      "tlf/0",     "2",         "2",             "4",       "4",       "irc,str/4", "irc,str/4", "irc,str/4", "tld,irc,str/4"],
        /* TO+  */ ["-",      "-",         "-",         "-",             "str/4",   "str/5",   "scr/6",     "scr/6",     "scr/8",     "-"],
        /* TO-  */ ["-",      "-",         "-",         "-",             "tlf/2",   "tlf/3",   "tlf/3p",    "tlf/3p",    "tlf/3p",    "-"],
        /* RCR+ */ ["-",      "-",         "sta/2",     "irc,scr,sca/8", "4",       "5",       "sca/8",     "sca,tlu/9", "sca/8",     "tld,scr,sca/8"],
        /* RCR- */ ["-",      "-",         "sta/2",     "irc,scr,scn/6", "4",       "5",       "scn/6",     "scn/7",     "scn/6",     "tld,scr,scn/6"],
        /* RCA  */ ["-",      "-",         "sta/2",     "sta/3",         "4",       "5",       "irc/7",     "scr/6x",    "irc,tlu/9", "tld,scr/6x"],
        /* RCN  */ ["-",      "-",         "sta/2",     "sta/3",         "4",       "5",       "irc,scr/6", "scr/6x",    "irc,scr/8", "tld,scr/6x"],
        /* RTR  */ ["-",      "-",         "sta/2",     "sta/3",         "sta/4",   "sta/5",   "sta/6",     "sta/6",     "sta/6",     "tld,zrc,sta/5"],
        /* RTA  */ ["-",      "-",         "2",         "3",             "tlf/2",   "tlf/3",   "6",         "6",         "8",         "tld,scr/6"],
        /* RUC  */ ["-",      "-",         "scj/2",     "scj/3",         "scj/4",   "scj/5",   "scj/6",     "scj/7",     "scj/8",     "scj/9"],
        /* RXJ+ */ ["-",      "-",         "2",         "3",             "4",       "5",       "6",         "6",         "8",         "9"],
        /* RXJ- */ ["-",      "-",         "tlf/2",     "tlf/3",         "tlf/2",   "tlf/3",   "tlf/3",     "tlf/3",     "tlf/3",     "tld,irc,str/5"],
        /* RXR  */ ["-",      "-",         "2",         "3",             "4",       "5",       "6",         "7",         "8",         "ser/9"],
    ];

    public const int StateCount = 10;
    public const int EventCount = 16;

    private static readonly Transition?[] Cells = ParseAll();

    public static IReadOnlyList<ControlState> States { get; } = Enum.GetValues<ControlState>();
    public static IReadOnlyList<ControlEvent> Events { get; } = Enum.GetValues<ControlEvent>();

    /// <summary>The cell as the RFC prints it, footnote marks kept in <see cref="Transition.Note"/>; null for "-".</summary>
    public static Transition? Rfc1661(ControlState state, ControlEvent @event) =>
        Cells[(int)@event * StateCount + (int)state];

    /// <summary>The cell as printed in the RFC, in its own notation ("irc,scr/6", "-").</summary>
    public static string Notation(ControlState state, ControlEvent @event) => Printed[(int)@event][(int)state];

    /// <summary>The transition an engine running with <paramref name="options"/> takes; null when the event is illegal.</summary>
    public static Transition? Lookup(ControlState state, ControlEvent @event, TableOptions options)
    {
        if (Rfc1661(state, @event) is not { } cell)
            return null;

        // RFC 1661 §4.3 Open, implementation option [r]: "issue a Down event, immediately followed by
        // an Up event". The printed cell is applied first (Closing becomes Stopping), then Down, then Up.
        if (@event == ControlEvent.Open && cell.Note.HasFlag(TableNote.Restart) && options.HasFlag(TableOptions.Restart))
        {
            var down = Lookup(cell.Next, ControlEvent.Down, options)!.Value;
            var up = Lookup(down.Next, ControlEvent.Up, options)!.Value;
            return new Transition(cell.Actions | down.Actions | up.Actions, up.Next, TableNote.Restart);
        }

        // RFC 1661 §4.2 Stopped, implementation option [p]: "the This-Layer-Finished action is not
        // used for the TO- event in states Req-Sent, Ack-Rcvd and Ack-Sent".
        if (cell.Note.HasFlag(TableNote.Passive) && options.HasFlag(TableOptions.Passive))
            return new Transition(cell.Actions & ~ControlAction.Tlf, ControlState.Stopped, TableNote.Passive);

        // Silent: where the table would send the first Configure-Request, wait in Stopped instead.
        if (options.HasFlag(TableOptions.Silent)
            && ((state == ControlState.Starting && @event == ControlEvent.Up)
                || (state == ControlState.Closed && @event == ControlEvent.Open)))
            return new Transition(ControlAction.None, ControlState.Stopped);

        return cell;
    }

    /// <summary>
    /// RFC 1661 §4.1: "The states in which the Restart timer is running are identifiable by the
    /// presence of TO events."
    /// </summary>
    public static bool RestartTimerRuns(ControlState state) => Rfc1661(state, ControlEvent.TimeoutPlus) is not null;

    private static Transition?[] ParseAll()
    {
        if (Printed.Length != EventCount || Printed.Any(row => row.Length != StateCount))
            throw new InvalidOperationException("the transition table must have 16 event rows of 10 state columns");
        var cells = new Transition?[EventCount * StateCount];
        for (int e = 0; e < EventCount; e++)
            for (int s = 0; s < StateCount; s++)
                cells[e * StateCount + s] = Parse(Printed[e][s]);
        return cells;
    }

    private static Transition? Parse(string text)
    {
        if (text == "-")
            return null;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string actionsPart = slash < 0 ? "" : text[..slash];
        string statePart = slash < 0 ? text : text[(slash + 1)..];

        var actions = ControlAction.None;
        foreach (var name in actionsPart.Split(',', StringSplitOptions.RemoveEmptyEntries))
            actions |= Enum.Parse<ControlAction>(name, ignoreCase: true);

        var next = (ControlState)(statePart[0] - '0');
        var note = TableNote.None;
        foreach (char mark in statePart[1..])
        {
            note |= mark switch
            {
                'p' => TableNote.Passive,
                'r' => TableNote.Restart,
                'x' => TableNote.Crossed,
                _ => throw new InvalidOperationException($"unknown footnote mark '{mark}' in cell '{text}'"),
            };
        }
        return new Transition(actions, next, note);
    }
}
