using System.Buffers;
using System.Text;
using LinkActors.Emulator.Faults;
using LinkActors.Emulator.Profiles;
using LinkActors.Emulator.Pty;

namespace LinkActors.Emulator.Modem;

/// <summary>
/// An AT modem on a pseudo-terminal: a client opens <see cref="PortPath"/> as its serial port, talks AT
/// commands, dials, and after CONNECT its octets are bridged to the configured PPP server, through
/// whatever <see cref="Faults"/> are set.
/// <para>
/// All state sits behind one lock. Inputs (the pty's read thread, timers, the server's reads, fault calls)
/// take it, change state, and queue output for the pty in order; events are raised after the lock is
/// released, on whichever thread caused them, so a handler may call back into the emulator.
/// </para>
/// </summary>
public sealed partial class ModemEmulator : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly ModemEmulatorOptions _options;
    private readonly ModemProfile _profile;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly List<Action> _deferred = [];
    private readonly TrafficCounters _traffic = new();
    private PseudoTerminal? _pty;
    private ModemMode _mode = ModemMode.Command;
    private bool _hung;
    private bool _disposed;
    private long _commandsSeen;
    private long _calls;

    private ModemEmulator(ModemEmulatorOptions options)
    {
        _options = options;
        _profile = options.Profile;
        _time = options.TimeProvider;
        Faults = new ModemFaults(this);
    }

    /// <summary>A command line arrived (the text from AT, without the CR). Raised before it is answered.</summary>
    public event EventHandler<string>? CommandReceived;

    /// <summary>CONNECT was sent: the data path is bridged.</summary>
    public event EventHandler? Connected;

    /// <summary>A call ended, for whatever reason.</summary>
    public event EventHandler<CarrierLostEventArgs>? CarrierDropped;

    /// <summary>The ready lines (RDY) were sent after a reset or reboot.</summary>
    public event EventHandler? Ready;

    public event EventHandler<RegistrationStatus>? RegistrationChanged;

    public event EventHandler<ModemMode>? ModeChanged;

    /// <summary>Faults to inject; see <see cref="ModemFaults"/>.</summary>
    public ModemFaults Faults { get; }

    public ModemProfile Profile => _profile;

    /// <summary>The pty's slave device, e.g. /dev/pts/3.</summary>
    public string SlavePath => _pty?.SlavePath ?? throw new ObjectDisposedException(nameof(ModemEmulator));

    /// <summary>What a client should open: the symlink when one was asked for, else the slave device.</summary>
    public string PortPath => _options.LinkPath ?? SlavePath;

    public ModemMode Mode
    {
        get
        {
            lock (_gate)
                return _mode;
        }
    }

    public RegistrationStatus Registration
    {
        get
        {
            lock (_gate)
                return _registration;
        }
    }

    public bool EchoEnabled
    {
        get
        {
            lock (_gate)
                return _echo;
        }
    }

    /// <summary>The APN of PDP context <paramref name="cid"/>, or null when the context is not defined.</summary>
    public string? GetApn(int cid)
    {
        lock (_gate)
            return _contexts.TryGetValue(cid, out var context) ? context.Apn : null;
    }

    internal bool IsHung
    {
        get
        {
            lock (_gate)
                return _hung;
        }
    }

    public ModemCounters Counters => new(
        Interlocked.Read(ref _commandsSeen),
        _traffic.BytesFromClient,
        _traffic.BytesFromServer,
        _traffic.BytesToClient,
        _traffic.BytesToServer,
        _traffic.FramesDroppedToServer,
        _traffic.FramesDroppedToClient,
        _traffic.OctetsCorrupted,
        Interlocked.Read(ref _calls))
    {
        ProbeBytesSeen = Faults.Peer.ProbeBytesSeen,
        ProbePacketsSeen = Faults.Peer.ProbePacketsSeen,
    };

    /// <summary>Opens the pty (and the symlink), powers the modem up and starts registering.</summary>
    public static ModemEmulator Start(ModemEmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var modem = new ModemEmulator(options);
        modem._pty = PseudoTerminal.Open(options.LinkPath, modem.OnPtyReceived, modem.OnPtyFailed);
        modem.Locked(() =>
        {
            if (options.AnnounceReadyOnStart)
                modem.SendReadyLines();
            modem.StartRegistration();
        });
        modem.Note($"{options.Profile} on {modem._pty}");
        return modem;
    }

    public async ValueTask DisposeAsync()
    {
        DataCall? call;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            call = _call;
            _call = null;
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (call is not null)
            await call.DisposeAsync().ConfigureAwait(false);
        Task[] closing;
        lock (_closingCalls)
            closing = [.. _closingCalls];
        try
        {
            await Task.WhenAll(closing).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A server stream that ignores being closed must not keep the emulator from going away.
        }
        _pty?.Dispose();
        _lifetime.Dispose();
    }

    public override string ToString() => $"{_profile.Name} modem on {_pty}";

    internal void Note(string message) => _options.Log?.Invoke(message);

    /// <summary>Runs <paramref name="action"/> under the lock, sends its output, then raises its events.</summary>
    private void Locked(Action action)
    {
        Action[]? events = null;
        lock (_gate)
        {
            if (_disposed)
                return;
            action();
            FlushOutput();
            EnterCmuxIfAccepted();
            if (_deferred.Count > 0)
            {
                events = [.. _deferred];
                _deferred.Clear();
            }
        }
        if (events is null)
            return;
        foreach (var raise in events)
        {
            try
            {
                raise();
            }
            catch (Exception e)
            {
                // A test's handler must not kill the pty's read thread or a timer.
                Note("event handler failed: " + e);
            }
        }
    }

    private void Raise(Action raise) => _deferred.Add(raise);

    /// <summary>Queues octets for the client; dropped while hung. Caller holds the lock.</summary>
    private void Send(ReadOnlySpan<byte> data)
    {
        if (!_hung)
            _output.Write(data);
    }

    private void Send(string text) => Send(Encoding.ASCII.GetBytes(text));

    private void SetMode(ModemMode mode)
    {
        if (_mode == mode)
            return;
        bool wasData = _mode == ModemMode.Data;
        _mode = mode;
        if (wasData != (mode == ModemMode.Data))
            SendDataChannelStatus();
        Raise(() => ModeChanged?.Invoke(this, mode));
    }

    /// <summary>Runs <paramref name="action"/> under the lock after <paramref name="delay"/>, unless the emulator is disposed first.</summary>
    private void After(TimeSpan delay, Action action) => _ = Task.Run(async () =>
    {
        try
        {
            await Task.Delay(delay, _time, _lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        Locked(action);
    });

    private void OnPtyReceived(ReadOnlySpan<byte> data)
    {
        long now = _time.GetTimestamp();
        byte[] copy = data.ToArray();
        Locked(() => Receive(copy, now));
    }

    private void OnPtyFailed(Exception e) => Note("pty failed: " + e.Message);

    private void Receive(byte[] data, long now)
    {
        if (_mux is not null)
        {
            ReceiveMultiplexed(data, now);
            return;
        }
        ReceiveLine(data, now);
    }

    /// <summary>The line's octets, or those of the data channel when multiplexed.</summary>
    private void ReceiveLine(ReadOnlySpan<byte> data, long now)
    {
        int i = 0;
        while (i < data.Length)
        {
            if (_hung || _mode is ModemMode.Booting or ModemMode.Dialing)
                return;
            if (_mode == ModemMode.Data)
            {
                ReceiveData(data[i..], now);
                return;
            }
            ReceiveCommandOctet(data[i++]);
        }
    }
}
