namespace LinkActors.Emulator.Modem;

/// <summary>Data-path totals shared by the calls of one emulator; updated from several threads.</summary>
internal sealed class TrafficCounters
{
    private long _bytesFromClient;
    private long _bytesFromServer;
    private long _bytesToClient;
    private long _bytesToServer;
    private long _framesDroppedToServer;
    private long _framesDroppedToClient;
    private long _octetsCorrupted;

    public long BytesFromClient => Interlocked.Read(ref _bytesFromClient);
    public long BytesFromServer => Interlocked.Read(ref _bytesFromServer);
    public long BytesToClient => Interlocked.Read(ref _bytesToClient);
    public long BytesToServer => Interlocked.Read(ref _bytesToServer);
    public long FramesDroppedToServer => Interlocked.Read(ref _framesDroppedToServer);
    public long FramesDroppedToClient => Interlocked.Read(ref _framesDroppedToClient);
    public long OctetsCorrupted => Interlocked.Read(ref _octetsCorrupted);

    public void AddFromClient(long n) => Interlocked.Add(ref _bytesFromClient, n);
    public void AddFromServer(long n) => Interlocked.Add(ref _bytesFromServer, n);
    public void AddToClient(long n) => Interlocked.Add(ref _bytesToClient, n);
    public void AddToServer(long n) => Interlocked.Add(ref _bytesToServer, n);
    public void AddDroppedToServer(long n) => Interlocked.Add(ref _framesDroppedToServer, n);
    public void AddDroppedToClient(long n) => Interlocked.Add(ref _framesDroppedToClient, n);
    public void AddCorrupted(long n) => Interlocked.Add(ref _octetsCorrupted, n);
}
