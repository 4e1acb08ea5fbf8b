using System.Net;
using LinkActors.Ppp.Framing;
using LinkActors.Ppp.Packets;

namespace LinkActors.Emulator.DataPath;

/// <summary>
/// Reads the PPP the server sends the client for the address IPCP gives the client: the IP-Address option
/// of the server's Configure-Ack (RFC 1332 §3.3; a Configure-Ack repeats the client's request, so it carries
/// the address the client now uses). A real modem knows that address as its PDP context's (AT+CGPADDR); the
/// emulator, which only bridges the octets, learns it here. Fed from one thread; read from any.
/// </summary>
internal sealed class IpcpAddressWatcher : IHdlcFrameSink
{
    private readonly HdlcDecoder _decoder = new(ushort.MaxValue) { ReceiveAccm = 0 };
    private volatile IPAddress? _address;

    /// <summary>The address last acknowledged to the client; null before IPCP's first Configure-Ack.</summary>
    public IPAddress? Address => _address;

    public void Watch(ReadOnlySpan<byte> fromServer) => _decoder.Decode(fromServer, this);

    public void OnFrame(ushort protocol, ReadOnlySpan<byte> information)
    {
        if (protocol != PppProtocol.Ipcp || !ControlPacket.TryParse(information, out var packet) || packet.Code != ControlCode.ConfAck)
            return;
        if (!OptionList.TryParse(packet.Data.Span, out var options))
            return;
        foreach (var option in options)
        {
            if (option.Type == IpcpOption.IpAddress && option.Data.Length == 4)
                _address = new IPAddress(option.Data.Span);
        }
    }
}
