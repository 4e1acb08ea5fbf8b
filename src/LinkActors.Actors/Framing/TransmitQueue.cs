using Akka.Actor;

namespace LinkActors.Actors.Framing;

/// <summary>
/// Encoded frames waiting behind the port write in flight, bounded in frames and bytes. Control
/// frames are taken beyond the data limit (up to their own), so that LCP can still end a link whose
/// data path is stuck; data frames are refused when the queue is full and the sender is told to slow down.
/// </summary>
internal sealed class TransmitQueue
{
    private readonly Queue<QueuedFrame> _frames = new();
    private readonly int _maxFrames;
    private readonly int _maxBytes;
    private readonly int _maxWriteBytes;
    private readonly int _maxControlFrames;
    private int _bytes;

    public TransmitQueue(int maxFrames, int maxBytes, int maxWriteBytes, int maxControlFrames = int.MaxValue)
    {
        _maxControlFrames = maxControlFrames;
        _maxFrames = maxFrames;
        _maxBytes = maxBytes;
        _maxWriteBytes = maxWriteBytes;
    }

    public int Count => _frames.Count;

    /// <summary>Queues a frame; false (and nothing queued) for a data frame that does not fit.</summary>
    public bool TryEnqueue(QueuedFrame frame, bool control)
    {
        if (!control && (_frames.Count >= _maxFrames || _bytes + frame.Encoded.Length > _maxBytes))
        {
            return false;
        }

        // Control frames get room beyond the data limit, but not without bound: a line that takes
        // nothing for that long is stuck, and LCP's own timers end the link.
        if (control && _frames.Count >= _maxControlFrames)
        {
            return false;
        }

        _frames.Enqueue(frame);
        _bytes += frame.Encoded.Length;
        return true;
    }

    /// <summary>
    /// The next port write: the first frame, and the frames after it while the write stays under
    /// the write size, so that a burst of small frames costs one port write. Null when empty.
    /// </summary>
    public PortWrite? TakeWrite()
    {
        if (!_frames.TryDequeue(out var first))
        {
            return null;
        }

        _bytes -= first.Encoded.Length;
        if (_frames.Count == 0 || first.Encoded.Length + _frames.Peek().Encoded.Length > _maxWriteBytes)
        {
            return PortWrite.Of(first);
        }

        var taken = new List<QueuedFrame> { first };
        var length = first.Encoded.Length;
        while (_frames.TryPeek(out var next) && length + next.Encoded.Length <= _maxWriteBytes)
        {
            _frames.Dequeue();
            _bytes -= next.Encoded.Length;
            length += next.Encoded.Length;
            taken.Add(next);
        }

        var bytes = new byte[length];
        var offset = 0;
        var acks = new List<(object Ack, IActorRef Sender)>();
        foreach (var frame in taken)
        {
            frame.Encoded.CopyTo(bytes, offset);
            offset += frame.Encoded.Length;
            if (frame.Ack is { } ack)
            {
                acks.Add((ack, frame.Sender));
            }
        }

        return new PortWrite(bytes, taken.Count, acks);
    }

    /// <summary>Empties the queue, handing back the Acks of the frames that will never be sent.</summary>
    public List<(object Ack, IActorRef Sender)> Clear()
    {
        var acks = _frames.Where(f => f.Ack is not null).Select(f => (f.Ack!, f.Sender)).ToList();
        _frames.Clear();
        _bytes = 0;
        return acks;
    }
}

/// <summary>One encoded frame, with whom to tell when it has been written.</summary>
internal readonly record struct QueuedFrame(byte[] Encoded, object? Ack, IActorRef Sender);

/// <summary>The bytes of one port write, how many frames they hold, and the Acks to reply when the port has them.</summary>
internal sealed record PortWrite(byte[] Bytes, int Frames, IReadOnlyList<(object Ack, IActorRef Sender)> Acks)
{
    public static PortWrite Of(QueuedFrame frame) =>
        new(frame.Encoded, 1, frame.Ack is { } ack ? [(ack, frame.Sender)] : []);

    public override string ToString() => $"PortWrite {{ Bytes = {Bytes.Length}, Frames = {Frames}, Acks = {Acks.Count} }}";
}
