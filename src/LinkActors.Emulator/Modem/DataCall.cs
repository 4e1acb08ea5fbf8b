using System.Buffers;
using LinkActors.Emulator.Bridge;
using LinkActors.Emulator.DataPath;
using LinkActors.Emulator.Faults;
using LinkActors.Ppp.Framing;

namespace LinkActors.Emulator.Modem;

/// <summary>
/// One call's data path: client octets through the black hole, the line noise and the pacing to the
/// server, and the server's octets the same way back. The modem decides what reaches the client (it may
/// be in online command mode); the call reports the server's hang-up.
/// </summary>
internal sealed class DataCall : IAsyncDisposable
{
    private const int ReadBufferSize = 4096;
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    private readonly IPppServerConnection _server;
    private readonly ModemFaults _faults;
    private readonly TrafficCounters _counters;
    private readonly Action<DataCall, string> _ended;
    private readonly BlackHoleFilter _toServerFilter;
    private readonly BlackHoleFilter _toClientFilter = new();
    private readonly IpcpAddressWatcher _addressWatcher = new();
    private readonly LineNoise _toServerNoise;
    private readonly LineNoise _toClientNoise;
    private readonly ArrayBufferWriter<byte> _toServerScratch = new();
    private readonly ArrayBufferWriter<byte> _toClientScratch = new();
    private readonly DataPump _toServer;
    private readonly DataPump _toClient;
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private int _disposed;

    public DataCall(int cid, IPppServerConnection server, ModemFaults faults, TrafficCounters counters,
        TimeProvider time, int seed, Action<DataCall, ReadOnlyMemory<byte>> deliverToClient, Action<DataCall, string> ended)
    {
        Cid = cid;
        _server = server;
        _faults = faults;
        _counters = counters;
        _ended = ended;
        _toServerFilter = new BlackHoleFilter(Inspect, () => faults.Peer.Active);
        _toServerNoise = new LineNoise(seed);
        _toClientNoise = new LineNoise(unchecked(seed + 1));
        _toServer = new DataPump(WriteToServerAsync, () => faults.ExtraLatency, () => faults.BaudRate, time,
            e => ended(this, "write to server failed: " + e.Message));
        _toClient = new DataPump((data, _) =>
            {
                deliverToClient(this, data);
                return ValueTask.CompletedTask;
            },
            () => faults.ExtraLatency, () => faults.BaudRate, time,
            e => ended(this, "delivery to client failed: " + e.Message));
    }

    public int Cid { get; }

    /// <summary>The address the server's IPCP gave the client in this call (what a modem's AT+CGPADDR would show).</summary>
    public System.Net.IPAddress? PeerAddress => _addressWatcher.Address;

    public void Start() => _reader = Task.Run(ReadServerAsync);

    /// <summary>Octets the client sent in data mode. Called by one thread at a time (under the modem's lock).</summary>
    public void FromClient(ReadOnlySpan<byte> data)
    {
        _counters.AddFromClient(data.Length);
        _toServer.Enqueue(Impair(data, _toServerFilter, _toServerNoise, _toServerScratch, toServer: true));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        // Closing the streams unblocks a read that ignores cancellation (process pipes do).
        try
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
        try
        {
            await _reader.WaitAsync(ShutdownTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        await _toServer.DisposeAsync().ConfigureAwait(false);
        await _toClient.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private byte[] Impair(ReadOnlySpan<byte> data, BlackHoleFilter filter, LineNoise noise,
        ArrayBufferWriter<byte> scratch, bool toServer)
    {
        scratch.ResetWrittenCount();
        long droppedBefore = filter.FramesDropped;
        filter.Process(data, _faults.BlackHoleEnabled, scratch);
        long dropped = filter.FramesDropped - droppedBefore;
        if (dropped > 0)
        {
            if (toServer)
                _counters.AddDroppedToServer(dropped);
            else
                _counters.AddDroppedToClient(dropped);
        }
        byte[] passed = scratch.WrittenSpan.ToArray();
        long corruptedBefore = noise.OctetsCorrupted;
        noise.Apply(passed, _faults.GarbageRate);
        _counters.AddCorrupted(noise.OctetsCorrupted - corruptedBefore);
        return passed;
    }

    /// <summary>The network beyond the modem sees the client's datagram: it may ignore it, or answer it itself.</summary>
    private bool Inspect(ushort protocol, byte[] information, bool blackHole)
    {
        if (!_faults.Peer.FromClient(protocol, information, blackHole, out var answer))
            return false;
        if (answer is not null)
        {
            // All control characters escaped, no field compression: what any receiver takes (RFC 1662 §7.1).
            var encoder = new HdlcEncoder();
            var frame = new byte[HdlcEncoder.MaxEncodedLength(answer.Length)];
            int length = encoder.Encode(protocol, answer, frame);
            _counters.AddFromServer(length);
            _toClient.Enqueue(frame.AsSpan(0, length).ToArray());
        }
        return true;
    }

    private async ValueTask WriteToServerAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _server.ToServer.WriteAsync(data, ct).ConfigureAwait(false);
        await _server.ToServer.FlushAsync(ct).ConfigureAwait(false);
        _counters.AddToServer(data.Length);
    }

    private async Task ReadServerAsync()
    {
        CancellationToken ct = _stop.Token;
        byte[] buffer = new byte[ReadBufferSize];
        string reason;
        try
        {
            while (true)
            {
                int n = await _server.FromServer.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (n == 0)
                {
                    reason = "server hung up";
                    break;
                }
                _counters.AddFromServer(n);
                _addressWatcher.Watch(buffer.AsSpan(0, n));
                _toClient.Enqueue(Impair(buffer.AsSpan(0, n), _toClientFilter, _toClientNoise, _toClientScratch, toServer: false));
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            reason = "server connection failed: " + e.Message;
        }
        _ended(this, reason);
    }
}
