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
    private readonly HashSet<IActorRef> _subscribers = [];
    private IPAddress? _local;
    private bool _up;
    private long _packetsSent, _bytesSent, _packetsReceived, _bytesReceived, _echoReplies, _dropped;

    public PacketEndpointActor(IActorRef framing)
    {
        _framing = framing;
        Receive<PacketEndpoint.Configure>(c =>
        {
            _local = c.Local;
            _up = true;
        });
        Receive<PacketEndpoint.Unconfigure>(_ => { _up = false; });
        Receive<NetworkProtocol.Ipv4Up>(u =>
        {
            _local = u.Ipcp.Local;
            _up = true;
        });
        Receive<NetworkProtocol.Ipv4Down>(_ => _up = false);
        Receive<NetworkProtocol.Ipv6Up>(_ => { });
        Receive<NetworkProtocol.Ipv6Down>(_ => { });
        Receive<PacketEndpoint.Subscribe>(s =>
        {
            _subscribers.Add(s.Subscriber);
            Context.Watch(s.Subscriber);
        });
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<PacketEndpoint.SendPacket>(s => Send(s.Packet));
        Receive<FramingProtocol.FrameReceived>(f => OnReceived(f.Protocol, f.Information));
        Receive<PacketEndpoint.GetStats>(_ => Sender.Tell(new PacketEndpoint.Stats(_packetsSent, _bytesSent, _packetsReceived, _bytesReceived, _echoReplies, _dropped)));
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
        var received = new PacketEndpoint.PacketReceived(protocol, packet);
        foreach (var subscriber in _subscribers)
            subscriber.Tell(received);
    }

    public static Props Props(IActorRef framing) => Akka.Actor.Props.Create(() => new PacketEndpointActor(framing));
}
