using Akka.Actor;
using LinkActors.Ppp.Packets;

namespace LinkActors.Actors.Network;

/// <summary>
/// Who listens to a network side (<see cref="NetworkProtocol.Subscribe"/>) and which received packets each one gets:
/// all of them, or only the ICMP echo replies to the link's address carrying its identifier (the ping probe's),
/// or only the UDP datagrams to the link's address on one port (the DNS probe's).
/// Nothing is parsed or allocated while nobody listens.
/// </summary>
internal sealed class PacketSubscribers
{
    private readonly Dictionary<IActorRef, (ushort? EchoIdentifier, ushort? UdpPort)> _subscribers = [];

    public bool IsEmpty => _subscribers.Count == 0;

    public void Add(NetworkProtocol.Subscribe subscribe) => _subscribers[subscribe.Subscriber] = (subscribe.EchoIdentifier, subscribe.UdpPort);

    public bool Remove(IActorRef subscriber) => _subscribers.Remove(subscriber);

    /// <summary>
    /// Tells <paramref name="packet"/> to the subscribers it is for. True when it was an echo reply one of them
    /// asked for by identifier: then it answers a request made in the process, and the host is not to see it.
    /// </summary>
    /// <param name="local">The link's own IPv4 address, 4 bytes (empty while IPCP is not Opened).</param>
    public bool Deliver(ushort protocol, ReadOnlyMemory<byte> packet, ReadOnlySpan<byte> local, IActorRef self)
    {
        NetworkProtocol.PacketReceived? received = null;
        bool taken = false;
        foreach (var (subscriber, (identifier, udpPort)) in _subscribers)
        {
            if (identifier is { } id)
            {
                if (protocol != PppProtocol.Ipv4 || local.IsEmpty || !Icmp.IsEchoReplyTo(packet.Span, local, id))
                    continue;
                taken = true;
            }
            else if (udpPort is { } port)
            {
                if (protocol != PppProtocol.Ipv4 || local.IsEmpty || !DnsProbePacket.IsUdpTo(packet.Span, local, port))
                    continue;
                taken = true;
            }
            // The framing hands over a buffer of the packet's own, never reused: subscribers share it without a copy.
            received ??= new NetworkProtocol.PacketReceived(protocol, packet);
            subscriber.Tell(received, self);
        }
        return taken;
    }
}
