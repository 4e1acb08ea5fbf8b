using System.Globalization;
using System.Net;
using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;

namespace LinkActors.Actors.Watchdog;

/// <summary>
/// Sends an ICMP echo request to one target every interval through the link's network side and
/// listens there for the replies: each result is logged, published, and reported to the watchdog. Its source
/// address is the one IPCP gave the link, on a TUN interface too, so the reply comes back over the link.
/// A request not answered before the next one is due counts as unanswered.
/// </summary>
public sealed class PingProbeActor : ReceiveActor, IWithTimers
{
    private static readonly byte[] Payload = "linkactors watchdog probe"u8.ToArray();
    private readonly string _link;
    private readonly IActorRef _network;
    private readonly IPAddress _local;
    private readonly IPAddress _target;
    private readonly TimeSpan _interval;
    private readonly IActorRef? _reportTo;
    private readonly ushort _identifier;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ushort _sequence;
    private ushort? _outstanding;
    private DateTimeOffset _sentAt;

    public PingProbeActor(string link, IActorRef network, IPAddress local, IPAddress target, TimeSpan interval, IActorRef? reportTo)
    {
        _link = link;
        _network = network;
        _local = local;
        _target = target;
        _interval = interval;
        _reportTo = reportTo;
        _identifier = (ushort)Random.Shared.Next(1, ushort.MaxValue);

        Receive<SendNext>(_ => OnTick());
        Receive<NetworkProtocol.PacketReceived>(p =>
        {
            if (!Icmp.IsEchoReply(p.Packet.Span, _identifier, out var sequence, out var from) || !from.Equals(_target))
                return;
            if (_outstanding != sequence)
            {
                _log.Debug("{Link}: late reply from {Target} seq={Seq}", _link, _target, sequence);
                return;
            }
            _outstanding = null;
            var roundTrip = Context.System.Scheduler.Now - _sentAt;
            _log.Info("{Link}: ping {Target} seq={Seq} time={Ms} ms", _link, _target, sequence,
                roundTrip.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture));
            Context.System.EventStream.Publish(new LinkProtocol.PingResult(_link, _target, sequence, roundTrip));
            _reportTo?.Tell(new WatchdogProtocol.PingAnswered(sequence, roundTrip));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string link, IActorRef network, IPAddress local, IPAddress target, TimeSpan interval, IActorRef? reportTo) =>
        Akka.Actor.Props.Create(() => new PingProbeActor(link, network, local, target, interval, reportTo));

    protected override void PreStart()
    {
        // Only the replies to our own requests: on a TUN interface they then stay off the kernel's path.
        _network.Tell(new NetworkProtocol.Subscribe(Self, _identifier));
        _log.Info("{Link}: pinging {Target} every {Interval}", _link, _target, _interval);
        Self.Tell(SendNext.Instance);
        Timers.StartPeriodicTimer(SendNext.Instance, SendNext.Instance, _interval);
    }

    private void OnTick()
    {
        if (_outstanding is { } lost)
        {
            _log.Info("{Link}: ping {Target} seq={Seq} no reply", _link, _target, lost);
            Context.System.EventStream.Publish(new LinkProtocol.PingResult(_link, _target, lost, null));
            _reportTo?.Tell(new WatchdogProtocol.PingUnanswered(lost));
        }
        _sequence++;
        _outstanding = _sequence;
        _sentAt = Context.System.Scheduler.Now;
        _network.Tell(new NetworkProtocol.SendPacket(Icmp.BuildEchoRequest(_local, _target, _identifier, _sequence, Payload)));
    }

    private sealed record SendNext
    {
        public static SendNext Instance { get; } = new();
    }
}
