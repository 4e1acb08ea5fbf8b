namespace LinkActors.Emulator.Modem;

/// <summary>
/// Totals since the emulator started. Bytes are counted where they enter the data path, before faults:
/// what the client sent and what the server sent.
/// </summary>
public sealed record ModemCounters(
    long CommandsSeen,
    long BytesFromClient,
    long BytesFromServer,
    long BytesToClient,
    long BytesToServer,
    long FramesDroppedToServer,
    long FramesDroppedToClient,
    long OctetsCorrupted,
    long Calls)
{
    public long FramesDropped => FramesDroppedToServer + FramesDroppedToClient;

    /// <summary>
    /// IP bytes of probes the client sent (ICMP echo requests and DNS queries), answered or not; counted while
    /// the network's peer behaviour is set (PeerIgnoresIcmp, DnsServerAnswers) or the black hole is on.
    /// </summary>
    public long ProbeBytesSeen { get; init; }

    /// <summary>How many such probe packets.</summary>
    public long ProbePacketsSeen { get; init; }
}
