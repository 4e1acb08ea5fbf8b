using System.Net;
using Akka.Actor;
using LinkActors.Actors.Framing;
using LinkActors.Ppp.Packets;

namespace LinkActors.Actors.Network;

/// <summary>
/// The network side of a link inside the process: accepts and emits IP packets, and answers ICMP
/// echo requests to its own address, so a link can be proven end to end without a TUN device.
/// </summary>
public sealed class PacketEndpointActor : ReceiveActor
{
    private readonly IActorRef _framing;
    private readonly PacketSubscribers _subscribers = new();
    private IPAddress? _local;
    private byte[] _localBytes = [];
    private bool _up;
    private long _packetsSent, _bytesSent, _packetsReceived, _bytesReceived, _echoReplies, _dropped;

    public PacketEndpointActor(IActorRef framing)
    {
        _framing = framing;
        Receive<PacketEndpoint.Configure>(c =>
        {
            SetLocal(c.Local);
            _up = true;
        });
        Receive<PacketEndpoint.Unconfigure>(_ => { _up = false; });
        Receive<NetworkProtocol.Ipv4Up>(u =>
        {
            SetLocal(u.Ipcp.Local);
            _up = true;
        });
        Receive<NetworkProtocol.Ipv4Down>(_ => _up = false);
        Receive<NetworkProtocol.Ipv6Up>(_ => { });
        Receive<NetworkProtocol.Ipv6Down>(_ => { });
        Receive<NetworkProtocol.Subscribe>(s =>
        {
            _subscribers.Add(s);
            Context.Watch(s.Subscriber);
        });
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<NetworkProtocol.SendPacket>(s => Send(s.Packet));
        Receive<FramingProtocol.FrameReceived>(f => OnReceived(f.Protocol, f.Information));
        Receive<NetworkProtocol.GetTraffic>(_ => Sender.Tell(new NetworkProtocol.Traffic(_packetsSent, _bytesSent, _packetsReceived, _bytesReceived)));
        Receive<PacketEndpoint.GetStats>(_ => Sender.Tell(new PacketEndpoint.Stats(_packetsSent, _bytesSent, _packetsReceived, _bytesReceived, _echoReplies, _dropped)));
    }

    private void SetLocal(IPAddress? local)
    {
        _local = local;
        _localBytes = local?.GetAddressBytes() ?? [];
    }

    private void Send(ReadOnlyMemory<byte> packet)
    {
        // RFC 1661 §3.4: no network-layer packet before its NCP is Opened.
        if (!_up || packet.IsEmpty)
        {
            _dropped++;
            return;
        }
        ushort protocol = (packet.Span[0] >> 4) == 6 ? PppProtocol.Ipv6 : PppProtocol.Ipv4;
        _packetsSent++;
        _bytesSent += packet.Length;
        _framing.Tell(new FramingProtocol.SendFrame(protocol, packet));
    }

    private void OnReceived(ushort protocol, ReadOnlyMemory<byte> packet)
    {
        _packetsReceived++;
        _bytesReceived += packet.Length;
        if (protocol == PppProtocol.Ipv4 && _local is not null && Icmp.ReplyTo(packet.Span, _local) is { } reply)
        {
            _echoReplies++;
            Send(reply);
        }
        if (!_subscribers.IsEmpty)
            _subscribers.Deliver(protocol, packet, _localBytes, Self);
    }

    public static Props Props(IActorRef framing) => Akka.Actor.Props.Create(() => new PacketEndpointActor(framing));
}
