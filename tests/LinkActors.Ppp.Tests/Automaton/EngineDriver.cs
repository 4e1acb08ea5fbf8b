using System.Buffers.Binary;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Tests.Automaton;

/// <summary>Builds control packets as a peer would send them.</summary>
internal static class Craft
{
    public static byte[] Packet(ControlCode code, byte id, params byte[] data) =>
        new ControlPacket(code, id, data).ToArray();

    public static byte[] Packet(byte code, byte id, params byte[] data) => Packet((ControlCode)code, id, data);

    public static byte[] Width(ushort value) => new OptionWriter().WriteUInt16(WidthPolicy.WidthType, value).ToArray();

    public static byte[] Extra() => new OptionWriter().WriteUInt32(WidthPolicy.ExtraType, WidthPolicy.ExtraValue).ToArray();

    public static byte[] ConfReq(byte id, ushort width) => Packet(ControlCode.ConfReq, id, Width(width));

    public static byte[] Magic(uint magic, params byte[] data)
    {
        var bytes = new byte[4 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        data.CopyTo(bytes, 4);
        return bytes;
    }

    public static byte[] Be16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}

/// <summary>Wraps an engine for tests: remembers our last Configure-Request, the timer, and what was sent.</summary>
internal sealed class EngineDriver
{
    public EngineDriver(IControlPolicy policy, ControlEngineSettings? settings = null)
    {
        Engine = new ControlEngine(policy, settings);
    }

    public ControlEngine Engine { get; }
    public ControlState State => Engine.State;
    public IReadOnlyList<EngineOutput> Last { get; private set; } = [];
    public ControlPacket? LastRequest { get; private set; }
    public bool TimerRunning { get; private set; }

    public IReadOnlyList<EngineOutput> Do(Func<ControlEngine, IReadOnlyList<EngineOutput>> call)
    {
        Last = call(Engine);
        foreach (var output in Last)
        {
            switch (output)
            {
                case SendControl send when ControlPacket.TryParse(send.Packet, out var packet) && packet.Code == ControlCode.ConfReq:
                    LastRequest = packet;
                    break;
                case StartRestartTimer:
                    TimerRunning = true;
                    break;
                case StopRestartTimer:
                    TimerRunning = false;
                    break;
            }
        }
        return Last;
    }

    public IReadOnlyList<EngineOutput> Up() => Do(e => e.Up());
    public IReadOnlyList<EngineOutput> Down() => Do(e => e.Down());
    public IReadOnlyList<EngineOutput> Open() => Do(e => e.Open());
    public IReadOnlyList<EngineOutput> Close(string reason = "test close") => Do(e => e.Close(reason));
    public IReadOnlyList<EngineOutput> Timeout() => Do(e => e.Timeout());
    public IReadOnlyList<EngineOutput> Receive(byte[] packet) => Do(e => e.Receive(packet));
    public IReadOnlyList<EngineOutput> Inject(ControlEvent @event) => Do(e => e.Inject(@event));

    public byte[] AckOfLastRequest() => Craft.Packet(ControlCode.ConfAck, LastRequest!.Identifier, LastRequest.Data.ToArray());

    public byte[] NakOfLastRequest(ushort width) => Craft.Packet(ControlCode.ConfNak, LastRequest!.Identifier, Craft.Width(width));

    public static List<ControlPacket> Sent(IEnumerable<EngineOutput> outputs) =>
        outputs.OfType<SendControl>().Select(s => ControlPacket.TryParse(s.Packet, out var p) ? p : throw new InvalidOperationException("engine sent an unparseable packet")).ToList();

    public List<ControlPacket> SentNow => Sent(Last);

    public ControlPacket SentSingle(ControlCode code) => Assert.Single(SentNow, p => p.Code == code);
}
