using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Automaton;

/// <summary>
/// The RFC 1661 option negotiation automaton for one control protocol (LCP, IPCP, IPv6CP, ...),
/// driven by <see cref="TransitionTable"/>; the protocol's option logic comes from its
/// <see cref="IControlPolicy"/>. Pure: every call is one event, and returns what the owner must do
/// (send, start or stop the restart timer, tell the layers above and below). Time comes in as
/// <see cref="Timeout"/> calls. Not thread-safe: one owner (an actor) calls it.
/// </summary>
public sealed partial class ControlEngine
{
    /// <summary>RFC 1661 §6.1: the MRU every implementation must accept until another is negotiated.</summary>
    public const int DefaultMru = 1500;

    /// <summary>Room for a header and a Magic-Number; anything smaller could not carry an Echo.</summary>
    public const int MinimumMru = ControlPacket.HeaderLength + 4;

    private readonly IControlPolicy _policy;
    private readonly ILcpPolicy? _lcp;
    private readonly TableOptions _options;
    private List<EngineOutput> _outputs = [];

    private int _restartCounter;
    private int _requestsSinceIrc;
    private byte _lastId;
    private byte _lastEchoId;
    private int _naksInARow;
    private int _peerMru = DefaultMru;

    // The outstanding Configure-Request: replies are matched against it (RFC 1661 §5.2-5.4).
    private byte _requestId;
    private byte[] _requestOptions = [];
    private List<RawOption> _requestOptionList = [];
    private bool _awaitingReply;

    // Why the layer is terminating, for the This-Layer-Finished that ends Closing or Stopping.
    private string _terminateReason;
    private bool _terminateIsFailure;
    private bool _terminateByPeer;

    public ControlEngine(IControlPolicy policy, ControlEngineSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Settings = settings ?? ControlEngineSettings.Default;
        Settings.Validate();
        _policy = policy;
        _lcp = policy as ILcpPolicy;
        _options = Settings.TableOptions;
        _terminateReason = $"{policy.Name}: closed";
    }

    public IControlPolicy Policy => _policy;
    public ControlEngineSettings Settings { get; }
    public ushort Protocol => _policy.Protocol;
    public string Name => _policy.Name;

    /// <summary>True when the policy is an <see cref="ILcpPolicy"/>: codes 8-11 are then understood.</summary>
    public bool IsLcp => _lcp is not null;

    public ControlState State { get; private set; } = ControlState.Initial;
    public ControlCounters Counters { get; } = new();

    /// <summary>Why the layer last finished or gave up other than by our own Close; null until it has.</summary>
    public string? LastFailureReason { get; private set; }

    /// <summary>The cell the last call went through; null when that call was discarded before it became an event.</summary>
    public ControlStep? LastStep { get; private set; }

    /// <summary>The Restart counter (RFC 1661 §4.6): transmissions left before a timeout is TO-.</summary>
    public int RestartCounter => _restartCounter;

    /// <summary>
    /// The peer's MRU as LCP negotiated it; Code-Reject, Echo-Reply and Terminate-Request data are
    /// truncated to fit (RFC 1661 §5.6). The owner updates it when LCP opens.
    /// </summary>
    public int PeerMru
    {
        get => _peerMru;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinimumMru);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, ushort.MaxValue);
            _peerMru = value;
        }
    }

    /// <summary>Sees every packet sent and received, e.g. for a pppd-style trace or a record file.</summary>
    public ControlPacketTrace? Trace { get; set; }

    /// <summary>Up: the lower layer can carry packets.</summary>
    public IReadOnlyList<EngineOutput> Up() => Run(ControlEvent.Up, default);

    /// <summary>Down: the lower layer can no longer carry packets.</summary>
    public IReadOnlyList<EngineOutput> Down() => Run(ControlEvent.Down, default);

    /// <summary>Open: the layer is administratively allowed to come up.</summary>
    public IReadOnlyList<EngineOutput> Open() => Run(ControlEvent.Open, default);

    /// <summary>Close: the layer must go down; <paramref name="reason"/> goes into the Terminate-Request and This-Layer-Finished.</summary>
    public IReadOnlyList<EngineOutput> Close(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        _terminateReason = LayerReason.Of(Name, reason);
        _terminateIsFailure = false;
        _terminateByPeer = false;
        return Run(ControlEvent.Close, new Context(Reason: _terminateReason, ReasonIsFailure: false));
    }

    /// <summary>The restart timer fired: TO+ while the Restart counter is above zero, else TO- (RFC 1661 §4.3).</summary>
    public IReadOnlyList<EngineOutput> Timeout()
    {
        Begin();
        Counters.Timeouts++;
        var @event = _restartCounter > 0 ? ControlEvent.TimeoutPlus : ControlEvent.TimeoutMinus;
        var context = default(Context);
        if (@event == ControlEvent.TimeoutMinus && IsNegotiating(State))
        {
            string reason = $"{Name}: no response to {_requestsSinceIrc} Configure-Requests";
            if (_options.HasFlag(TableOptions.Passive))
                LastFailureReason = $"{reason}; waiting for the peer";
            context = new Context(Reason: reason, ReasonIsFailure: true);
        }
        Fire(@event, context);
        return End();
    }

    /// <summary>
    /// LCP received a Protocol-Reject naming this protocol (RFC 1661 §5.7): RXJ-, since a protocol
    /// the peer does not speak cannot be negotiated.
    /// </summary>
    public IReadOnlyList<EngineOutput> ProtocolRejected() =>
        Run(ControlEvent.RxjMinus, new Context(Reason: $"{Name}: rejected by the peer (Protocol-Reject)", ReasonIsFailure: true));

    /// <summary>
    /// Runs one cell with no packet behind it. Only for tests of the cells that no valid packet can
    /// reach (see <see cref="ReceiveConfigureReply"/>); packet-bound actions then carry empty data.
    /// </summary>
    internal IReadOnlyList<EngineOutput> Inject(ControlEvent @event) => Run(@event, default);

    private List<EngineOutput> Run(ControlEvent @event, in Context context)
    {
        Begin();
        Fire(@event, context);
        return End();
    }

    private void Begin()
    {
        _outputs = [];
        LastStep = null;
    }

    private List<EngineOutput> End() => _outputs;

    private void Emit(EngineOutput output) => _outputs.Add(output);

    /// <summary>Looks the event up in the table and carries out the cell.</summary>
    private void Fire(ControlEvent @event, in Context context)
    {
        var from = State;
        if (TransitionTable.Lookup(from, @event, _options) is not { } transition)
        {
            // RFC 1661 §4.1: "-" cells cannot happen in a correct implementation; ignore them.
            Counters.IllegalEvents++;
            LastStep = new ControlStep(from, @event, from, ControlAction.None, Illegal: true);
            return;
        }

        var actions = transition.Actions;
        // ser answers an Echo-Request only; RXR also stands for Echo-Reply and Discard-Request (§4.4).
        if (!context.AnswerEcho)
            actions &= ~ControlAction.Ser;

        if ((actions & ControlAction.Scr) != 0 && !IsNegotiating(from) && !context.NegotiationBegun)
            BeginNegotiation();
        if ((actions & (ControlAction.Str | ControlAction.Zrc)) != 0 && context.Reason is not null)
        {
            _terminateReason = context.Reason;
            _terminateIsFailure = context.ReasonIsFailure;
            _terminateByPeer = context.ByPeer;
        }

        foreach (var action in Transition.ExecutionOrder)
        {
            if ((actions & action) != 0)
                Execute(action, actions, context);
        }

        State = transition.Next;
        if (State is not (ControlState.ReqSent or ControlState.AckSent))
            _awaitingReply = false;

        // RFC 1661 §4.1: "Only the Send-Configure-Request, Send-Terminate-Request and Zero-Restart-Count
        // actions start or re-start the Restart timer. The Restart timer is stopped when transitioning
        // from any state where the timer is running to a state where the timer is not running."
        if ((actions & (ControlAction.Scr | ControlAction.Str | ControlAction.Zrc)) != 0)
            Emit(new StartRestartTimer(Settings.RestartInterval));
        else if (TransitionTable.RestartTimerRuns(from) && !TransitionTable.RestartTimerRuns(State))
            Emit(new StopRestartTimer());

        LastStep = new ControlStep(from, @event, State, actions, Illegal: false);
    }

    /// <summary>A new negotiation starts: the policy forgets the last one, Max-Failure counts afresh.</summary>
    private void BeginNegotiation()
    {
        _policy.Reset();
        _naksInARow = 0;
    }

    private static bool IsNegotiating(ControlState state) =>
        state is ControlState.ReqSent or ControlState.AckRcvd or ControlState.AckSent;

    /// <summary>What the input that raised an event brings to the cell's actions.</summary>
    private readonly record struct Context(
        byte PeerId = 0,
        ControlCode ReplyCode = ControlCode.ConfNak,
        byte[]? Payload = null,
        string? Reason = null,
        bool ReasonIsFailure = false,
        bool NegotiationBegun = false,
        bool AnswerEcho = false,
        bool ByPeer = false);
}
