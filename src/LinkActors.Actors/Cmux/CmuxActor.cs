using System.Buffers;
using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Chat;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Link;
using LinkActors.Actors.Serial;
using LinkActors.Ppp.Chat;
using LinkActors.Ppp.Cmux;
using Wire = LinkActors.Ppp.Cmux.Cmux;

namespace LinkActors.Actors.Cmux;

/// <summary>
/// The modem's one UART multiplexed with 3GPP TS 27.010 (basic option). It stands where the port actor
/// stands and speaks the port's protocol, so the link does not know it is there: it opens the real port
/// (its child), sends AT+CMUX by a chat step, opens DLCI 0, then DLCI 1 (AT, for the modem monitor) and
/// DLCI 2 (data: the connect script and PPP), and from then on it is DLCI 2 to whoever holds it.
/// A modem that refuses AT+CMUX leaves it a plain pass-through. MSC's DV bit on the data channel is the
/// carrier (loss of it is loss of carrier); its FC bit, and FCoff/FCon, hold our writes.
/// </summary>
public sealed class CmuxActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    public const int AtDlci = 1;
    public const int DataDlci = 2;
    private const int MaxHeldWrites = 64;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ChannelOpenTimeout = TimeSpan.FromSeconds(5);
    private static readonly V24Signals OurSignals = V24Signals.ReadyToCommunicate | V24Signals.ReadyToReceive | V24Signals.DataValid;

    private readonly LinkSettings _settings;
    private readonly Func<IActorRef, Props> _lineProps;
    private readonly IActorRef _owner;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<int, IActorRef> _readers = [];
    private readonly HashSet<int> _flowStopped = [];
    private readonly Queue<(int Dlci, SerialPort.Write Write, IActorRef Sender)> _held = new();
    private readonly HashSet<int> _opened = [];
    private readonly Dictionary<int, ArrayBufferWriter<byte>> _pending = [];
    private readonly FrameSink _sink;
    private CmuxDecoder? _decoder;
    private IActorRef _line = ActorRefs.Nobody;
    private IActorRef? _atChannel;
    private IActorRef? _monitor;
    private string _device = "";
    private bool _allStopped;
    private bool? _carrier;

    public CmuxActor(LinkSettings settings, Func<IActorRef, Props> lineProps, IActorRef owner)
    {
        _settings = settings;
        _lineProps = lineProps;
        _owner = owner;
        _sink = new FrameSink(this);
        Opening();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    private string Name => _settings.Name;

    /// <param name="lineProps">The real port, given its owner (this actor).</param>
    public static Props Props(LinkSettings settings, Func<IActorRef, Props> lineProps, IActorRef owner) =>
        Akka.Actor.Props.Create(() => new CmuxActor(settings, lineProps, owner));

    protected override void PreStart()
    {
        _line = Context.ActorOf(_lineProps(Self), "line");
        Context.Watch(_line);
        Context.System.EventStream.Subscribe(Self, typeof(LinkProtocol.PhaseChanged));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    /// <summary>The real port opens; then AT+CMUX as a chat step on it.</summary>
    private void Opening()
    {
        Receive<SerialPort.Opened>(opened =>
        {
            _device = opened.Device;
            var script = ChatScript.FromArguments(["ABORT", "ERROR", "", _settings.Modem.CmuxCommand, "OK"], new ChatOptions { Timeout = CommandTimeout });
            Context.ActorOf(ChatActor.Props(_line, script, "cmux", Self), "cmux-command");
            Become(Commanding);
        });
        CommonLine();
    }

    private void Commanding()
    {
        Receive<ChatProtocol.ChatCompleted>(c =>
        {
            if (c.Outcome.Kind == ChatOutcomeKind.Success)
                StartMux(c.Unread);
            else
                RunPlain($"the modem did not accept {_settings.Modem.CmuxCommand} ({c.Outcome})" + (_settings.Modem.N1 > 127
                    ? $"; a modem that multiplexes only smaller frames refuses N1 {_settings.Modem.N1}: try modem.cmux-n1 = 127 with the same N1 in modem.cmux-command"
                    : ""));
        });
        CommonLine();
    }

    private void StartMux(ReadOnlyMemory<byte> unread)
    {
        _log.Info("{Link}: the modem accepted {Command}; opening the multiplexer channels", Name, _settings.Modem.CmuxCommand);
        _decoder = new CmuxDecoder(_settings.Modem.N1);
        _line.Tell(new SerialPort.SetReader(Self));
        // TS 27.010 §5.3.1, §5.4.1: the control channel first, then the others.
        SendFrame(Wire.ControlDlci, CmuxFrameType.Sabm, true);
        Timers.StartSingleTimer(nameof(ChannelOpenTimeout), ChannelsNotOpened.Instance, ChannelOpenTimeout);
        Become(OpeningChannels);
        if (!unread.IsEmpty)
            Decode(unread.Span);
    }

    private void OpeningChannels()
    {
        Receive<SerialPort.Received>(r => Decode(r.Data.Span));
        Receive<ChannelsNotOpened>(_ =>
        {
            var reason = $"the modem accepted {_settings.Modem.CmuxCommand} but did not open the multiplexer channels within {ChannelOpenTimeout.TotalSeconds:0} s";
            _log.Warning("{Link}: {Reason}", Name, reason);
            _owner.Tell(new SerialPort.OpenFailed(_device, new IOException(reason)));
            _line.Tell(SerialPort.Close.Instance);
            Become(Closing);
        });
        CommonLine();
    }

    private void Closing()
    {
        Receive<SerialPort.Event>(_ => { });
        Receive<Terminated>(t => t.ActorRef.Equals(_line), _ => Context.Stop(Self));
        ReceiveAny(_ => { });
    }

    /// <summary>Every channel is open: DLCI 2 is the port from now on.</summary>
    private void Multiplexed()
    {
        Timers.Cancel(nameof(ChannelOpenTimeout));
        _atChannel = Context.ActorOf(CmuxChannelActor.Props(AtDlci, Self), "at-channel");
        // §5.4.6.3.7: tell the modem our side of each channel is ready (some modems hold data until then).
        SendControl(CmuxControlMessage.ModemStatus(AtDlci, OurSignals, isCommand: true));
        SendControl(CmuxControlMessage.ModemStatus(DataDlci, OurSignals, isCommand: true));
        _log.Info("{Link}: multiplexer up on {Device}: AT on channel {At}, data on channel {Data}, N1 {N1}", Name, _device, AtDlci, DataDlci, _settings.Modem.N1);
        var multiplexed = new CmuxProtocol.Multiplexed(Name, _atChannel, _settings.Modem.N1);
        Context.System.EventStream.Publish(multiplexed);
        // The link asks the modem on the AT channel itself after a dead data path (issue 19).
        _owner.Tell(multiplexed);
        _owner.Tell(new SerialPort.Opened(_device));
        Become(Muxed);
        Stash.UnstashAll();
    }

    private void Muxed()
    {
        Receive<SerialPort.Received>(r => Decode(r.Data.Span));
        Receive<SerialPort.SetReader>(s => _readers[DataDlci] = s.Reader);
        Receive<SerialPort.Write>(w => SendData(DataDlci, w, Sender));
        Receive<CmuxProtocol.ChannelCommand>(c => c.Command is SerialPort.SetReader, c => _readers[c.Dlci] = ((SerialPort.SetReader)c.Command).Reader);
        Receive<CmuxProtocol.ChannelCommand>(c => c.Command is SerialPort.Write, c => SendData(c.Dlci, (SerialPort.Write)c.Command, Sender));
        Receive<CmuxProtocol.ChannelCommand>(c => Sender.Tell(new SerialPort.CommandFailed(c.Command, new InvalidOperationException("the AT channel is closed with the multiplexer"))));
        Receive<SerialPort.HangUp>(h => CloseDown(h));
        Receive<SerialPort.Close>(c => CloseDown(c));
        Receive<LinkProtocol.PhaseChanged>(p => p.Link == Name, OnPhase);
        CommonLine();
    }

    /// <summary>AT+CMUX refused: forward everything both ways, as if this actor were not there.</summary>
    private void RunPlain(string reason)
    {
        _log.Warning("{Link}: {Reason}; the link runs without the multiplexer (no modem monitor while PPP is up)", Name, reason);
        Context.System.EventStream.Publish(new CmuxProtocol.NotMultiplexed(Name, reason));
        _owner.Tell(new SerialPort.Opened(_device));
        Become(() =>
        {
            Receive<SerialPort.Command>(c => _line.Forward(c));
            CommonLine();
        });
        Stash.UnstashAll();
    }

    /// <summary>What the real port says about the line, in every state; commands wait until a channel is ready.</summary>
    private void CommonLine()
    {
        Receive<SerialPort.OpenFailed>(f =>
        {
            _owner.Tell(f);
            Context.Stop(Self);
        });
        Receive<SerialPort.DeviceVanished>(v =>
        {
            _owner.Tell(v);
            Context.Stop(Self);
        });
        Receive<SerialPort.Closed>(c =>
        {
            _owner.Tell(c);
            Context.Stop(Self);
        });
        Receive<SerialPort.CommandFailed>(f => _owner.Tell(f));
        Receive<SerialPort.Event>(e => _owner.Tell(e));
        Receive<SerialPort.Command>(_ => Stash.Stash());
        Receive<CmuxProtocol.ChannelCommand>(_ => Stash.Stash());
        Receive<Terminated>(t => t.ActorRef.Equals(_line), _ => Context.Stop(Self));
        Receive<LinkProtocol.PhaseChanged>(_ => { });
        Receive<ChatProtocol.ModemReported>(_ => { });
    }

    private void OnPhase(LinkProtocol.PhaseChanged changed)
    {
        if (changed.Phase == LinkProtocol.Phase.Network && _monitor is null && _atChannel is not null)
        {
            _monitor = Context.ActorOf(ModemMonitorActor.Props(Name, _atChannel, _settings.Modem.PollInterval, _owner), "monitor");
        }
        else if (changed.Phase is LinkProtocol.Phase.Terminate or LinkProtocol.Phase.Disconnect or LinkProtocol.Phase.Dead && _monitor is not null)
        {
            Context.Stop(_monitor);
            _monitor = null;
        }
    }

    /// <summary>§5.8.2: CLD tells the modem to leave multiplexer mode; then the real port hangs up or closes.</summary>
    private void CloseDown(SerialPort.Command command)
    {
        if (_monitor is not null)
            Context.Stop(_monitor);
        _monitor = null;
        SendControl(CmuxControlMessage.CloseDown(isCommand: true));
        _line.Forward(command);
        Become(() =>
        {
            Receive<SerialPort.HangUp>(h => _line.Forward(h));
            Receive<SerialPort.Close>(c => _line.Forward(c));
            Receive<SerialPort.Received>(_ => { });
            Receive<SerialPort.Command>(c => Sender.Tell(new SerialPort.CommandFailed(c, new IOException($"{_device} is closing."))));
            Receive<CmuxProtocol.ChannelCommand>(_ => { });
            CommonLine();
        });
    }

    private void SendData(int dlci, SerialPort.Write write, IActorRef sender)
    {
        if (_allStopped || _flowStopped.Contains(dlci) || _held.Count > 0)
        {
            if (_held.Count >= MaxHeldWrites)
            {
                sender.Tell(new SerialPort.CommandFailed(write, new InvalidOperationException(
                    $"the modem holds channel {dlci} (flow control) and {MaxHeldWrites} writes already wait")));
                return;
            }
            _held.Enqueue((dlci, write, sender));
            return;
        }
        WriteFrames(dlci, write, sender);
    }

    /// <summary>
    /// The write as UIH frames in one port write, sent in the writer's name: the port acks (or fails) to
    /// the writer itself, one message fewer per write than a round trip through the mux.
    /// </summary>
    private void WriteFrames(int dlci, SerialPort.Write write, IActorRef sender) =>
        _line.Tell(new SerialPort.Write(CmuxEncoder.EncodeData(dlci, true, write.Data.Span, _settings.Modem.N1), write.Ack), sender);

    private void ReleaseHeld()
    {
        while (_held.TryPeek(out var next) && !_allStopped && !_flowStopped.Contains(next.Dlci))
        {
            _held.Dequeue();
            WriteFrames(next.Dlci, next.Write, next.Sender);
        }
    }

    /// <summary>
    /// Decodes a read; the payloads of one channel found in it are handed on as one <see cref="SerialPort.Received"/>
    /// (a PPP frame spans many UIH frames of N1 octets: one message each would cost more than the mux itself).
    /// </summary>
    private void Decode(ReadOnlySpan<byte> data)
    {
        _decoder!.Decode(data, _sink);
        DeliverPending();
    }

    private void DeliverPending()
    {
        foreach (var (dlci, pending) in _pending)
        {
            if (pending.WrittenCount == 0)
                continue;
            if (_readers.TryGetValue(dlci, out var reader))
                reader.Tell(new SerialPort.Received(pending.WrittenSpan.ToArray()));
            pending.ResetWrittenCount();
        }
    }

    private void OnFrame(int dlci, CmuxFrameType type, ReadOnlySpan<byte> information)
    {
        switch (type)
        {
            case CmuxFrameType.Ua when !_opened.Contains(dlci):
                _opened.Add(dlci);
                if (dlci == Wire.ControlDlci)
                {
                    SendFrame(AtDlci, CmuxFrameType.Sabm, true);
                    SendFrame(DataDlci, CmuxFrameType.Sabm, true);
                }
                else if (_opened.Contains(AtDlci) && _opened.Contains(DataDlci))
                {
                    Multiplexed();
                }
                break;
            case CmuxFrameType.Dm when !_opened.Contains(dlci) && _decoder is not null:
                _log.Warning("{Link}: the modem refused to open multiplexer channel {Dlci}", Name, dlci);
                Self.Tell(ChannelsNotOpened.Instance);
                break;
            case CmuxFrameType.Disc or CmuxFrameType.Dm when _opened.Contains(dlci):
                // §5.3.4: the modem closed a channel under us.
                if (type == CmuxFrameType.Disc)
                    SendFrame(dlci, CmuxFrameType.Ua, false);
                _opened.Remove(dlci);
                if (dlci is Wire.ControlDlci or DataDlci)
                    LineGone($"the modem closed multiplexer channel {dlci}");
                break;
            case CmuxFrameType.Sabm:
                // We are the initiator; the modem opening channels of its own is not supported (§5.4.1).
                SendFrame(dlci, CmuxFrameType.Dm, false);
                break;
            case CmuxFrameType.Uih or CmuxFrameType.Ui when dlci == Wire.ControlDlci:
                // Data that came before the control message reaches its reader first (a DV drop after the last PPP frame).
                DeliverPending();
                OnControl(information);
                break;
            case CmuxFrameType.Uih or CmuxFrameType.Ui when _opened.Contains(dlci):
                if (!_pending.TryGetValue(dlci, out var pending))
                    _pending[dlci] = pending = new ArrayBufferWriter<byte>();
                pending.Write(information);
                break;
        }
    }

    private void OnControl(ReadOnlySpan<byte> information)
    {
        while (CmuxControlMessage.TryDecode(information, out var message, out int consumed))
        {
            information = information[consumed..];
            if (!message!.IsCommand)
                continue;   // answers to our MSC, CLD, Test
            switch (message.Type)
            {
                case CmuxMessageType.Msc when message.TryGetModemStatus(out int dlci, out var signals):
                    SendControl(message with { IsCommand = false });
                    OnModemStatus(dlci, signals);
                    break;
                case CmuxMessageType.Test or CmuxMessageType.Psc when message.RawType == (byte)message.Type:
                    SendControl(message with { IsCommand = false });
                    break;
                case CmuxMessageType.FcOff when message.RawType == (byte)message.Type:
                    _allStopped = true;
                    SendControl(message with { IsCommand = false });
                    break;
                case CmuxMessageType.FcOn when message.RawType == (byte)message.Type:
                    _allStopped = false;
                    SendControl(message with { IsCommand = false });
                    ReleaseHeld();
                    break;
                case CmuxMessageType.Cld when message.RawType == (byte)message.Type:
                    SendControl(message with { IsCommand = false });
                    LineGone("the modem closed the multiplexer (CLD)");
                    return;
                default:
                    SendControl(CmuxControlMessage.NotSupported((byte)(message.RawType | Wire.CommandResponseBit)));
                    break;
            }
        }
    }

    private void OnModemStatus(int dlci, V24Signals signals)
    {
        if ((signals & V24Signals.FlowControl) != 0)
        {
            _flowStopped.Add(dlci);
        }
        else if (_flowStopped.Remove(dlci))
        {
            ReleaseHeld();
        }
        if (dlci != DataDlci)
            return;
        bool carrier = (signals & V24Signals.DataValid) != 0;
        if (_carrier == true && !carrier)
        {
            _log.Info("{Link}: carrier on multiplexer channel {Dlci}: lost (MSC DV off)", Name, dlci);
            _owner.Tell(new SerialPort.CarrierChanged(false));
        }
        _carrier = carrier;
    }

    private void LineGone(string reason)
    {
        _log.Warning("{Link}: {Reason}", Name, reason);
        _owner.Tell(new SerialPort.DeviceVanished(reason));
        _line.Tell(SerialPort.Close.Instance);
        Become(Closing);
    }

    private void SendFrame(int dlci, CmuxFrameType type, bool command) =>
        // §5.2.1.2 table 1: we are the initiator: C/R set on our commands, clear on our responses.
        _line.Tell(new SerialPort.Write(CmuxEncoder.Encode(dlci, command, type, true, [])));

    private void SendControl(CmuxControlMessage message) =>
        _line.Tell(new SerialPort.Write(CmuxEncoder.Encode(Wire.ControlDlci, true, CmuxFrameType.Uih, false, message.Encode())));

    private sealed record ChannelsNotOpened
    {
        public static ChannelsNotOpened Instance { get; } = new();
    }

    private sealed class FrameSink(CmuxActor actor) : ICmuxFrameSink
    {
        public void OnFrame(int dlci, bool commandResponse, CmuxFrameType type, bool pollFinal, ReadOnlySpan<byte> information) =>
            actor.OnFrame(dlci, type, information);
    }
}
