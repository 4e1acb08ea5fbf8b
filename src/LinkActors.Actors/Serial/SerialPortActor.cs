using System.Diagnostics.CodeAnalysis;
using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Serial.Transports;
using static LinkActors.Actors.Serial.SerialPort;

namespace LinkActors.Actors.Serial;

/// <summary>
/// Owns one line (serial device, pty, TCP connection or stdio) for its whole life: opens and locks it, reads
/// it in an async loop that only Tells this actor, writes one <see cref="Write"/> at a time with a bounded
/// queue behind it, watches DCD on a modem line, and closes it on a background task because a serial close
/// can hang for seconds. It refuses to restart: its parent stops it and builds a new one.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "_lifetime is cancelled and disposed in PostStop, the end of an actor's life.")]
public sealed partial class SerialPortActor : ActorBase, IWithTimers, IWithUnboundedStash
{
    private readonly SerialPortSettings _settings;
    private readonly IActorRef _owner;
    private readonly string _device;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Queue<(Write Write, IActorRef Sender)> _queued = new();
    private Task<OpenLine>? _opening;
    private volatile OpenLine? _line;
    private Task? _closing;
    private (Write Write, IActorRef Sender)? _inFlight;
    private IActorRef? _reader;
    private bool? _carrier;

    public SerialPortActor(SerialPortSettings settings, IActorRef owner)
    {
        _settings = settings;
        _owner = owner;
        _device = settings.Device.ToString();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    /// <summary>Events other than <see cref="Received"/> go to <paramref name="owner"/> (the link supervisor).</summary>
    public static Props Props(SerialPortSettings settings, IActorRef owner) =>
        Akka.Actor.Props.Create(() => new SerialPortActor(settings, owner));

    protected override void PreStart()
    {
        var self = Self;
        _opening = Task.Run(() => LineOpener.OpenAsync(_settings, _lifetime.Token));
        _opening.ContinueWith(
            t => self.Tell(t.IsCompletedSuccessfully ? new LineOpened(t.Result) : new LineOpenFailed(t.Exception?.GetBaseException() ?? new TaskCanceledException())),
            TaskScheduler.Default);
        Become(Opening);
    }

    protected override void PostRestart(Exception reason) =>
        throw new IllegalActorStateException($"The port actor of {_device} does not restart: stop it and create a new one.");

    protected override void PostStop()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
        if (_line is not null)
            CloseInBackground();
        else
            // Opening may still finish after we are gone; nobody else will close what it opens.
            _opening?.ContinueWith(t => { if (t.IsCompletedSuccessfully && _line is null) t.Result.CloseAndUnlock(); }, TaskScheduler.Default);
    }

    protected override bool Receive(object message) => false;

    private bool Opening(object message)
    {
        switch (message)
        {
            case LineOpened opened:
                _line = opened.Line;
                _log.Info("Opened {Device}", _device);
                _owner.Tell(new Opened(_device));
                if (opened.Line.Transport.HasModemLines)
                {
                    SampleCarrier();
                    Timers.StartPeriodicTimer(CarrierTick.Instance, CarrierTick.Instance, _settings.CarrierPollInterval);
                }
                Stash.UnstashAll();
                Become(Open);
                return true;
            case LineOpenFailed failed:
                _log.Warning("Cannot open {Device}: {Reason}", _device, failed.Cause.Message);
                _owner.Tell(new OpenFailed(_device, failed.Cause));
                Context.Stop(Self);
                return true;
            case Close or HangUp:
                // Giving up while still opening (a modem that never appears, a `socket :PORT` nobody
                // dials): PostStop cancels the open, and closes the line should it open after all.
                _owner.Tell(Closed.Instance);
                Context.Stop(Self);
                return true;
            case Command:
                Stash.Stash();
                return true;
            default:
                return false;
        }
    }

    private bool Open(object message)
    {
        switch (message)
        {
            case Write write:
                Enqueue(write, Sender);
                return true;
            case SetReader setReader:
                var first = _reader is null;
                _reader = setReader.Reader;
                if (first)
                    StartReading();
                return true;
            case DataRead read:
                _reader?.Tell(new Received(read.Data));
                return true;
            case ReadEnded ended:
                Vanish(ended.Reason);
                return true;
            case WriteDone:
                if (_inFlight is { } done)
                    Acknowledge(done.Write, done.Sender);
                _inFlight = null;
                WriteNext();
                return true;
            case WriteFailed failed:
                OnWriteFailed(failed.Cause);
                return true;
            case CarrierTick:
                SampleCarrier();
                return true;
            case HangUp when _line!.Transport.HasModemLines:
                _log.Info("Hanging up {Device}: DTR low for {Hold}", _device, _settings.HangUpHold);
                _line.Transport.SetDtr(false);
                Timers.StartSingleTimer(nameof(HangUpHoldElapsed), new HangUpHoldElapsed(Sender), _settings.HangUpHold);
                return true;
            case HangUpHoldElapsed elapsed:
                _line!.Transport.SetDtr(true);
                elapsed.Commander.Tell(HungUp.Instance);
                return true;
            case HangUp or Close:
                StartClosing(Sender);
                return true;
            default:
                return false;
        }
    }

    private Receive Closing(IActorRef commander) => message =>
    {
        switch (message)
        {
            case CloseFinished or CloseTimedOut:
                if (message is CloseTimedOut)
                    _log.Warning("Close of {Device} still pending after {Timeout}; reporting it closed", _device, _settings.CloseTimeout);
                commander.Tell(Closed.Instance);
                if (!commander.Equals(_owner))
                    _owner.Tell(Closed.Instance);
                Context.Stop(Self);
                return true;
            case Command command:
                Sender.Tell(new CommandFailed(command, new InvalidOperationException($"{_device} is closing.")));
                return true;
            default:
                return true;   // reads and write completions after Close no longer matter
        }
    };

    private void Enqueue(Write write, IActorRef sender)
    {
        if (_inFlight is null)
        {
            StartWrite(write, sender);
        }
        else if (_queued.Count < _settings.MaxQueuedWrites)
        {
            _queued.Enqueue((write, sender));
        }
        else
        {
            sender.Tell(new CommandFailed(write, new InvalidOperationException(
                $"Write queue of {_device} is full ({_settings.MaxQueuedWrites} waiting): wait for the Ack before sending more.")));
        }
    }

    private void WriteNext()
    {
        // Writes the line took at once leave nothing in flight: go on with the queue.
        while (_inFlight is null && _queued.TryDequeue(out var next))
            StartWrite(next.Write, next.Sender);
    }

    /// <summary>
    /// Starts a write. One the line takes at once (a pty with room) is acknowledged right here, without a
    /// round trip through the thread pool; otherwise it stays in flight until <see cref="WriteDone"/>.
    /// </summary>
    private void StartWrite(Write write, IActorRef sender)
    {
        var timeout = new CancellationTokenSource();
        ValueTask pending;
        try
        {
            pending = _line!.Transport.WriteAsync(write.Data, timeout.Token);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            pending = ValueTask.FromException(e);
        }

        if (pending.IsCompletedSuccessfully)
        {
            timeout.Dispose();
            Acknowledge(write, sender);
            return;
        }

        _inFlight = (write, sender);
        timeout.CancelAfter(_settings.WriteTimeout);
        var self = Self;
        var writeTimeout = _settings.WriteTimeout;
        pending.AsTask().ContinueWith(t =>
        {
            timeout.Dispose();
            self.Tell(t.IsCompletedSuccessfully
                ? WriteDone.Instance
                : new WriteFailed(t.IsCanceled ? new TimeoutException($"Not written within {writeTimeout}.") : t.Exception!.GetBaseException()));
        }, TaskScheduler.Default);
    }

    private static void Acknowledge(Write write, IActorRef sender)
    {
        if (write.Ack is { } ack)
            sender.Tell(ack);
    }

    private void OnWriteFailed(Exception cause)
    {
        var failed = _inFlight;
        _inFlight = null;
        if (failed is { } f)
            f.Sender.Tell(new CommandFailed(f.Write, cause));
        if (cause is TimeoutException or OperationCanceledException)
        {
            _log.Warning("Write to {Device} timed out", _device);
            WriteNext();
        }
        else
        {
            Vanish($"write failed: {cause.Message}");
        }
    }

    private void StartReading()
    {
        var self = Self;
        var transport = _line!.Transport;
        var buffer = new byte[_settings.ReadBufferSize];
        var stop = _lifetime.Token;
        async Task ReadLoop()
        {
            try
            {
                while (true)
                {
                    var n = await transport.ReadAsync(buffer, stop).ConfigureAwait(false);
                    if (n == 0)
                    {
                        self.Tell(new ReadEnded("end of stream"));
                        return;
                    }
                    self.Tell(new DataRead(buffer.AsSpan(0, n).ToArray()));
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // An IOException or ObjectDisposedException on a pending read is how a vanished tty shows.
                self.Tell(new ReadEnded($"{e.GetType().Name}: {e.Message}"));
            }
        }

        if (transport.ReadBlocks)
            new Thread(() => ReadLoop().GetAwaiter().GetResult()) { IsBackground = true, Name = $"read {_device}" }.Start();
        else
            _ = Task.Run(ReadLoop, CancellationToken.None);
    }

    private void SampleCarrier()
    {
        bool present;
        try
        {
            present = _line!.Transport.CarrierDetect;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            Vanish($"cannot read DCD: {e.Message}");
            return;
        }
        if (present == _carrier)
            return;
        _carrier = present;
        _log.Info("Carrier on {Device}: {Present}", _device, present);
        _owner.Tell(new CarrierChanged(present));
    }

    private void Vanish(string reason)
    {
        _log.Warning("{Device} vanished: {Reason}", _device, reason);
        FailPendingWrites($"{_device} vanished: {reason}");
        _owner.Tell(new DeviceVanished(reason));
        CloseInBackground();
        Context.Stop(Self);
    }

    private void StartClosing(IActorRef commander)
    {
        _log.Info("Closing {Device}", _device);
        FailPendingWrites($"{_device} was closed.");
        Timers.CancelAll();
        _lifetime.Cancel();
        var self = Self;
        CloseInBackground().ContinueWith(_ => self.Tell(CloseFinished.Instance), TaskScheduler.Default);
        Timers.StartSingleTimer(CloseTimedOut.Instance, CloseTimedOut.Instance, _settings.CloseTimeout);
        Become(Closing(commander));
    }

    private Task CloseInBackground()
    {
        var line = _line!;
        return _closing ??= Task.Run(line.CloseAndUnlock);
    }

    private void FailPendingWrites(string reason)
    {
        if (_inFlight is { } inFlight)
            inFlight.Sender.Tell(new CommandFailed(inFlight.Write, new IOException(reason)));
        _inFlight = null;
        while (_queued.TryDequeue(out var queued))
            queued.Sender.Tell(new CommandFailed(queued.Write, new IOException(reason)));
    }
}
