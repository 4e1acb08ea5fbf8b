using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Framing;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;
using LinkActors.Ppp.Trace;

namespace LinkActors.Interop.Tests.Link;

/// <summary>
/// Our end of the link built from the pure library alone, before the actors exist:
/// <see cref="LinkNegotiation"/> with <see cref="HdlcEncoder"/> and <see cref="HdlcDecoder"/> on a
/// pty, timers on the real clock, every raw byte in a pppd record file, and just enough IP to send
/// and answer ICMP echoes. One lock serialises the reader thread, the timers and the test's calls,
/// because the negotiation is not thread-safe.
/// </summary>
public sealed class PureNegotiationLink : ILinkUnderTest
{
    private const ushort EchoIdentifier = 0x4C41;
    private static readonly TimeSpan PingRetry = TimeSpan.FromMilliseconds(250);

    private readonly LinkUnderTestOptions _options;
    private readonly Action<string> _log;
    private readonly TimeProvider _time;
    private readonly LinkNegotiation _negotiation;
    private readonly HdlcEncoder _encoder = new();
    private readonly HdlcDecoder _decoder = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<LinkTimer, (ITimer Timer, int Generation)> _timers = [];
    private readonly Dictionary<ushort, TaskCompletionSource> _pings = [];
    private readonly List<LinkPhase> _phases = [];
    private readonly List<string> _authEvents = [];
    private readonly List<ushort> _rejected = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FileStream? _pty;
    private RecordWriter? _record;
    private Thread? _reader;
    private volatile bool _stopping;
    private bool _heardPeer;
    private bool _finished;
    private bool _lineGone;
    private int _generation;
    private int _echoRequestsAnswered;
    private ushort _sequence;
    private ITimer? _keepalive;
    private int _echoesUnanswered;
    private string? _keepaliveFailure;

    public PureNegotiationLink(LinkUnderTestOptions options, Action<string>? log = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _log = log ?? (_ => { });
        _time = time ?? TimeProvider.System;
        _negotiation = new LinkNegotiation(ToSettings(options), CryptoRandomSource.Instance);
    }

    /// <summary>The library's settings for pppd-style options.</summary>
    public static LinkNegotiationSettings ToSettings(LinkUnderTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LinkNegotiationSettings
        {
            Lcp = new LcpSettings
            {
                Mru = options.Mru ?? LcpSettings.DefaultMru,
                Mtu = options.Mtu,
                NoAccomp = options.NoAccomp,
                NoPcomp = options.NoPcomp,
                DefaultAsyncmap = options.DefaultAsyncmap,
                RequirePap = options.RequirePap,
                RequireChap = options.RequireChap,
            },
            Ipcp = new IpcpSettings
            {
                LocalAddress = options.LocalAddress,
                RemoteAddress = options.RemoteAddress,
                UsePeerDns = options.UsePeerDns,
                PrimaryDns = options.PrimaryDns,
                SecondaryDns = options.SecondaryDns,
            },
            Ipv6cp = options.Ipv6 ? new Ipv6cpSettings() : null,
            Name = options.Name,
            User = options.User,
            Password = options.Password,
            Secrets = new SecretsTable(options.Secrets.Select(s => new SecretEntry(s.Client, s.Server, s.Secret))),
        };
    }

    public LinkUnderTestStatus Status
    {
        get
        {
            lock (_gate)
            {
                var lcp = _negotiation.Lcp;
                return new LinkUnderTestStatus
                {
                    Phase = _negotiation.Phase,
                    Phases = [.. _phases],
                    Finished = _finished,
                    FailureReason = _keepaliveFailure ?? _negotiation.FailureReason,
                    AuthenticationEvents = [.. _authEvents],
                    LocalAddress = _negotiation.Ipcp?.LocalAddress,
                    RemoteAddress = _negotiation.Ipcp?.RemoteAddress,
                    Dns1 = _negotiation.Ipcp?.Dns1,
                    Dns2 = _negotiation.Ipcp?.Dns2,
                    LocalInterfaceId = _negotiation.Ipv6cp?.LocalInterfaceId ?? 0,
                    PeerInterfaceId = _negotiation.Ipv6cp?.PeerInterfaceId ?? 0,
                    InterfaceMtu = lcp.InterfaceMtu,
                    PeerMru = lcp.PeerMru,
                    PeerAccm = lcp.PeerAccm,
                    PeerAcceptsAcfc = lcp.PeerAcceptsAcfc,
                    PeerAcceptsPfc = lcp.PeerAcceptsPfc,
                    ProtocolsRejected = [.. _rejected],
                    EchoRequestsAnswered = _echoRequestsAnswered,
                    BadFcsFrames = _decoder.Counters.BadFcs,
                };
            }
        }
    }

    public Task StartAsync(string ttyPath, string recordPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ttyPath);
        ArgumentNullException.ThrowIfNull(recordPath);
        if (_pty is not null)
            throw new InvalidOperationException("already started");
        _log($"{_options}");
        _pty = RawPty.Open(ttyPath);
        _record = new RecordWriter(File.Create(recordPath), _time.GetUtcNow());
        // Nothing is sent until the peer's first Configure-Request: bytes written before pppd puts
        // its tty in raw mode come straight back, and a peer that hears itself acks its own request.
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "pty reader" };
        _reader.Start();
        return Task.CompletedTask;
    }

    public Task WaitForNetworkAsync(TimeSpan timeout) =>
        WaitUntilAsync(() => _negotiation.IsUp(PppProtocol.Ipcp) && (!_options.Ipv6 || _negotiation.IsUp(PppProtocol.Ipv6cp)),
            timeout, "the network protocols to come up", failIfFinished: true);

    public async Task<TimeSpan> PingAsync(IPAddress destination, int size, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(destination);
        bool v6 = destination.AddressFamily == AddressFamily.InterNetworkV6;
        ushort protocol = v6 ? PppProtocol.Ipv6 : PppProtocol.Ipv4;
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var total = Stopwatch.StartNew();
        var attempt = Stopwatch.StartNew();
        // The guest drops IP for a moment after IPCP opens, while pppd configures ppp0: retry.
        while (total.Elapsed < timeout)
        {
            lock (_gate)
            {
                if (!_negotiation.AcceptsData(protocol))
                    throw new InvalidOperationException($"cannot send {PppProtocol.Name(protocol)}: its network protocol is not up ({_negotiation.Phase})");
                var source = v6 ? LinkLocal(_negotiation.Ipv6cp!.LocalInterfaceId) : _negotiation.Ipcp!.LocalAddress!;
                ushort sequence = ++_sequence;
                _pings[sequence] = answered;
                _log($"{Stamp()} ping {source} -> {destination} seq={sequence} size={size}");
                SendFrame(protocol, IcmpEcho.Request(source, destination, EchoIdentifier, sequence, size));
            }
            attempt.Restart();
            if (await Task.WhenAny(answered.Task, Task.Delay(PingRetry)).ConfigureAwait(false) == answered.Task)
                return attempt.Elapsed;
        }
        throw new TimeoutException($"no echo reply from {destination} within {timeout}");
    }

    public Task CloseAsync(TimeSpan timeout)
    {
        lock (_gate)
            Apply(_negotiation.Close("User request"));
        return WaitForFinishedAsync(timeout);
    }

    public Task WaitForFinishedAsync(TimeSpan timeout) =>
        WaitUntilAsync(() => _finished, timeout, "the link to finish", failIfFinished: false);

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        lock (_gate)
        {
            foreach (var (timer, _) in _timers.Values)
                timer.Dispose();
            _timers.Clear();
            _keepalive?.Dispose();
            _keepalive = null;
        }
        // The reader wakes at least every 0.1 s (VTIME), so it notices the flag soon.
        if (_reader is not null)
            await Task.Run(() => _reader.Join(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        lock (_gate)
        {
            // No end-of-stream records: pppdump reads them, but Wireshark 4.0's pppdump reader
            // reports a file ending in them as "cut short in the middle of a packet".
            _record?.Dispose();
            _record = null;
            _pty?.Dispose();
        }
    }

    private void ReadLoop()
    {
        var buffer = new byte[4096];
        var sink = new FrameSink(this);
        while (!_stopping)
        {
            int read;
            var waited = Stopwatch.StartNew();
            try
            {
                read = _pty!.Read(buffer);
            }
            catch (IOException e)
            {
                // EIO: socat closed the other side because the guest is gone.
                lock (_gate)
                    LineGone(e.Message);
                return;
            }
            if (read == 0)
            {
                // With VMIN 0 a read returns 0 on timeout, but also at once forever after a hang-up.
                if (waited.ElapsedMilliseconds < 50)
                    Thread.Sleep(50);
                continue;
            }
            lock (_gate)
            {
                _record?.WriteReceived(buffer.AsSpan(0, read), _time.GetUtcNow());
                _decoder.Decode(buffer.AsSpan(0, read), sink);
                Signal();
            }
        }
    }

    private sealed class FrameSink(PureNegotiationLink owner) : IHdlcFrameSink
    {
        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => owner.OnFrame(protocol, information);
    }

    private void OnFrame(ushort protocol, ReadOnlySpan<byte> information)
    {
        bool data = !PppProtocol.IsControl(protocol);
        if (!data)
            _log($"{Stamp()} {PppTrace.Format(false, protocol, information)}");
        if (!_heardPeer)
        {
            if (protocol != PppProtocol.Lcp || information.IsEmpty || information[0] != (byte)ControlCode.ConfReq)
                return;
            _heardPeer = true;
            Apply(_negotiation.Open());
            Apply(_negotiation.LowerUp());
        }
        Apply(_negotiation.Receive(protocol, information));
        if (data && _negotiation.AcceptsData(protocol))
            OnData(protocol, information);
    }

    private void OnData(ushort protocol, ReadOnlySpan<byte> packet)
    {
        var echo = IcmpEcho.TryParse(packet);
        if (echo is null)
        {
            _log($"{Stamp()} rcvd {PppProtocol.Name(protocol)} packet of {packet.Length} octets, not an echo: ignored");
            return;
        }
        _log($"{Stamp()} rcvd {(echo.IsRequest ? "echo request" : "echo reply")} {echo.Source} -> {echo.Destination} seq={echo.Sequence} size={packet.Length}");
        if (echo.IsRequest)
        {
            _echoRequestsAnswered++;
            SendFrame(protocol, IcmpEcho.Reply(packet));
        }
        else if (echo.Identifier == EchoIdentifier && _pings.Remove(echo.Sequence, out var pending))
        {
            pending.TrySetResult();
        }
    }

    private void Apply(IReadOnlyList<LinkOutput> outputs)
    {
        foreach (var output in outputs)
        {
            switch (output)
            {
                case SendFrame send:
                    SendFrame(send.Protocol, send.Information);
                    break;
                case StartTimer start:
                    Arm(start.Timer, start.After);
                    break;
                case StopTimer stop:
                    Disarm(stop.Timer);
                    break;
                case PhaseChanged phase:
                    _phases.Add(phase.Phase);
                    _log($"{Stamp()} phase {phase.Phase}");
                    break;
                case ProtocolUp { Protocol: PppProtocol.Lcp }:
                    // RFC 1662 §7.1, RFC 1661 §6.5-6.6: the negotiated framing applies once LCP is Opened;
                    // the frame that opened it (already written above) went out the old way.
                    var lcp = _negotiation.Lcp;
                    _encoder.TransmitAccm = lcp.PeerAccm;
                    _encoder.Acfc = lcp.PeerAcceptsAcfc;
                    _encoder.Pfc = lcp.PeerAcceptsPfc;
                    _decoder.ReceiveAccm = lcp.OurAccm;
                    _decoder.Mru = lcp.LocalMru;
                    _log($"{Stamp()} LCP up: {lcp.Describe()}");
                    StartKeepalive();
                    break;
                case ProtocolDown { Protocol: PppProtocol.Lcp }:
                    _encoder.TransmitAccm = Accm.All;
                    _encoder.Acfc = false;
                    _encoder.Pfc = false;
                    _decoder.ReceiveAccm = Accm.All;
                    _decoder.Mru = LcpSettings.DefaultMru;
                    _log($"{Stamp()} LCP down");
                    _keepalive?.Dispose();
                    _keepalive = null;
                    break;
                case EngineReport { Output: EchoReplyReceived }:
                    _echoesUnanswered = 0;
                    break;
                case Authenticated done:
                    _authEvents.Add($"{done.Role} {done.Method} ok {done.PeerName}");
                    _log($"{Stamp()} {done}");
                    break;
                case AuthenticationFailed failed:
                    _authEvents.Add($"{failed.Role} {failed.Method} failed: {failed.Reason}");
                    _log($"{Stamp()} {failed}");
                    break;
                case LinkFinished finished:
                    _finished = true;
                    _log($"{Stamp()} link finished: {finished.Reason}");
                    break;
                default:
                    _log($"{Stamp()} {output}");
                    break;
            }
        }
        Signal();
    }

    private void SendFrame(ushort protocol, byte[] information)
    {
        if (PppProtocol.IsControl(protocol))
            _log($"{Stamp()} {PppTrace.Format(true, protocol, information)}");
        if (protocol == PppProtocol.Lcp && information.Length >= 6 && information[0] == (byte)ControlCode.ProtRej)
            _rejected.Add(BinaryPrimitives.ReadUInt16BigEndian(information.AsSpan(4)));
        if (_lineGone || _pty is null || _record is null)
            return;
        var frame = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
        int length = _encoder.Encode(protocol, information, frame);
        try
        {
            _pty.Write(frame, 0, length);
            _record.WriteSent(frame.AsSpan(0, length), _time.GetUtcNow());
        }
        catch (IOException e)
        {
            LineGone(e.Message);
        }
    }

    /// <summary>pppd's LCP echo keepalive (lcp.c, LcpEchoCheck): the actors will own this; the driver needs it for the echo-loss test.</summary>
    private void StartKeepalive()
    {
        if (_options.LcpEchoInterval is not { } interval)
            return;
        _echoesUnanswered = 0;
        _keepalive?.Dispose();
        _keepalive = _time.CreateTimer(_ => KeepaliveTick(), null, interval, interval);
    }

    private void KeepaliveTick()
    {
        lock (_gate)
        {
            if (_stopping || _keepalive is null || !_negotiation.IsUp(PppProtocol.Lcp))
                return;
            if (_options.LcpEchoFailure > 0 && _echoesUnanswered >= _options.LcpEchoFailure)
            {
                _keepaliveFailure = $"no reply to {_echoesUnanswered} LCP echo requests";
                _log($"{Stamp()} {_keepaliveFailure}");
                _keepalive.Dispose();
                _keepalive = null;
                Apply(_negotiation.Close("Peer not responding"));
                return;
            }
            _echoesUnanswered++;
            Apply(_negotiation.SendEchoRequest([]));
        }
    }

    private void LineGone(string why)
    {
        if (_lineGone)
            return;
        _lineGone = true;
        _log($"{Stamp()} line gone: {why}");
        Signal();
    }

    private void Arm(LinkTimer timer, TimeSpan after)
    {
        Disarm(timer);
        int generation = ++_generation;
        var handle = _time.CreateTimer(_ => Fire(timer, generation), null, after, Timeout.InfiniteTimeSpan);
        _timers[timer] = (handle, generation);
    }

    private void Disarm(LinkTimer timer)
    {
        if (_timers.Remove(timer, out var armed))
            armed.Timer.Dispose();
    }

    private void Fire(LinkTimer timer, int generation)
    {
        lock (_gate)
        {
            // A timer stopped or restarted after this callback was queued must not fire.
            if (_stopping || !_timers.TryGetValue(timer, out var armed) || armed.Generation != generation)
                return;
            _timers.Remove(timer);
            armed.Timer.Dispose();
            Apply(_negotiation.TimerFired(timer));
        }
    }

    private async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, bool failIfFinished)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition())
                    return;
                if (failIfFinished && (_finished || _lineGone))
                    throw new InvalidOperationException($"the link ended while waiting for {what}: {_negotiation.FailureReason ?? "no reason given"}");
                changed = _changed.Task;
            }
            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"waited {timeout} for {what}; phase {_negotiation.Phase}, failure {_negotiation.FailureReason ?? "none"}");
            await Task.WhenAny(changed, Task.Delay(left)).ConfigureAwait(false);
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private string Stamp() => FormattableString.Invariant($"[{_clock.Elapsed.TotalSeconds,7:F3}]");

    /// <summary>fe80::/64 with the interface identifier IPV6CP agreed on (RFC 5072 §5).</summary>
    public static IPAddress LinkLocal(ulong interfaceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes[0] = 0xFE;
        bytes[1] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], interfaceId);
        return new IPAddress(bytes);
    }
}
