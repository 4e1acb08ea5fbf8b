using System.Buffers.Binary;
using System.Net;
using LinkActors.Ppp.Packets;

namespace LinkActors.Emulator.DataPath;

/// <summary>
/// What the network beyond the modem does with the client's probes, as carriers do: the point-to-point
/// peer address may ignore ICMP echo (the seed user could not ping 10.0.0.1 even from a working phone),
/// while the DNS server the network gave answers queries. Counts the probe bytes the client sent (ICMP
/// echo requests and DNS queries, as IP packets), whether or not anything answered, while it is
/// <see cref="Active"/> or the black hole is on (otherwise the data path passes octets unheld). Thread-safe.
/// </summary>
internal sealed class NetworkPeer
{
    private const int Ipv4HeaderMin = 20;
    private const byte IcmpProtocol = 1;
    private const byte UdpProtocol = 17;
    private const byte IcmpEchoRequest = 8;
    private const ushort DnsPort = 53;
    private volatile IPAddress? _ignoresIcmp;
    private volatile IPAddress? _dnsServer;
    private long _probeBytes;
    private long _probePackets;

    /// <summary>Echo requests to this address get no reply (null: all reach the server).</summary>
    public IPAddress? IgnoresIcmp
    {
        get => _ignoresIcmp;
        set => _ignoresIcmp = value;
    }

    /// <summary>Queries to this address are answered here, on the network's behalf (null: all reach the server).</summary>
    public IPAddress? DnsServer
    {
        get => _dnsServer;
        set => _dnsServer = value;
    }

    /// <summary>Something to do: an address that ignores ICMP, or a DNS server that answers.</summary>
    public bool Active => _ignoresIcmp is not null || _dnsServer is not null;

    public long ProbeBytesSeen => Interlocked.Read(ref _probeBytes);

    public long ProbePacketsSeen => Interlocked.Read(ref _probePackets);

    /// <summary>
    /// One frame from the client. True takes it off the line; <paramref name="answer"/> is then the IP
    /// packet to hand back to the client, if any.
    /// </summary>
    public bool FromClient(ushort protocol, byte[] packet, bool blackHole, out byte[]? answer)
    {
        answer = null;
        if (protocol != PppProtocol.Ipv4 || packet.Length < Ipv4HeaderMin || packet[0] >> 4 != 4)
            return false;
        int header = (packet[0] & 0x0F) * 4;
        if (header < Ipv4HeaderMin || packet.Length < header + 8)
            return false;
        var destination = new IPAddress(packet.AsSpan(16, 4));
        bool echo = packet[9] == IcmpProtocol && packet[header] == IcmpEchoRequest;
        bool dns = packet[9] == UdpProtocol && BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(header + 2)) == DnsPort;
        if (!echo && !dns)
            return false;
        Interlocked.Add(ref _probeBytes, packet.Length);
        Interlocked.Increment(ref _probePackets);
        if (blackHole)
            return true;
        if (echo)
            return destination.Equals(_ignoresIcmp);
        if (!destination.Equals(_dnsServer) || packet.Length < header + 8 + 12)
            return false;
        answer = DnsAnswer(packet, header);
        return true;
    }

    /// <summary>
    /// The server's answer to a query: addresses and ports swapped, QR set, RCODE 0 and no records (a
    /// response all the same, RFC 1035 §4.1.1). Swapping the addresses keeps the IP header checksum; the
    /// UDP checksum is left out (0, RFC 768), since the payload changed.
    /// </summary>
    private static byte[] DnsAnswer(byte[] query, int header)
    {
        var answer = (byte[])query.Clone();
        query.AsSpan(12, 4).CopyTo(answer.AsSpan(16));
        query.AsSpan(16, 4).CopyTo(answer.AsSpan(12));
        query.AsSpan(header, 2).CopyTo(answer.AsSpan(header + 2));
        query.AsSpan(header + 2, 2).CopyTo(answer.AsSpan(header));
        answer[header + 6] = 0;
        answer[header + 7] = 0;
        int flags = header + 8 + 2;
        answer[flags] = (byte)(answer[flags] | 0x80);
        answer[flags + 1] = (byte)(answer[flags + 1] & 0xF0);
        return answer;
    }
}
