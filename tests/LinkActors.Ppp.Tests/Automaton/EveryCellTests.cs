using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;
using static LinkActors.Ppp.Automaton.ControlEvent;
using static LinkActors.Ppp.Automaton.ControlState;

namespace LinkActors.Ppp.Tests.Automaton;

/// <summary>
/// Drives the engine through every (state, event) cell of RFC 1661 §4.1: a short scripted path puts
/// it in the state, a real input (API call or crafted packet) raises the event, and the outputs, the
/// next state and the Restart counter are checked against the table.
/// </summary>
public class EveryCellTests
{
    private static readonly ControlEngineSettings Settings = new() { MaxConfigure = 2, MaxTerminate = 2 };
    private const uint PeerMagic = 0x2222_2222;

    public static TheoryData<ControlState, ControlEvent> AllCells()
    {
        var data = new TheoryData<ControlState, ControlEvent>();
        foreach (var state in TransitionTable.States)
            foreach (var @event in TransitionTable.Events)
                data.Add(state, @event);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCells))]
    public void Engine_EveryCell_FollowsTable(ControlState state, ControlEvent @event)
    {
        var driver = Reach(state, @event);
        Assert.Equal(state, driver.State);
        long illegalBefore = driver.Engine.Counters.IllegalEvents;

        bool injected = Raise(driver, @event);

        if (injected)
            Assert.Contains((state, @event), Unreachable());
        var expected = TransitionTable.Lookup(state, @event, TableOptions.None);
        var step = driver.Engine.LastStep;
        Assert.NotNull(step);
        Assert.Equal(ClassifiedAs(state, @event), step.Value.Event);
        if (expected is not { } cell)
        {
            Assert.True(step.Value.Illegal);
            Assert.Equal(illegalBefore + 1, driver.Engine.Counters.IllegalEvents);
            Assert.Equal(state, driver.State);
            Assert.Empty(ActionOutputs(driver.Last));
            return;
        }

        Assert.False(step.Value.Illegal);
        Assert.Equal(cell.Next, driver.State);
        Assert.Equal(cell.Actions, step.Value.Actions);
        Assert.Equal(ExpectedOutputs(state, cell).Order(), ActionOutputs(driver.Last).Order());
        if (cell.Actions.HasFlag(ControlAction.Zrc))
            Assert.Equal(0, driver.Engine.RestartCounter);
        if (cell.Actions.HasFlag(ControlAction.Irc))
        {
            bool terminating = cell.Actions.HasFlag(ControlAction.Str);
            int initial = terminating ? Settings.MaxTerminate : Settings.MaxConfigure;
            int sent = (cell.Actions & (ControlAction.Scr | ControlAction.Str)) != 0 ? 1 : 0;
            Assert.Equal(initial - sent, driver.Engine.RestartCounter);
        }
        AssertRepliesCopyPeerIdentifier(driver, cell.Actions);
    }

    /// <summary>
    /// Where the RCR+ and RCR- cells are the same and neither answers the request (Initial, Starting,
    /// Closed, Closing, Stopping), the engine does not ask the policy to judge a request it will not
    /// take up, so any request counts as RCR+ there.
    /// </summary>
    private static ControlEvent ClassifiedAs(ControlState state, ControlEvent @event)
    {
        var answers = ControlAction.Sca | ControlAction.Scn;
        if (@event == RcrMinus && TransitionTable.Rfc1661(state, RcrPlus) == TransitionTable.Rfc1661(state, RcrMinus)
            && ((TransitionTable.Rfc1661(state, RcrPlus)?.Actions ?? ControlAction.None) & answers) == 0)
            return RcrPlus;
        return @event;
    }

    [Theory]
    [InlineData(AckRcvd)]
    [InlineData(Opened)]
    public void Receive_ReplyToAnsweredRequest_IsDiscarded(ControlState state)
    {
        foreach (var reply in new Func<EngineDriver, byte[]>[] { d => d.AckOfLastRequest(), d => d.NakOfLastRequest(500) })
        {
            var driver = Reach(state, Rca);
            long discarded = driver.Engine.Counters.DiscardedPackets;

            var outputs = driver.Receive(reply(driver));

            // RFC 1661 §4.3 RCA: "An out of sequence or otherwise invalid packet is silently discarded."
            Assert.Empty(outputs);
            Assert.Equal(state, driver.State);
            Assert.Equal(discarded + 1, driver.Engine.Counters.DiscardedPackets);
        }
    }

    /// <summary>
    /// Cells no valid input reaches, so the test injects the event: the [x] cells (a reply to an
    /// already answered request is discarded, see above); TO- in Ack-Rcvd (entered only through irc,
    /// so the counter is at Max-Configure); and timeouts in states without a timer, where the counter
    /// may not have the sign the event names.
    /// </summary>
    private static IEnumerable<(ControlState, ControlEvent)> Unreachable()
    {
        yield return (AckRcvd, Rca);
        yield return (AckRcvd, Rcn);
        yield return (Opened, Rca);
        yield return (Opened, Rcn);
        yield return (AckRcvd, TimeoutMinus);
        foreach (var state in TransitionTable.States.Where(s => !TransitionTable.RestartTimerRuns(s)))
        {
            yield return (state, TimeoutPlus);
            yield return (state, TimeoutMinus);
        }
    }

    private static EngineDriver NewDriver() =>
        new(new LcpWidthPolicy { Min = 100, Max = 1000 }, Settings);

    /// <summary>Puts a fresh engine into <paramref name="state"/>, with the Restart counter at zero when the event is TO-.</summary>
    private static EngineDriver Reach(ControlState state, ControlEvent @event)
    {
        bool zero = @event == TimeoutMinus;
        var d = NewDriver();
        switch (state)
        {
            case Initial:
                break;
            case Starting:
                d.Open();
                break;
            case Closed:
                d.Up();
                break;
            case Stopped:
                d.Up(); d.Open(); d.Timeout(); d.Timeout();              // scr, scr, then TO-: tlf/3
                break;
            case Closing:
                d.Up(); d.Open(); d.Close();                             // irc,str/4: counter 1
                if (zero)
                    d.Timeout();                                         // str/4: counter 0
                break;
            case Stopping:
                if (zero)
                {
                    ToOpened(d);
                    d.Receive(Craft.Packet(ControlCode.TermReq, 0x40));  // tld,zrc,sta/5
                }
                else
                {
                    d.Up(); d.Open(); d.Close(); d.Open();               // 4, then Open: 5
                }
                break;
            case ReqSent:
                d.Up(); d.Open();                                        // irc,scr/6: counter 1
                if (zero)
                    d.Timeout();                                         // scr/6: counter 0
                break;
            case AckRcvd:
                d.Up(); d.Open(); d.Receive(d.AckOfLastRequest());       // irc/7
                break;
            case AckSent:
                d.Up(); d.Open();
                if (zero)
                    d.Timeout();
                d.Receive(Craft.ConfReq(0x41, 300));                     // sca/8
                break;
            case Opened:
                ToOpened(d);
                break;
        }
        return d;
    }

    private static void ToOpened(EngineDriver d)
    {
        d.Up(); d.Open(); d.Receive(d.AckOfLastRequest()); d.Receive(Craft.ConfReq(0x42, 300));
    }

    /// <summary>Raises the event with a real input where one can; returns true when it had to inject.</summary>
    private static bool Raise(EngineDriver d, ControlEvent @event)
    {
        bool awaiting = d.State is ReqSent or AckSent;
        bool unanswerable = d.State is AckRcvd or Opened;
        switch (@event)
        {
            case ControlEvent.Up: d.Up(); return false;
            case ControlEvent.Down: d.Down(); return false;
            case ControlEvent.Open: d.Open(); return false;
            case ControlEvent.Close: d.Close(); return false;
            case TimeoutPlus or TimeoutMinus:
                if ((d.Engine.RestartCounter > 0) == (@event == TimeoutPlus))
                {
                    d.Timeout();
                    return false;
                }
                d.Inject(@event);
                return true;
            case RcrPlus: d.Receive(Craft.ConfReq(0x50, 300)); return false;
            case RcrMinus: d.Receive(Craft.ConfReq(0x51, 5000)); return false;
            case Rca or Rcn when unanswerable:
                d.Inject(@event);
                return true;
            case Rca:
                d.Receive(awaiting ? d.AckOfLastRequest() : Craft.Packet(ControlCode.ConfAck, 0x52, Craft.Width(300)));
                return false;
            case Rcn:
                d.Receive(awaiting ? d.NakOfLastRequest(500) : Craft.Packet(ControlCode.ConfNak, 0x53, Craft.Width(500)));
                return false;
            case Rtr: d.Receive(Craft.Packet(ControlCode.TermReq, 0x54)); return false;
            case Rta: d.Receive(Craft.Packet(ControlCode.TermAck, 0x55)); return false;
            case Ruc: d.Receive(Craft.Packet(0x20, 0x56, 1, 2, 3)); return false;
            case RxjPlus: d.Receive(Craft.Packet(ControlCode.CodeRej, 0x57, Craft.Packet(0x20, 0x56, 1, 2, 3))); return false;
            case RxjMinus: d.Receive(Craft.Packet(ControlCode.CodeRej, 0x58, Craft.Packet(ControlCode.ConfReq, 0x01))); return false;
            case Rxr: d.Receive(Craft.Packet(ControlCode.EchoReq, 0x59, Craft.Magic(PeerMagic, 0x68, 0x69))); return false;
            default: throw new ArgumentOutOfRangeException(nameof(@event), @event, null);
        }
    }

    /// <summary>The outputs each action of the cell must produce, plus the timer rule of §4.1.</summary>
    private static List<string> ExpectedOutputs(ControlState from, Transition cell)
    {
        var expected = new List<string>();
        void Add(ControlAction action, string output)
        {
            if (cell.Actions.HasFlag(action))
                expected.Add(output);
        }
        Add(ControlAction.Tld, "tld");
        Add(ControlAction.Tls, "tls");
        Add(ControlAction.Tlu, "tlu");
        Add(ControlAction.Tlf, "tlf");
        Add(ControlAction.Scr, "send ConfReq");
        Add(ControlAction.Sca, "send ConfAck");
        Add(ControlAction.Scn, "send ConfNak");   // RCR- is raised with a request the policy Naks
        Add(ControlAction.Str, "send TermReq");
        Add(ControlAction.Sta, "send TermAck");
        Add(ControlAction.Scj, "send CodeRej");
        Add(ControlAction.Ser, "send EchoRep");
        if ((cell.Actions & (ControlAction.Scr | ControlAction.Str | ControlAction.Zrc)) != 0)
            expected.Add("start timer");
        else if (TransitionTable.RestartTimerRuns(from) && !TransitionTable.RestartTimerRuns(cell.Next))
            expected.Add("stop timer");
        return expected;
    }

    /// <summary>Outputs that stand for table actions; reports such as CodeRejectReceived are left out.</summary>
    private static List<string> ActionOutputs(IEnumerable<EngineOutput> outputs) =>
        outputs.Select(output => output switch
        {
            ThisLayerDown => "tld",
            ThisLayerStarted => "tls",
            ThisLayerUp => "tlu",
            ThisLayerFinished => "tlf",
            SendControl send => $"send {(ControlCode)send.Packet[0]}",
            StartRestartTimer => "start timer",
            StopRestartTimer => "stop timer",
            _ => null,
        }).OfType<string>().ToList();

    private static void AssertRepliesCopyPeerIdentifier(EngineDriver d, ControlAction actions)
    {
        foreach (var packet in d.SentNow)
        {
            switch (packet.Code)
            {
                case ControlCode.ConfAck or ControlCode.ConfNak when actions.HasFlag(ControlAction.Sca) || actions.HasFlag(ControlAction.Scn):
                    Assert.True(packet.Identifier is 0x50 or 0x51);
                    break;
                case ControlCode.EchoRep:
                    Assert.Equal(0x59, packet.Identifier);
                    break;
            }
        }
    }
}
