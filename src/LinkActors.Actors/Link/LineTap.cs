using Akka.Actor;
using Port = LinkActors.Actors.Serial.SerialPort;

namespace LinkActors.Actors.Link;

/// <summary>
/// Stands in for the port in front of the framing actor, passing everything through, to hear a modem
/// say NO CARRIER, or RDY after it restarted, in the middle of PPP: a pty or a line run with `local`
/// has no DCD to drop, and the modem's text is all there is. The words count only when no PPP stream
/// follows them (the same octets may sit inside a frame's payload): two HDLC flags within the quiet
/// time and it was data. RDY is also passed on at once as a hint: a restarted modem is back in command
/// mode and echoes what we send, flags included, so the quiet rule may never hold for it.
/// From NO CARRIER until the quiet time says whether it was the modem's, our frames are held: a modem
/// back in command mode takes them as the start of a command line, and the first AT command of the
/// next dial (the registration query) is lost in it. Data following (two flags) lets them go on in
/// order; a confirmed NO CARRIER drops them (acknowledged, so the framing does not wait for them), and
/// nothing more is written as data.
/// </summary>
public sealed class LineTap : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private static readonly byte[][] Texts = ["\r\nNO CARRIER\r\n"u8.ToArray(), "\r\nRDY\r\n"u8.ToArray()];
    private const int NoCarrier = 0, Ready = 1;
    private const byte Flag = 0x7E;
    private readonly IActorRef _port;
    private readonly IActorRef _supervisor;
    private readonly int[] _matched = new int[Texts.Length];
    private IActorRef? _reader;
    private int _flagsSinceText = -1;
    private int _heard = -1;
    private readonly List<(Port.Write Write, IActorRef Sender)> _held = [];
    private bool _modemInCommandMode;

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
            if (_flagsSinceText >= 2)
                Release();
        });
        Receive<Port.Write>(w =>
        {
            if (_modemInCommandMode)
            {
                Done(w, Sender);
                return;
            }
            if (_heard == NoCarrier && _flagsSinceText is >= 0 and < 2)
                _held.Add((w, Sender));
            else
                _port.Forward(w);
        });
        Receive<QuietPassed>(_ =>
        {
            if (_flagsSinceText is >= 0 and < 2)
            {
                _supervisor.Tell(_heard == NoCarrier ? NoCarrierHeard.Instance : new ModemRestartHeard(Confirmed: true));
                if (_heard == NoCarrier)
                {
                    _modemInCommandMode = true;
                    foreach (var (write, sender) in _held)
                        Done(write, sender);
                    _held.Clear();
                }
            }
            _flagsSinceText = -1;
            Release();
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_port), _ => Context.Stop(Self));
        ReceiveAny(m => _port.Forward(m));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef port, IActorRef supervisor) => Akka.Actor.Props.Create(() => new LineTap(port, supervisor));

    protected override void PreStart() => Context.Watch(_port);

    /// <summary>
    /// A frame left out on purpose counts as written: the framing finishes its last writes at once instead
    /// of holding the hang-up for its drain timeout.
    /// </summary>
    private static void Done(Port.Write write, IActorRef sender)
    {
        if (write.Ack is { } ack)
            sender.Tell(ack);
    }

    /// <summary>The held frames go on to the modem, in the order they came.</summary>
    private void Release()
    {
        foreach (var (write, sender) in _held)
            _port.Tell(write, sender);
        _held.Clear();
    }

    private void Scan(ReadOnlySpan<byte> data)
    {
        foreach (byte octet in data)
        {
            if (octet == Flag && _flagsSinceText >= 0)
                _flagsSinceText++;
            for (int t = 0; t < Texts.Length; t++)
            {
                var text = Texts[t];
                if (octet != text[_matched[t]])
                {
                    _matched[t] = octet == text[0] ? 1 : 0;
                    continue;
                }
                if (++_matched[t] < text.Length)
                    continue;
                _matched[t] = 0;
                _heard = t;
                _flagsSinceText = 0;
                Timers.StartSingleTimer(QuietPassed.Instance, QuietPassed.Instance, Quiet);
                if (t == Ready)
                    _supervisor.Tell(new ModemRestartHeard(Confirmed: false));
            }
        }
    }

    /// <summary>To the supervisor: the modem said NO CARRIER and the PPP stream stopped.</summary>
    public sealed record NoCarrierHeard
    {
        public static NoCarrierHeard Instance { get; } = new();
    }

    /// <summary>
    /// To the supervisor: the modem said RDY, its power-up line. <paramref name="Confirmed"/>: no PPP
    /// stream followed it; otherwise a hint only (the words may have been payload).
    /// </summary>
    public sealed record ModemRestartHeard(bool Confirmed);

    private sealed record QuietPassed
    {
        public static QuietPassed Instance { get; } = new();
    }
}
