using CsCheck;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Tests.Automaton;

/// <summary>Stateful properties: whatever arrives, in whatever order, the engine only takes the table's transitions.</summary>
public class EnginePropertyTests
{
    private const int InputKinds = 26;

    [Fact]
    public void Engine_RandomInputs_EveryStepIsTheTablesCell()
    {
        Gen.Select(Gen.Int[0, 7], Gen.Int[0, InputKinds - 1].Array[1, 150])
            .Sample((options, inputs) =>
            {
                var settings = new ControlEngineSettings
                {
                    MaxConfigure = 3,
                    MaxTerminate = 2,
                    MaxFailure = 2,
                    Restart = (options & 1) != 0,
                    Passive = (options & 2) != 0,
                    Silent = (options & 4) != 0,
                };
                var driver = new EngineDriver(new LcpWidthPolicy { Min = 100, Max = 1000, KnowsExtra = false }, settings);
                byte[] previous = Craft.Packet(ControlCode.TermAck, 1);
                byte nextPeerId = 0x80;

                foreach (int input in inputs)
                {
                    var before = driver.State;
                    var packet = PacketFor(input, driver, previous, ref nextPeerId);
                    switch (input)
                    {
                        case 0: driver.Up(); break;
                        case 1: driver.Down(); break;
                        case 2: driver.Open(); break;
                        case 3: driver.Close(); break;
                        case 4 or 5: driver.Timeout(); break;
                        case 6: driver.Do(e => e.ProtocolRejected()); break;
                        case 7: driver.Do(e => e.SendEchoRequest([1, 2])); break;
                        default: driver.Receive(packet!); break;
                    }
                    if (packet is not null)
                        previous = packet;

                    bool echoRequest = packet is not null && packet[0] == (byte)ControlCode.EchoReq;
                    if (input == 7)
                        Assert.Equal(before, driver.State);
                    else
                        Wire.CheckAgainstTable(driver.Engine, before, echoRequest);
                    // §4.1: the restart timer runs exactly in the states that have TO events.
                    Assert.Equal(TransitionTable.RestartTimerRuns(driver.State), driver.TimerRunning);
                    // No amplification: one input never makes more than two packets (scr plus a reply).
                    Assert.True(driver.SentNow.Count <= 2, $"{driver.SentNow.Count} packets for input {input}");
                }
            }, iter: 3000);
    }

    /// <summary>The packet for a receive input, crafted against what the engine last sent; null for API inputs.</summary>
    private static byte[]? PacketFor(int input, EngineDriver driver, byte[] previous, ref byte nextPeerId)
    {
        var request = driver.LastRequest;
        byte ourId = request?.Identifier ?? 0;
        byte peerId = nextPeerId++;
        return input switch
        {
            8 => Craft.ConfReq(peerId, 300),                                                  // RCR+
            9 => Craft.ConfReq(peerId, 5000),                                                 // RCR- (Nak)
            10 => Craft.Packet(ControlCode.ConfReq, peerId, Craft.Concat(Craft.Width(300), Craft.Extra())), // RCR- (Reject)
            11 => request is null ? Craft.Packet(ControlCode.ConfAck, 1) : driver.AckOfLastRequest(),        // RCA
            12 => Craft.Packet(ControlCode.ConfAck, unchecked((byte)(ourId - 1)), request?.Data.ToArray() ?? []), // stale
            13 => request is null ? Craft.Packet(ControlCode.ConfNak, 1) : driver.NakOfLastRequest(500),     // RCN
            14 => Craft.Packet(ControlCode.ConfRej, ourId, Craft.Width(1000)),                // RCN, if we asked for 1000
            15 => Craft.Packet(ControlCode.TermReq, peerId),
            16 => Craft.Packet(ControlCode.TermAck, peerId),
            17 => Craft.Packet(0x0C, peerId, 1, 2, 3),                                        // RUC
            18 => Craft.Packet(ControlCode.CodeRej, peerId, Craft.Packet(0x0C, 1)),           // RXJ+
            19 => Craft.Packet(ControlCode.CodeRej, peerId, Craft.Packet(ControlCode.TermReq, 1)), // RXJ-
            20 => Craft.Packet(ControlCode.EchoReq, peerId, Craft.Magic(0x2222_2222, 7)),     // RXR
            21 => Craft.Packet(ControlCode.EchoRep, peerId, Craft.Magic(0x2222_2222)),        // RXR
            22 => Craft.Packet(ControlCode.DiscReq, peerId, Craft.Magic(0)),                  // RXR
            23 => previous,                                                                   // duplicated
            24 => [(byte)ControlCode.ConfReq, peerId, 0, 9, 1, 4, 0],                         // lying length
            25 => Craft.Packet(ControlCode.ProtRej, peerId, Craft.Be16(PppProtocol.Ipcp)),     // RXJ+ in Opened
            _ => null,
        };
    }

    [Fact]
    public void TwoEngines_LossyChannel_ConvergeToOpenedOnceLossStops()
    {
        // Schedule steps: 0-1 deliver to A/B, 2-3 lose the packet to A/B, 4-5 deliver it twice,
        // 6-7 fire A's/B's restart timer. Each step applies only if it can (a packet waits, a timer runs).
        // Neither side is passive or silent here: a side that gave up and waits (Stopped) while its
        // peer reached Opened is a half-open link no packet of this layer will ever mend; LCP echo or
        // a lower-layer bounce ends it, outside the engine. Passive and silent have their own tests.
        Gen.Select(Gen.Int[0, 7].Array[0, 200], Gen.Int[2, 10])
            .Sample((schedule, maxConfigure) =>
            {
                var a = new WidthPolicy("A") { Want = 1000, Min = 100, Max = 1000, RequestExtra = true };
                var b = new WidthPolicy("B") { Want = 400, Min = 100, Max = 500 };
                var wire = new Wire(
                    new EngineDriver(a, new ControlEngineSettings { Restart = true, MaxConfigure = maxConfigure }),
                    new EngineDriver(b, new ControlEngineSettings { Restart = true, MaxConfigure = maxConfigure }));
                // A persistent owner opens the layer again when it finishes (pppd's "persist").
                var reopen = new Queue<Wire.Side>();
                wire.OnFinished = reopen.Enqueue;
                wire.Run(wire.A, e => e.Up(), "Up");
                wire.Run(wire.B, e => e.Up(), "Up");
                wire.Run(wire.A, e => e.Open(), "Open");
                wire.Run(wire.B, e => e.Open(), "Open");

                foreach (int step in schedule)
                {
                    var side = step % 2 == 0 ? wire.A : wire.B;
                    switch (step / 2)
                    {
                        case 0 when side.Inbox.Count > 0: wire.Deliver(side); break;
                        case 1 when side.Inbox.Count > 0: wire.Drop(side); break;
                        case 2 when side.Inbox.Count > 0: wire.Duplicate(side); wire.Deliver(side); break;
                        case 3 when side.Driver.TimerRunning: wire.FireTimer(side); break;
                    }
                    while (reopen.TryDequeue(out var finished))
                        wire.Run(finished, e => e.Open(), "Open");
                }

                // Loss stops: deliver everything, let timers fire when nothing is in flight.
                for (int round = 0; round < 50 && !(wire.Quiet && wire.A.Driver.State == ControlState.Opened && wire.B.Driver.State == ControlState.Opened); round++)
                {
                    wire.Settle(200);
                    while (reopen.TryDequeue(out var finished))
                        wire.Run(finished, e => e.Open(), "Open");
                }

                var log = string.Join("\n", wire.Log.TakeLast(40));
                Assert.True(wire.A.Driver.State == ControlState.Opened, $"A ended in {wire.A.Driver.State}\n{log}");
                Assert.True(wire.B.Driver.State == ControlState.Opened, $"B ended in {wire.B.Driver.State}\n{log}");
                // Lost Naks make A resend 1000, and B Naks each copy: after Max-Failure B Rejects the
                // option instead (§4.6), so A ends with B's value or without the option.
                Assert.True(a.AckedWidth is 500 or null, $"A's width {a.AckedWidth}");
                Assert.Equal((ushort)400, b.AckedWidth);
                Assert.Equal(0, wire.A.Engine.Counters.IllegalEvents + wire.B.Engine.Counters.IllegalEvents);
            }, iter: 2000);
    }
}
