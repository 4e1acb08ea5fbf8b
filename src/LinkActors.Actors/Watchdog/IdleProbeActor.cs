using System.Net;
using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Network;

namespace LinkActors.Actors.Watchdog;

/// <summary>
/// The idle-link probe of one watch: when the watchdog asks (<see cref="WatchdogProtocol.Probe"/>), sends one
/// probe of its <see cref="ProbePlan"/> through the link's own network side, which puts it straight into PPP
/// with the link's own source address, so it cannot leave by any other route; tries again once, and tells
/// the watchdog whether the path answered and how many bytes that cost.
/// </summary>
public sealed class IdleProbeActor : ReceiveActor, IWithTimers
{
    private readonly string _link;
    private readonly IActorRef _network;
    private readonly IPAddress _local;
    private readonly ProbePlan _plan;
    private readonly IActorRef _reportTo;
    private readonly ushort _tag;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ushort _sequence;
    private int _attempt;
    private bool _probing;

    public IdleProbeActor(string link, IActorRef network, IPAddress local, ProbePlan plan, IActorRef reportTo)
    {
        _link = link;
        _network = network;
        _local = local;
        _plan = plan;
        _reportTo = reportTo;
        // The ICMP identifier, or the UDP source port (from the dynamic range, RFC 6335 §6) of the DNS query.
        _tag = plan.Kind == ProbeKind.Dns ? (ushort)Random.Shared.Next(49152, 65536) : (ushort)Random.Shared.Next(1, ushort.MaxValue);

        Receive<WatchdogProtocol.Probe>(_ =>
        {
            if (_probing)
                return;
            _probing = true;
            _attempt = 0;
            SendAttempt();
        });
        Receive<AttemptTimedOut>(t =>
        {
            if (!_probing || t.Sequence != _sequence)
                return;
            if (_attempt < ProbePlan.Attempts)
            {
                _log.Info("{Link}: probe: no answer to the {Probe} within {Timeout}; trying again", _link, Describe(), ProbePlan.AttemptTimeout);
                SendAttempt();
                return;
            }
            _probing = false;
            _reportTo.Tell(new WatchdogProtocol.ProbeUnanswered(Describe(), _attempt));
        });
        Receive<NetworkProtocol.PacketReceived>(p =>
        {
            if (!_probing || !IsAnswer(p.Packet.Span))
                return;
            _probing = false;
            Timers.Cancel(AttemptTimedOut.Key);
            _reportTo.Tell(new WatchdogProtocol.ProbeAnswered(Describe(), p.Packet.Length + ProbePlan.FramingOverhead));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string link, IActorRef network, IPAddress local, ProbePlan plan, IActorRef reportTo) =>
        Akka.Actor.Props.Create(() => new IdleProbeActor(link, network, local, plan, reportTo));

    protected override void PreStart() =>
        // Only the answers to our own probes, and they stay off the host's path (it never asked).
        _network.Tell(_plan.Kind == ProbeKind.Dns ? new NetworkProtocol.Subscribe(Self, UdpPort: _tag) : new NetworkProtocol.Subscribe(Self, _tag));

    private string Describe() => $"{(_plan.Kind == ProbeKind.Dns ? "DNS query" : "ICMP echo")} to {_plan.Target}";

    private bool IsAnswer(ReadOnlySpan<byte> packet) =>
        _plan.Kind == ProbeKind.Dns
            ? DnsProbePacket.IsAnswer(packet, _sequence)
            : Icmp.IsEchoReply(packet, _tag, out var sequence, out var from) && sequence == _sequence && from.Equals(_plan.Target);

    private void SendAttempt()
    {
        _attempt++;
        _sequence++;
        byte[] packet = _plan.Kind == ProbeKind.Dns
            ? DnsProbePacket.Build(_local, _plan.Target, _tag, _sequence)
            : Icmp.BuildEchoRequest(_local, _plan.Target, _tag, _sequence, ProbePlan.IcmpPayload);
        _network.Tell(new NetworkProtocol.SendPacket(packet));
        _reportTo.Tell(new WatchdogProtocol.ProbeSent(Describe(), packet.Length + ProbePlan.FramingOverhead));
        Timers.StartSingleTimer(AttemptTimedOut.Key, new AttemptTimedOut(_sequence), ProbePlan.AttemptTimeout);
    }

    private sealed record AttemptTimedOut(ushort Sequence)
    {
        public static readonly object Key = new();
    }
}
