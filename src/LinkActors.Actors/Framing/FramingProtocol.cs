using Akka.Actor;
using LinkActors.Ppp.Packets;

namespace LinkActors.Actors.Framing;

/// <summary>The messages of an <see cref="HdlcFramingActor"/>.</summary>
public static class FramingProtocol
{
    /// <summary>
    /// Frames and sends one PPP packet. With an <paramref name="Ack"/>, the sender gets
    /// <see cref="FrameSent"/> once the port has taken the frame, or <see cref="SendFailed"/>.
    /// A data frame that finds the transmit queue full is dropped; control frames always queue.
    /// </summary>
    public sealed record SendFrame(ushort Protocol, ReadOnlyMemory<byte> Information, object? Ack = null)
    {
        public override string ToString() =>
            $"SendFrame {{ Protocol = 0x{Protocol:x4} ({PppProtocol.Name(Protocol)}), Information = {Information.Length} bytes, Ack = {Ack} }}";
    }

    /// <summary>The port has taken the frame that carried this Ack.</summary>
    public sealed record FrameSent(object Ack);

    /// <summary>The frame that carried this Ack was not sent: the queue was full, or the port failed.</summary>
    public sealed record SendFailed(object Ack, string Reason);

    /// <summary>An intact frame arrived; sent to the route of its protocol, else to the supervisor.</summary>
    public sealed record FrameReceived(ushort Protocol, ReadOnlyMemory<byte> Information)
    {
        public override string ToString() =>
            $"FrameReceived {{ Protocol = 0x{Protocol:x4} ({PppProtocol.Name(Protocol)}), Information = {Information.Length} bytes }}";
    }

    /// <summary>From now on, frames of <paramref name="Protocol"/> go to <paramref name="Target"/>.</summary>
    public sealed record SetRoute(ushort Protocol, IActorRef Target);

    /// <summary>Frames of <paramref name="Protocol"/> go to the supervisor again.</summary>
    public sealed record RemoveRoute(ushort Protocol);

    /// <summary>
    /// Applies what LCP decided (when it reaches Opened, RFC 1662 §7.1), or the defaults again when
    /// it leaves Opened. Frames already queued keep the framing they were encoded with.
    /// </summary>
    public sealed record Configure(FramingSettings Settings);

    /// <summary>
    /// <paramref name="Listener"/> gets one <see cref="LinkActivity"/> after the next frame received,
    /// then nothing until it sends <see cref="RearmActivity"/>. For LCP's adaptive echo: a link
    /// that delivers frames needs no Echo-Request.
    /// </summary>
    public sealed record WatchActivity(IActorRef Listener);

    /// <summary>A frame has been received since the watch was (re)armed.</summary>
    public sealed class LinkActivity
    {
        public static readonly LinkActivity Instance = new();

        private LinkActivity()
        {
        }

        public override string ToString() => nameof(LinkActivity);
    }

    /// <summary>Send one more <see cref="LinkActivity"/> after the next frame received.</summary>
    public sealed class RearmActivity
    {
        public static readonly RearmActivity Instance = new();

        private RearmActivity()
        {
        }

        public override string ToString() => nameof(RearmActivity);
    }

    /// <summary>
    /// The link is going down: write what is already asked for (queued behind this in the mailbox, or
    /// waiting behind the write in flight), and stop once the port has acknowledged the last write.
    /// The sender watches for the stop; the port may be closed then without losing a frame (our
    /// Terminate-Ack, RFC 1661 §4.1 sta).
    /// </summary>
    public sealed class Drain
    {
        public static readonly Drain Instance = new();

        private Drain()
        {
        }

        public override string ToString() => nameof(Drain);
    }

    /// <summary>Asks for <see cref="FramingStats"/>.</summary>
    public sealed class GetStats
    {
        public static readonly GetStats Instance = new();

        private GetStats()
        {
        }

        public override string ToString() => nameof(GetStats);
    }

    /// <summary>The counters of one framing actor since it started.</summary>
    /// <param name="RxFrames">Intact frames received (routed or not).</param>
    /// <param name="RxBadFcs">Frames whose FCS did not check (RFC 1662 §C.2).</param>
    /// <param name="RxRunts">Frames too short to be valid (RFC 1662 §4.3).</param>
    /// <param name="RxOversize">Frames longer than the MRU.</param>
    /// <param name="RxAborted">Frames ended by the abort sequence (RFC 1662 §4.3).</param>
    /// <param name="RxDiscardedBytes">Octets outside any frame (modem text, noise before a flag).</param>
    /// <param name="RxBytes">Every octet read from the port.</param>
    /// <param name="TxFrames">Frames handed to the port.</param>
    /// <param name="TxBytes">Octets handed to the port, framing included.</param>
    /// <param name="TxDropped">Data frames dropped because the transmit queue was full.</param>
    /// <param name="TxQueued">Frames waiting behind the write in flight.</param>
    /// <param name="RxControlDropped">Control frames (and frames of protocols not running) dropped beyond the link's inbound budget: a storm.</param>
    public sealed record FramingStats(
        long RxFrames,
        long RxBadFcs,
        long RxRunts,
        long RxOversize,
        long RxAborted,
        long RxDiscardedBytes,
        long RxBytes,
        long TxFrames,
        long TxBytes,
        long TxDropped,
        int TxQueued,
        long RxControlDropped = 0)
    {
        /// <summary>Received frames that were not handed on.</summary>
        public long RxErrors => RxBadFcs + RxRunts + RxOversize + RxAborted;
    }
}
