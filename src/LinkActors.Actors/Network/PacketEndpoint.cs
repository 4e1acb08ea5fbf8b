using System.Net;
using LinkActors.Ppp.Packets;

namespace LinkActors.Actors.Network;

/// <summary>Messages of a <see cref="PacketEndpointActor"/>: the network side of a link inside the process.</summary>
public static class PacketEndpoint
{
    /// <summary>Send an IP packet over the link (IPv4 or IPv6, by its version nibble).</summary>
    public sealed record SendPacket(ReadOnlyMemory<byte> Packet)
    {
        public override string ToString() => $"SendPacket {{ Length = {Packet.Length} }}";
    }

    /// <summary>Where received packets go (besides the built-in echo responder).</summary>
    public sealed record Subscribe(Akka.Actor.IActorRef Subscriber);

    /// <summary>An IP packet arrived over the link.</summary>
    public sealed record PacketReceived(ushort Protocol, ReadOnlyMemory<byte> Packet)
    {
        public override string ToString() => $"PacketReceived {{ Protocol = {PppProtocol.Name(Protocol)}, Length = {Packet.Length} }}";
    }

    /// <summary>IPCP is up: the addresses the endpoint answers for.</summary>
    public sealed record Configure(IPAddress? Local, IPAddress? Remote);

    /// <summary>The network layer went down: stop sending.</summary>
    public sealed record Unconfigure
    {
        public static Unconfigure Instance { get; } = new();
    }

    public sealed record GetStats
    {
        public static GetStats Instance { get; } = new();
    }

    public sealed record Stats(long PacketsSent, long BytesSent, long PacketsReceived, long BytesReceived, long EchoRepliesSent, long Dropped);
}
