namespace LinkActors.Emulator.Bridge;

/// <summary>A call's far end made of streams: one duplex stream (a socket, a pty) or a pair (a process's stdout and stdin).</summary>
public sealed class StreamPppServerConnection : IPppServerConnection
{
    private readonly Func<ValueTask>? _onDispose;
    private int _disposed;

    public StreamPppServerConnection(Stream fromServer, Stream toServer, Func<ValueTask>? onDispose = null)
    {
        FromServer = fromServer;
        ToServer = toServer;
        _onDispose = onDispose;
    }

    /// <summary>Both directions over one stream, disposed with the connection.</summary>
    public StreamPppServerConnection(Stream duplex)
        : this(duplex, duplex)
    {
    }

    public Stream FromServer { get; }

    public Stream ToServer { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await ToServer.DisposeAsync().ConfigureAwait(false);
        if (!ReferenceEquals(FromServer, ToServer))
            await FromServer.DisposeAsync().ConfigureAwait(false);
        if (_onDispose is not null)
            await _onDispose().ConfigureAwait(false);
    }
}
