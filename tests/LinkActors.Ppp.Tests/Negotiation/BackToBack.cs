using LinkActors.Ppp.Protocols;

namespace LinkActors.Ppp.Tests.Negotiation;

/// <summary>
/// Two coordinators wired back to back in memory with a fake clock: frames are delivered in order,
/// and when none are in flight the clock jumps to the earliest timer. No I/O, no real time.
/// </summary>
internal sealed class BackToBack
{
    public const int ClientSide = 0;
    public const int ServerSide = 1;

    private readonly LinkNegotiation[] _sides;
    private readonly Dictionary<(int Side, LinkTimer Timer), TimeSpan> _timers = [];
    private readonly Queue<(int To, ushort Protocol, byte[] Information)> _wire = new();

    public BackToBack(LinkNegotiationSettings client, LinkNegotiationSettings server, int seed = 1)
    {
        _sides = [new LinkNegotiation(client, new TestRandom(seed)), new LinkNegotiation(server, new TestRandom(seed + 1000))];
    }

    public LinkNegotiation Client => _sides[ClientSide];
    public LinkNegotiation Server => _sides[ServerSide];
    public TimeSpan Now { get; private set; }
    public List<LinkOutput>[] Seen { get; } = [[], []];
    public int FramesDelivered { get; private set; }

    /// <summary>Sees each frame leaving a side; returns the frame to deliver, or null to lose it.</summary>
    public Func<int, ushort, byte[], byte[]?>? Wire { get; set; }

    public BackToBack Start()
    {
        for (int side = 0; side < 2; side++)
        {
            Handle(side, _sides[side].Open());
            Handle(side, _sides[side].LowerUp());
        }
        return this;
    }

    /// <summary>Runs until nothing is in flight and no timer is pending, or the clock passes <paramref name="limit"/>.</summary>
    public BackToBack Run(TimeSpan? limit = null)
    {
        var until = limit ?? TimeSpan.FromMinutes(10);
        while (Now <= until)
        {
            if (_wire.TryDequeue(out var frame))
            {
                FramesDelivered++;
                Handle(frame.To, _sides[frame.To].Receive(frame.Protocol, frame.Information));
                continue;
            }
            if (_timers.Count == 0)
                break;
            var next = _timers.MinBy(timer => timer.Value);
            _timers.Remove(next.Key);
            Now = next.Value;
            Handle(next.Key.Side, _sides[next.Key.Side].TimerFired(next.Key.Timer));
        }
        return this;
    }

    public IEnumerable<T> SeenBy<T>(int side) where T : LinkOutput => Seen[side].OfType<T>();

    private void Handle(int side, IReadOnlyList<LinkOutput> outputs)
    {
        foreach (var output in outputs)
        {
            Seen[side].Add(output);
            switch (output)
            {
                case SendFrame send:
                    var information = Wire is null ? send.Information : Wire(side, send.Protocol, send.Information);
                    if (information is not null)
                        _wire.Enqueue((1 - side, send.Protocol, information));
                    break;
                case StartTimer start:
                    _timers[(side, start.Timer)] = Now + start.After;
                    break;
                case StopTimer stop:
                    _timers.Remove((side, stop.Timer));
                    break;
            }
        }
    }
}
