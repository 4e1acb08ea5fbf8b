using System.Threading.Channels;

namespace LinkActors.Emulator.Bridge;

/// <summary>
/// A far end inside the same process, for tests and the demo: each call the emulator connects appears
/// here as the server side of an in-memory pipe, to be taken with <see cref="AcceptAsync"/> and handed
/// to a PPP server (or read and written directly by a test).
/// </summary>
public sealed class InProcessPppServer
{
    private readonly Channel<Stream> _accepted = Channel.CreateUnbounded<Stream>();

    /// <summary>Pass this as the emulator's server.</summary>
    public PppServerConnector Connector => ConnectAsync;

    /// <summary>The server side of the next call, once a client has dialled.</summary>
    public ValueTask<Stream> AcceptAsync(CancellationToken cancellationToken = default) =>
        _accepted.Reader.ReadAsync(cancellationToken);

    private ValueTask<IPppServerConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var (modemSide, serverSide) = MemoryDuplexStream.CreatePair();
        _accepted.Writer.TryWrite(serverSide);
        return ValueTask.FromResult<IPppServerConnection>(new StreamPppServerConnection(modemSide));
    }
}
