using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Actors.Link;

/// <summary>Messages of a <see cref="ControlProtocolActor"/> (one per LCP, IPCP, IPv6CP).</summary>
public static class ControlProtocol
{
    // Commands, from the link supervisor (RFC 1661 §4.3 events Up, Down, Open, Close).

    /// <summary>The lower layer is up: for LCP the line after CONNECT; for an NCP, LCP Opened (and auth done).</summary>
    public sealed record Up
    {
        public static Up Instance { get; } = new();
    }

    /// <summary>
    /// The lower layer is up, but the peer may not be listening yet (pppd's `connect-delay`): the Up
    /// event happens when the first packet of this protocol arrives from the peer or after
    /// <paramref name="Bound"/>, whichever comes first, so our first Configure-Request does not bounce
    /// off a modem that is still switching to data mode.
    /// </summary>
    public sealed record DelayedUp(TimeSpan Bound);

    public sealed record Down
    {
        public static Down Instance { get; } = new();
    }

    public sealed record Open
    {
        public static Open Instance { get; } = new();
    }

    public sealed record Close(string Reason);

    /// <summary>LCP received a Protocol-Reject naming this protocol: RXJ- (RFC 1661 §5.7).</summary>
    public sealed record PeerRejectedProtocol
    {
        public static PeerRejectedProtocol Instance { get; } = new();
    }

    /// <summary>LCP only: send a Protocol-Reject for a frame of an unsupported protocol (RFC 1661 §5.7).</summary>
    public sealed record SendProtocolReject(ushort Protocol, ReadOnlyMemory<byte> Information)
    {
        public override string ToString() => $"SendProtocolReject {{ Protocol = {PppProtocol.Name(Protocol)}, Length = {Information.Length} }}";
    }

    /// <summary>The peer's MRU as LCP negotiated it: bounds the size of replies we build.</summary>
    public sealed record SetPeerMru(int Mru);

    // Events, to the link supervisor.

    /// <summary>tlu: Opened. <paramref name="Negotiated"/> is an immutable snapshot of the policy's results.</summary>
    public sealed record LayerUp(ushort Protocol, string Name, object? Negotiated, string Description);

    /// <summary>The layer reached Opened but what was agreed is not acceptable (e.g. the peer refused to authenticate); it closes.</summary>
    public sealed record LayerRefused(ushort Protocol, string Name, string Reason, UpRefusalKind Kind = UpRefusalKind.Unusable);

    /// <summary>tld: left Opened.</summary>
    /// <param name="PeerTerminated">Set when the layer went down because the peer sent a Terminate-Request (RFC 1661 §5.5).</param>
    public sealed record LayerDown(ushort Protocol, string Name, string? PeerTerminated = null);

    /// <summary>tls: the layer needs its lower layer.</summary>
    public sealed record LayerStarted(ushort Protocol, string Name);

    /// <summary>tlf: the layer is finished with its lower layer, and why.</summary>
    /// <param name="ByPeer">The layer finished because the peer sent a Terminate-Request.</param>
    public sealed record LayerFinished(ushort Protocol, string Name, string Reason, bool ByPeer = false);

    public sealed record StateChanged(ushort Protocol, string Name, ControlState From, ControlState To);

    /// <summary>LCP got a Protocol-Reject for another protocol (the supervisor tells that protocol's actor).</summary>
    public sealed record ProtocolRejectReceived(ushort RejectedProtocol);

    /// <summary>LCP echo keepalive: this many Echo-Requests went unanswered in a row (pppd lcp-echo-failure).</summary>
    public sealed record EchoFailed(int Unanswered);

    /// <summary>LCP echo round trip, for metrics.</summary>
    public sealed record EchoAnswered(TimeSpan RoundTrip);

    /// <summary>Our own magic number came back: the line is looped back (RFC 1661 §6.4).</summary>
    public sealed record LoopbackDetected(uint Magic);
}
