using System.Buffers.Binary;
using System.Net.Sockets;

namespace LinkActors.Host.Fleet;

/// <summary>
/// Counts what the reporter's connections cost on the wire, from the kernel's own counters of each
/// socket (TCP_INFO: payload bytes sent and received, TLS records included, and segments each way),
/// plus the IP and TCP headers of every segment. Read while the connection lives and once more as it closes.
/// </summary>
public sealed class WireMeter
{
    /// <summary>IPv4 (20) and TCP (20) headers with the timestamp option (12) that Linux sends on every segment.</summary>
    public const int HeaderBytesPerSegment = 52;

    /// <summary>The close, after the last reading: the transport closes idle connections with one reset segment (SO_LINGER 0).</summary>
    public const int CloseBytes = HeaderBytesPerSegment;

    // struct tcp_info (linux/tcp.h): offsets of the counters used here.
    private const int TcpInfoLevel = 6; // IPPROTO_TCP
    private const int TcpInfoOption = 11; // TCP_INFO
    private const int BytesReceivedOffset = 128;
    private const int SegmentsOutOffset = 136;
    private const int SegmentsInOffset = 140;
    private const int BytesSentOffset = 200;
    private const int TcpInfoSize = 232;

    private readonly object _gate = new();
    private readonly Dictionary<Socket, long> _counted = [];
    private long _total;
    private long _connections;

    /// <summary>Bytes on the wire so far, connections still open read now.</summary>
    public long Total
    {
        get
        {
            lock (_gate)
            {
                foreach (var socket in _counted.Keys.ToList())
                    Count(socket);
                return _total;
            }
        }
    }

    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Connections open now (not yet closed).</summary>
    public int Open
    {
        get
        {
            lock (_gate)
                return _counted.Count;
        }
    }

    public void Opened(Socket socket)
    {
        lock (_gate)
            _counted[socket] = 0;
        Interlocked.Increment(ref _connections);
    }

    /// <summary>Call before the socket is closed.</summary>
    public void Closing(Socket socket)
    {
        lock (_gate)
        {
            if (!_counted.ContainsKey(socket))
                return;
            Count(socket);
            _counted.Remove(socket);
            _total += CloseBytes;
        }
    }

    private void Count(Socket socket)
    {
        long now = Read(socket);
        if (now < 0)
            return;
        long before = _counted[socket];
        if (now > before)
        {
            _total += now - before;
            _counted[socket] = now;
        }
    }

    /// <summary>Payload both ways plus headers of every segment, as the kernel counted them; -1 when it cannot be read.</summary>
    public static long Read(Socket socket)
    {
        Span<byte> info = stackalloc byte[TcpInfoSize];
        try
        {
            int length = socket.GetRawSocketOption(TcpInfoLevel, TcpInfoOption, info);
            if (length < BytesSentOffset + 8)
                return -1;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            return -1;
        }
        long received = (long)BinaryPrimitives.ReadUInt64LittleEndian(info[BytesReceivedOffset..]);
        long sent = (long)BinaryPrimitives.ReadUInt64LittleEndian(info[BytesSentOffset..]);
        long segments = BinaryPrimitives.ReadUInt32LittleEndian(info[SegmentsOutOffset..]) + (long)BinaryPrimitives.ReadUInt32LittleEndian(info[SegmentsInOffset..]);
        return sent + received + segments * HeaderBytesPerSegment;
    }
}
