using Akka.Actor;
using Port = LinkActors.Actors.Serial.SerialPort;

namespace LinkActors.Actors.Link;

/// <summary>
/// Stands in for the port in front of the framing actor, passing everything through, to hear a modem
/// say NO CARRIER in the middle of PPP: a pty or a line run with `local` has no DCD to drop, and the
/// modem's text is all there is. The words count only when no PPP stream follows them (the same
/// octets may sit inside a frame's payload): two HDLC flags within the quiet time and it was data.
/// </summary>
public sealed class LineTap : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private static readonly byte[] NoCarrierText = "\r\nNO CARRIER\r\n"u8.ToArray();
    private const byte Flag = 0x7E;
    private readonly IActorRef _port;
    private readonly IActorRef _supervisor;
    private IActorRef? _reader;
    private int _matched;
    private int _flagsSinceText = -1;

    public LineTap(IActorRef port, IActorRef supervisor)
    {
        _port = port;
        _supervisor = supervisor;
        Receive<Port.SetReader>(s =>
        {
            _reader = s.Reader;
            _port.Tell(new Port.SetReader(Self));
        });
        Receive<Port.Received>(r =>
        {
            Scan(r.Data.Span);
            _reader?.Tell(r);
        });
        Receive<QuietPassed>(_ =>
        {
            if (_flagsSinceText is >= 0 and < 2)
                _supervisor.Tell(NoCarrierHeard.Instance);
            _flagsSinceText = -1;
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_port), _ => Context.Stop(Self));
        ReceiveAny(m => _port.Forward(m));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef port, IActorRef supervisor) => Akka.Actor.Props.Create(() => new LineTap(port, supervisor));

    protected override void PreStart() => Context.Watch(_port);

    private void Scan(ReadOnlySpan<byte> data)
    {
        foreach (byte octet in data)
        {
            if (octet == Flag && _flagsSinceText >= 0)
                _flagsSinceText++;
            if (octet == NoCarrierText[_matched])
            {
                _matched++;
                if (_matched < NoCarrierText.Length)
                    continue;
                _matched = 0;
                _flagsSinceText = 0;
                Timers.StartSingleTimer(QuietPassed.Instance, QuietPassed.Instance, Quiet);
            }
            else
            {
                _matched = octet == NoCarrierText[0] ? 1 : 0;
            }
        }
    }

    /// <summary>To the supervisor: the modem said NO CARRIER and the PPP stream stopped.</summary>
    public sealed record NoCarrierHeard
    {
        public static NoCarrierHeard Instance { get; } = new();
    }

    private sealed record QuietPassed
    {
        public static QuietPassed Instance { get; } = new();
    }
}
