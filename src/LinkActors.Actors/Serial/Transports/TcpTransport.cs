using System.Net.Sockets;

namespace LinkActors.Actors.Serial.Transports;

/// <summary>A TCP connection used as the line (pppd `socket`): no modem lines, the peer closing is the line vanishing.</summary>
internal sealed class TcpTransport : ILineTransport
{
    private readonly Socket _socket;

    private TcpTransport(Socket socket) => _socket = socket;

    public bool HasModemLines => false;

    public bool ReadBlocks => false;

    public bool CarrierDetect => throw new NotSupportedException("A TCP line has no DCD.");

    public static async Task<TcpTransport> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            return new TcpTransport(socket);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"No connection to {host}:{port} within {timeout.TotalSeconds:0.#} s.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// pppd's `socket :PORT` (host omitted): wait for one connection on the port, then use it as
    /// the line. The listener closes once the connection is taken, so a second caller is refused.
    /// </summary>
    public static async Task<TcpTransport> AcceptAsync(int port, CancellationToken cancellation)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Any, port));
        listener.Listen(1);
        var socket = await listener.AcceptAsync(cancellation).ConfigureAwait(false);
        socket.NoDelay = true;
        return new TcpTransport(socket);
    }

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation) => _socket.ReceiveAsync(buffer, SocketFlags.None, cancellation);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None, cancellation).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    public void SetDtr(bool high) => throw new NotSupportedException("A TCP line has no DTR.");

    public void Close() => _socket.Dispose();
}
