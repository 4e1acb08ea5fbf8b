using Akka.Actor;
using Akka.Event;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Framing;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Trace;
using static LinkActors.Actors.Framing.FramingProtocol;
using Port = LinkActors.Actors.Serial.SerialPort;

namespace LinkActors.Actors.Framing;

/// <summary>
/// Bytes to frames and back once the modem has connected (RFC 1662): the port's reader after chat.
/// Received bytes go through one <see cref="HdlcDecoder"/>, and each intact frame to the actor
/// routed for its protocol, else to the supervisor (which answers unknown ones with
/// Protocol-Reject). Frames to send are encoded at once and written one port write at a time,
/// paced by the port's Ack; frames that arrive meanwhile wait in a bounded queue.
/// The actor owns no OS resource but the optional record file.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The record file is disposed in PostStop, where an actor's resources end.")]
public sealed class HdlcFramingActor : ActorBase
{
    /// <summary>Frames that may wait behind the write in flight (data frames beyond are dropped).</summary>
    public const int MaxQueuedFrames = 64;

    /// <summary>Control frames that may wait behind the write in flight (beyond, even they are dropped: the line is stuck).</summary>
    public const int MaxQueuedControlFrames = 1024;

    /// <summary>Encoded bytes that may wait behind the write in flight.</summary>
    public const int MaxQueuedBytes = 256 * 1024;

    // Frames queued together go out in one port write of up to this much: a write per frame (or per
    // two full-size frames) makes the port's per-write cost, not the line, the limit on a fast line.
    // A larger write delays no frame on a slow one: the queue is first in, first out either way.
    private const int MaxWriteBytes = 64 * 1024;

    private readonly IActorRef _port;
    private readonly IActorRef _supervisor;
    private readonly string? _recordPath;
    private readonly ReadOnlyMemory<byte> _initialBytes;
    private readonly HdlcEncoder _encoder = new();
    private readonly HdlcDecoder _decoder = new(FramingSettings.DefaultMru);
    private readonly TransmitQueue _queue = new(MaxQueuedFrames, MaxQueuedBytes, MaxWriteBytes, MaxQueuedControlFrames);
    private readonly ReplyBudget _inbound = ReplyBudget.ForInboundControl();
    private long _rxControlDropped;
    private DateTimeOffset _lastDropLogged = DateTimeOffset.MinValue;

    /// <summary>A storm is told in the log at most this often.</summary>
    private static readonly TimeSpan DropLogInterval = TimeSpan.FromSeconds(10);
    private readonly Dictionary<ushort, IActorRef> _routes = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private FramingSettings _settings;
    private LineRecorder? _record;
    private byte[] _scratch = new byte[HdlcEncoder.MaxEncodedLength(FramingSettings.DefaultMru)];
    private PortWrite? _inFlight;
    private IActorRef? _activityListener;
    private bool _activityArmed;
    private bool _draining;
    private long _txFrames;
    private long _txBytes;
    private long _txDropped;

    public HdlcFramingActor(
        IActorRef port,
        FramingSettings settings,
        IActorRef supervisor,
        string? recordPath = null,
        ReadOnlyMemory<byte> initialBytes = default)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(supervisor);
        _port = port;
        _settings = settings;
        _supervisor = supervisor;
        _recordPath = recordPath;
        _initialBytes = initialBytes;
    }

    /// <param name="port">The serial port actor; this actor becomes its reader.</param>
    /// <param name="settings">Framing until LCP decides; normally <see cref="FramingSettings.Default"/>.</param>
    /// <param name="supervisor">Gets frames of unrouted protocols, and the port's carrier and close events.</param>
    /// <param name="recordPath">A pppd record file to append every raw chunk to; null for none.</param>
    /// <param name="initialBytes">What chat left unread after CONNECT: the first bytes of PPP.</param>
    public static Props Props(
        IActorRef port,
        FramingSettings settings,
        IActorRef supervisor,
        string? recordPath = null,
        ReadOnlyMemory<byte> initialBytes = default) =>
        Akka.Actor.Props.Create(() => new HdlcFramingActor(port, settings, supervisor, recordPath, initialBytes));

    private static DateTimeOffset Now => Context.System.Scheduler.Now;

    protected override void PreStart()
    {
        Apply(_settings);
        _record = _recordPath is null ? null : LineRecorder.Open(_recordPath, Now, _log);
        Context.Watch(_port);
        _port.Tell(new Port.SetReader(Self));
        if (!_initialBytes.IsEmpty)
        {
            OnReceived(_initialBytes.Span);
        }
    }

    protected override void PostStop()
    {
        var unsent = _queue.Clear();
        if (_inFlight is { } write)
        {
            unsent.InsertRange(0, write.Acks);
        }

        foreach (var (ack, sender) in unsent)
        {
            sender.Tell(new SendFailed(ack, "the framing actor stopped"));
        }

        _record?.Dispose();
    }

    protected override bool Receive(object message) => Idle(message);

    /// <summary>No write in flight, so nothing queued: a frame is written at once.</summary>
    private bool Idle(object message)
    {
        switch (message)
        {
            case SendFrame send:
                Trace(send);
                Write(PortWrite.Of(Encode(send)));
                return true;
            case PortAcked:
                // The Ack of a write whose failure was already handled.
                return true;
            case Drain:
                // Nothing in flight and nothing queued: every frame asked for is on the line.
                Context.Stop(Self);
                return true;
            default:
                return Common(message);
        }
    }

    /// <summary>One write is with the port; frames queue until its Ack comes.</summary>
    private Receive Writing(PortWrite write) => message =>
    {
        switch (message)
        {
            case SendFrame send:
                var control = PppProtocol.IsControl(send.Protocol);

                // Full by count already: spare the encoding of a frame that will be dropped.
                if (!control && _queue.Count >= MaxQueuedFrames)
                {
                    Drop(send);
                }
                else if (_queue.TryEnqueue(Encode(send), control))
                {
                    Trace(send);
                }
                else
                {
                    Drop(send);
                }

                return true;
            case PortAcked:
                foreach (var (ack, sender) in write.Acks)
                {
                    sender.Tell(new FrameSent(ack));
                }

                WriteNext();
                return true;
            case Port.CommandFailed { Command: Port.Write } failed:
                _log.Warning("the port refused a write of {Frames} frames: {Reason}", write.Frames, failed.Cause.Message);
                foreach (var (ack, sender) in write.Acks)
                {
                    sender.Tell(new SendFailed(ack, $"the port refused the write: {failed.Cause.Message}"));
                }

                WriteNext();
                return true;
            case Drain:
                _draining = true;
                return true;
            default:
                return Common(message);
        }
    };

    /// <summary>What every state handles alike.</summary>
    private bool Common(object message)
    {
        switch (message)
        {
            case Port.Received received:
                OnReceived(received.Data.Span);
                return true;
            case SetRoute route:
                _routes[route.Protocol] = route.Target;
                Context.Watch(route.Target);
                return true;
            case RemoveRoute route:
                _routes.Remove(route.Protocol);
                return true;
            case Configure configure:
                _log.Debug("framing {Settings}", configure.Settings);
                Apply(configure.Settings);
                return true;
            case WatchActivity watch:
                _activityListener = watch.Listener;
                _activityArmed = true;
                return true;
            case RearmActivity:
                _activityArmed = true;
                return true;
            case GetStats:
                Sender.Tell(Stats());
                return true;
            case Port.CarrierChanged:
                _supervisor.Forward(message);
                return true;
            case Port.DeviceVanished or Port.Closed:
                // The link is over; the supervisor decides what comes next, and pending senders learn now.
                _supervisor.Forward(message);
                Context.Stop(Self);
                return true;
            case Terminated terminated when terminated.ActorRef.Equals(_port):
                Context.Stop(Self);
                return true;
            case Terminated terminated:
                foreach (var protocol in _routes.Where(r => r.Value.Equals(terminated.ActorRef)).Select(r => r.Key).ToList())
                {
                    _routes.Remove(protocol);
                }

                return true;
            case Port.CommandFailed failed:
                _log.Warning("the port refused {Command}: {Reason}", failed.Command, failed.Cause.Message);
                return true;
            default:
                return false;
        }
    }

    private void Apply(FramingSettings settings)
    {
        _settings = settings;

        // RFC 1661 §6.1: even with a smaller MRU agreed, the full 1500 octets must still be received,
        // in case link synchronization is lost.
        _decoder.Mru = Math.Max(settings.Mru, FramingSettings.DefaultMru);
        _decoder.ReceiveAccm = settings.ReceiveAccm;
        _encoder.TransmitAccm = settings.TransmitAccm;
        _encoder.Acfc = settings.Acfc;
        _encoder.Pfc = settings.Pfc;
    }

    /// <summary>Encodes with the framing in force now, so a Configure applies from the next frame asked for.</summary>
    private QueuedFrame Encode(SendFrame send)
    {
        var information = send.Information.Span;
        var room = HdlcEncoder.MaxEncodedLength(information.Length);
        if (_scratch.Length < room)
        {
            _scratch = new byte[room];
        }

        var length = _encoder.Encode(send.Protocol, information, _scratch);
        return new QueuedFrame(_scratch.AsSpan(0, length).ToArray(), send.Ack, Sender);
    }

    private void Trace(SendFrame send)
    {
        if (_log.IsDebugEnabled)
        {
            _log.Debug("{Trace}", PppTrace.Format(sent: true, send.Protocol, send.Information.Span));
        }
    }

    private void Drop(SendFrame send)
    {
        _txDropped++;
        _log.Debug("transmit queue full: dropped a {Protocol} frame of {Length} bytes", PppProtocol.Name(send.Protocol), send.Information.Length);
        if (send.Ack is { } ack)
        {
            Sender.Tell(new SendFailed(ack, "transmit queue full"));
        }
    }

    private void Write(PortWrite write)
    {
        _inFlight = write;
        _txFrames += write.Frames;
        _txBytes += write.Bytes.Length;
        _record?.Sent(write.Bytes, Now);
        _port.Tell(new Port.Write(write.Bytes, PortAcked.Instance));
        Context.Become(Writing(write));
    }

    private void WriteNext()
    {
        if (_queue.TakeWrite() is { } next)
        {
            Write(next);
            return;
        }

        _inFlight = null;
        Context.Become(Idle);
        if (_draining)
        {
            Context.Stop(Self);
        }
    }

    private void OnReceived(ReadOnlySpan<byte> bytes)
    {
        _record?.Received(bytes, Now);
        _decoder.Decode(bytes, new FrameSink(this));
    }

    private void OnFrame(ushort protocol, ReadOnlySpan<byte> information)
    {
        // A storm of control frames (or of a protocol not running, which the supervisor answers with
        // Protocol-Reject) stops here, counted, so that no mailbox behind this actor grows without bound.
        var routed = _routes.GetValueOrDefault(protocol);
        if ((PppProtocol.IsControl(protocol) || routed is null) && !_inbound.TryTake(Now))
        {
            _rxControlDropped++;
            if (Now - _lastDropLogged >= DropLogInterval)
            {
                _lastDropLogged = Now;
                _log.Warning("the peer sends control frames faster than a link needs ({PerSecond} a second): {Dropped} dropped so far, the latest {Protocol}",
                    ReplyBudget.InboundControlPerSecond, _rxControlDropped, PppProtocol.Name(protocol));
            }

            return;
        }

        if (_log.IsDebugEnabled)
        {
            _log.Debug("{Trace}", PppTrace.Format(sent: false, protocol, information));
        }

        var target = routed ?? _supervisor;
        target.Tell(new FrameReceived(protocol, information.ToArray()), Self);
        if (_activityArmed)
        {
            _activityArmed = false;
            _activityListener!.Tell(LinkActivity.Instance, Self);
        }
    }

    private FramingStats Stats()
    {
        var rx = _decoder.Counters;
        return new FramingStats(
            rx.Frames, rx.BadFcs, rx.Runts, rx.Oversize, rx.Aborted, rx.DiscardedBytes, rx.Bytes,
            _txFrames, _txBytes, _txDropped, _queue.Count, _rxControlDropped);
    }

    private readonly struct FrameSink(HdlcFramingActor owner) : IHdlcFrameSink
    {
        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => owner.OnFrame(protocol, information);
    }

    /// <summary>The Ack of this actor's port writes; one is in flight at a time.</summary>
    private sealed class PortAcked
    {
        public static readonly PortAcked Instance = new();

        private PortAcked()
        {
        }

        public override string ToString() => "FramingPortAcked";
    }
}
