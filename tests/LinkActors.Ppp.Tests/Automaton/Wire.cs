using LinkActors.Ppp.Automaton;

namespace LinkActors.Ppp.Tests.Automaton;

/// <summary>
/// Two engines back to back over an in-memory link: each side's sends queue up for the other, timers
/// are flags the outputs set, and time passes only when the test fires a timer. Each input is
/// checked against the transition table as it happens.
/// </summary>
internal sealed class Wire
{
    public Wire(EngineDriver a, EngineDriver b)
    {
        A = new Side("A", a);
        B = new Side("B", b);
        A.Peer = B;
        B.Peer = A;
    }

    public Side A { get; }
    public Side B { get; }

    /// <summary>Called when a side's layer finished; e.g. to open it again, as a persistent owner would.</summary>
    public Action<Side>? OnFinished { get; set; }

    public List<string> Log { get; } = [];

    public bool Quiet => A.Inbox.Count == 0 && B.Inbox.Count == 0 && !A.Driver.TimerRunning && !B.Driver.TimerRunning;

    public void Run(Side side, Func<ControlEngine, IReadOnlyList<EngineOutput>> call, string what)
    {
        var before = side.Driver.State;
        var outputs = side.Driver.Do(call);
        Log.Add($"{side.Name} {what}: {before} -> {side.Driver.State} [{string.Join(", ", outputs)}]");
        CheckAgainstTable(side.Driver.Engine, before, what == "Receive EchoReq");
        Assert.Equal(TransitionTable.RestartTimerRuns(side.Driver.State), side.Driver.TimerRunning);
        foreach (var send in outputs.OfType<SendControl>())
            side.Peer.Inbox.Enqueue(send.Packet);
        if (outputs.OfType<ThisLayerFinished>().Any())
            OnFinished?.Invoke(side);
    }

    public void Deliver(Side to)
    {
        var packet = to.Inbox.Dequeue();
        Run(to, e => e.Receive(packet), $"Receive {(LinkActors.Ppp.Packets.ControlCode)packet[0]}");
    }

    public void Duplicate(Side to)
    {
        var packet = to.Inbox.Peek();
        Run(to, e => e.Receive(packet), $"Receive {(LinkActors.Ppp.Packets.ControlCode)packet[0]}");
    }

    public void Drop(Side to)
    {
        var packet = to.Inbox.Dequeue();
        Log.Add($"lost {packet.Length} octets to {to.Name}");
    }

    public void FireTimer(Side side) => Run(side, e => e.Timeout(), "Timeout");

    /// <summary>
    /// Delivers everything in flight; fires a timer only when nothing is in flight, taking turns as
    /// two real clocks would (always A's first could starve B's retransmission). Returns once quiet.
    /// </summary>
    public void Settle(int maxSteps = 1000)
    {
        bool aNext = true;
        for (int step = 0; step < maxSteps && !Quiet; step++)
        {
            if (A.Inbox.Count > 0)
                Deliver(A);
            else if (B.Inbox.Count > 0)
                Deliver(B);
            else
            {
                var side = (aNext && A.Driver.TimerRunning) || !B.Driver.TimerRunning ? A : B;
                aNext = side == B;
                FireTimer(side);
            }
        }
    }

    /// <summary>Every input's step must be the table's cell for the state it started in (RFC 1661 §4.1).</summary>
    public static void CheckAgainstTable(ControlEngine engine, ControlState before, bool wasEchoRequest)
    {
        if (engine.LastStep is not { } step)
        {
            Assert.Equal(before, engine.State);   // discarded: no event, no change
            return;
        }
        Assert.Equal(before, step.From);
        var cell = TransitionTable.Lookup(step.From, step.Event, engine.Settings.TableOptions);
        if (cell is null)
        {
            Assert.True(step.Illegal);
            Assert.Equal(before, engine.State);
            return;
        }
        Assert.False(step.Illegal);
        Assert.Equal(cell.Value.Next, step.To);
        Assert.Equal(cell.Value.Next, engine.State);
        var expected = wasEchoRequest ? cell.Value.Actions : cell.Value.Actions & ~ControlAction.Ser;
        Assert.Equal(expected, step.Actions);
    }

    internal sealed class Side(string name, EngineDriver driver)
    {
        public string Name { get; } = name;
        public EngineDriver Driver { get; } = driver;
        public Queue<byte[]> Inbox { get; } = new();
        public Side Peer { get; set; } = null!;
        public ControlEngine Engine => Driver.Engine;
    }
}
