using LinkActors.Ppp.Automaton;
using static LinkActors.Ppp.Automaton.ControlAction;
using static LinkActors.Ppp.Automaton.ControlEvent;
using static LinkActors.Ppp.Automaton.ControlState;

namespace LinkActors.Ppp.Tests.Automaton;

/// <summary>The table data against RFC 1661 §4.1, cells written out by hand from the RFC text.</summary>
public class TransitionTableTests
{
    public static TheoryData<ControlState, ControlEvent, ControlAction, ControlState> RfcCells => new()
    {
        // Up     |    2     irc,scr/6 ...
        { Initial, ControlEvent.Up, None, Closed },
        { Starting, ControlEvent.Up, Irc | Scr, ReqSent },
        // Down   |    -         -         0       tls/1   ... tld/1
        { Closed, ControlEvent.Down, None, Initial },
        { Stopped, ControlEvent.Down, Tls, Starting },
        { Closing, ControlEvent.Down, None, Initial },
        { Opened, ControlEvent.Down, Tld, Starting },
        // Open   |  tls/1       1     irc,scr/6 ...
        { Initial, ControlEvent.Open, Tls, Starting },
        { Closed, ControlEvent.Open, Irc | Scr, ReqSent },
        // Close  |    0       tlf/0 ... irc,str/4 ... tld,irc,str/4
        { Starting, ControlEvent.Close, Tlf, Initial },
        { AckSent, ControlEvent.Close, Irc | Str, Closing },
        { Opened, ControlEvent.Close, Tld | Irc | Str, Closing },
        // TO+ / TO-
        { Closing, TimeoutPlus, Str, Closing },
        { AckSent, TimeoutPlus, Scr, AckSent },
        { Stopping, TimeoutMinus, Tlf, Stopped },
        { AckRcvd, TimeoutMinus, Tlf, Stopped },
        // RCR+ / RCR-
        { Closed, RcrPlus, Sta, Closed },
        { Stopped, RcrPlus, Irc | Scr | Sca, AckSent },
        { AckRcvd, RcrPlus, Sca | Tlu, Opened },
        { Opened, RcrPlus, Tld | Scr | Sca, AckSent },
        { Stopped, RcrMinus, Irc | Scr | Scn, ReqSent },
        { AckRcvd, RcrMinus, Scn, AckRcvd },
        // RCA / RCN
        { ReqSent, Rca, Irc, AckRcvd },
        { AckSent, Rca, Irc | Tlu, Opened },
        { AckRcvd, Rca, Scr, ReqSent },
        { ReqSent, Rcn, Irc | Scr, ReqSent },
        { AckSent, Rcn, Irc | Scr, AckSent },
        // RTR / RTA
        { Opened, Rtr, Tld | Zrc | Sta, Stopping },
        { AckSent, Rtr, Sta, ReqSent },
        { Closing, Rta, Tlf, Closed },
        { Opened, Rta, Tld | Scr, ReqSent },
        // RUC, RXJ+, RXJ-, RXR
        { Opened, Ruc, Scj, Opened },
        { AckRcvd, RxjPlus, None, ReqSent },
        { Closing, RxjMinus, Tlf, Closed },
        { Opened, RxjMinus, Tld | Irc | Str, Stopping },
        { Opened, Rxr, Ser, Opened },
    };

    [Theory]
    [MemberData(nameof(RfcCells))]
    public void Rfc1661_Cell_MatchesRfcText(ControlState state, ControlEvent @event, ControlAction actions, ControlState next)
    {
        var cell = TransitionTable.Rfc1661(state, @event);

        Assert.NotNull(cell);
        Assert.Equal(actions, cell.Value.Actions);
        Assert.Equal(next, cell.Value.Next);
    }

    [Theory]
    [InlineData(Initial, ControlEvent.Down)]
    [InlineData(Starting, ControlEvent.Down)]
    [InlineData(Closed, ControlEvent.Up)]
    [InlineData(Opened, ControlEvent.Up)]
    [InlineData(Opened, TimeoutPlus)]
    [InlineData(Stopped, TimeoutMinus)]
    [InlineData(Initial, RcrPlus)]
    [InlineData(Starting, Rxr)]
    public void Rfc1661_DashCell_IsIllegal(ControlState state, ControlEvent @event)
    {
        Assert.Null(TransitionTable.Rfc1661(state, @event));
        Assert.Null(TransitionTable.Lookup(state, @event, TableOptions.Restart | TableOptions.Passive | TableOptions.Silent));
    }

    [Fact]
    public void Rfc1661_Table_Has120LegalAnd40IllegalCells()
    {
        var cells = TransitionTable.States.SelectMany(s => TransitionTable.Events.Select(e => TransitionTable.Rfc1661(s, e))).ToList();

        Assert.Equal(160, cells.Count);
        Assert.Equal(40, cells.Count(c => c is null));
    }

    [Fact]
    public void Rfc1661_Footnotes_AreOnTheRfcCells()
    {
        var marked = TransitionTable.States
            .SelectMany(s => TransitionTable.Events.Select(e => (s, e, cell: TransitionTable.Rfc1661(s, e))))
            .Where(x => x.cell is { Note: not TableNote.None })
            .Select(x => $"{x.s}/{x.e}:{x.cell}")
            .Order()
            .ToList();

        string[] expected =
        [
            "AckRcvd/Rca:scr/6x", "AckRcvd/Rcn:scr/6x", "AckRcvd/TimeoutMinus:tlf/3p",
            "AckSent/TimeoutMinus:tlf/3p",
            "Closing/Open:5r",
            "Opened/Open:9r", "Opened/Rca:tld,scr/6x", "Opened/Rcn:tld,scr/6x",
            "ReqSent/TimeoutMinus:tlf/3p",
            "Stopped/Open:3r", "Stopping/Open:5r",
        ];
        Assert.Equal(expected.Order(), marked);
    }

    [Fact]
    public void Notation_EveryCell_RoundTripsThroughTransition()
    {
        foreach (var state in TransitionTable.States)
        {
            foreach (var @event in TransitionTable.Events)
            {
                var printed = TransitionTable.Notation(state, @event);
                var cell = TransitionTable.Rfc1661(state, @event);
                Assert.Equal(printed, cell?.ToString() ?? "-");
            }
        }
    }

    [Theory]
    [InlineData(Stopped, Tls | Irc | Scr, ReqSent)]   // Down: tls/1, then Up: irc,scr/6
    [InlineData(Closing, Irc | Scr, ReqSent)]         // 5, then Down: 1, then Up: irc,scr/6
    [InlineData(Stopping, Irc | Scr, ReqSent)]
    [InlineData(Opened, Tld | Irc | Scr, ReqSent)]    // Down: tld/1, then Up
    public void Lookup_OpenWithRestartOption_IsDownThenUp(ControlState state, ControlAction actions, ControlState next)
    {
        var plain = TransitionTable.Lookup(state, ControlEvent.Open, TableOptions.None)!.Value;
        var restart = TransitionTable.Lookup(state, ControlEvent.Open, TableOptions.Restart)!.Value;

        Assert.Equal(None, plain.Actions);
        Assert.Equal(actions, restart.Actions);
        Assert.Equal(next, restart.Next);
    }

    [Theory]
    [InlineData(ReqSent)]
    [InlineData(AckRcvd)]
    [InlineData(AckSent)]
    public void Lookup_TimeoutMinusWithPassiveOption_StopsWithoutFinishing(ControlState state)
    {
        var passive = TransitionTable.Lookup(state, TimeoutMinus, TableOptions.Passive)!.Value;

        Assert.Equal(None, passive.Actions);
        Assert.Equal(Stopped, passive.Next);
        Assert.Equal(Tlf, TransitionTable.Lookup(Closing, TimeoutMinus, TableOptions.Passive)!.Value.Actions);
    }

    [Theory]
    [InlineData(Starting, ControlEvent.Up)]
    [InlineData(Closed, ControlEvent.Open)]
    public void Lookup_SilentOption_WaitsInStopped(ControlState state, ControlEvent @event)
    {
        var silent = TransitionTable.Lookup(state, @event, TableOptions.Silent)!.Value;

        Assert.Equal(new Transition(None, Stopped), silent);
    }

    [Fact]
    public void Lookup_SilentRestartFromOpened_GoesDownAndWaits()
    {
        var cell = TransitionTable.Lookup(Opened, ControlEvent.Open, TableOptions.Restart | TableOptions.Silent)!.Value;

        Assert.Equal(Tld, cell.Actions);
        Assert.Equal(Stopped, cell.Next);
    }

    [Fact]
    public void RestartTimerRuns_ExactlyInStatesWithTimeoutEvents()
    {
        var running = TransitionTable.States.Where(TransitionTable.RestartTimerRuns).ToArray();

        Assert.Equal([Closing, Stopping, ReqSent, AckRcvd, AckSent], running);
    }
}
