namespace LinkActors.Actors.Network;

/// <summary>
/// Bytes and packets of one interface, counted by the TUN actor and read by the route actor for the down
/// scripts' BYTES_SENT / BYTES_RCVD. Updated with Interlocked: the route actor reads them on its own thread.
/// </summary>
public sealed class TrafficCounters
{
    private long _packetsSent, _bytesSent, _packetsReceived, _bytesReceived;

    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public void Sent(int bytes)
    {
        Interlocked.Increment(ref _packetsSent);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    public void Received(int bytes)
    {
        Interlocked.Increment(ref _packetsReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }
}
