namespace LinkActors.Actors.Network;

/// <summary>Messages and events of a <see cref="TunActor"/>: the network side of a link as a kernel TUN interface.</summary>
public static class TunProtocol
{
    /// <summary>Asks for <see cref="Stats"/>.</summary>
    public sealed record GetStats
    {
        public static GetStats Instance { get; } = new();
    }

    /// <summary>The counters of one TUN actor since it started (the ones every network side has: <see cref="NetworkProtocol.Traffic"/>).</summary>
    /// <param name="Interface">The interface name the kernel chose, e.g. ppp0.</param>
    /// <param name="PacketsSent">Packets taken by the framing: read from the interface, or made in the process (the ping probe's).</param>
    /// <param name="PacketsReceived">Packets received over the link: written to the interface, or taken by a subscriber (<paramref name="EchoRepliesTaken"/>).</param>
    /// <param name="DroppedNoNcp">Packets read while their NCP was not Opened (RFC 1661 §3.6), or of no known IP version.</param>
    /// <param name="SendFailed">Packets the framing refused (its queue was full, or the port failed).</param>
    /// <param name="WriteErrors">Packets the kernel refused to take from us (the interface is down, or it had no room then).</param>
    /// <param name="InFlight">Packets handed to the framing and not yet acknowledged.</param>
    /// <param name="InjectedWaiting">Packets made in the process waiting for a slot of the window (at most <see cref="TunActor.InjectedQueueLimit"/>).</param>
    /// <param name="InjectedDropped">Packets made in the process dropped because the window and its small wait queue were full.</param>
    /// <param name="EchoRepliesTaken">Echo replies delivered to the subscriber that asked for their identifier, and not to the interface.</param>
    public sealed record Stats(
        string Interface,
        long PacketsSent,
        long BytesSent,
        long PacketsReceived,
        long BytesReceived,
        long DroppedNoNcp,
        long SendFailed,
        long WriteErrors,
        int InFlight,
        int InjectedWaiting,
        long InjectedDropped,
        long EchoRepliesTaken);

    /// <summary>Published when the interface exists (before any address is on it).</summary>
    public sealed record InterfaceCreated(string Link, string Interface, int Index);

    /// <summary>Published when the interface has been deleted.</summary>
    public sealed record InterfaceRemoved(string Link, string Interface);
}
