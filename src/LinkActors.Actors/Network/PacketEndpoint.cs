using System.Net;

namespace LinkActors.Actors.Network;

/// <summary>
/// Messages of a <see cref="PacketEndpointActor"/> only: the network side of a link inside the process. What every
/// network side answers (packets in and out, traffic counters) is in <see cref="NetworkProtocol"/>.
/// </summary>
public static class PacketEndpoint
{
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
