using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Chat;
using LinkActors.Actors.Serial;
using LinkActors.Actors.Watchdog;
using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Link;

/// <summary>
/// Dial, before the connect script: wait for a device path that is missing (a USB modem
/// re-enumerating), send the modem its reset command when the ladder asked for it, and wait for
/// network registration; each step bounded, each outcome an event.
/// </summary>
public sealed partial class LinkSupervisor
{
    private static readonly TimeSpan DevicePoll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ModemAnswerTimeout = TimeSpan.FromSeconds(2);
    private readonly bool _resetModem;
    private DateTimeOffset _stepStarted;
    private RegistrationWait? _registration;
    private bool _escapeTried;
    private bool _resetAccepted;
    private Action? _afterEscape;
    private int _chats;

    private bool HasModem => !_settings.Connect.IsEmpty;

    private void Preparing()
    {
        // A timer that outlived its step (the link was stopped meanwhile) finds nothing to do.
        Receive<DeviceCheck>(_ =>
        {
            if (_phase == LinkProtocol.Phase.Dial && _port is null)
                CheckDevice();
        });
        Receive<ModemPoll>(_ =>
        {
            if (_phase == LinkProtocol.Phase.Dial && _chat is null && _port is not null)
                RunChat("modem-wait", ["", "AT", "OK"], ModemAnswerTimeout);
        });
        Receive<RegistrationPoll>(_ =>
        {
            if (_phase == LinkProtocol.Phase.Dial && _chat is null && _port is not null)
                QueryRegistration();
        });
        Receive<ChatProtocol.ChatCompleted>(c => c.Script == "escape", c =>
        {
            _chat = null;
            _log.Info("{Link}: escape to command mode: {Outcome}", Name, c.Outcome);
            _afterEscape?.Invoke();
        });
        Receive<ChatProtocol.ChatCompleted>(c => c.Script == "modem-reset" && c.Outcome.Kind == ChatOutcomeKind.Timeout && !_escapeTried, _ =>
        {
            _chat = null;
            Escape(SendResetCommand);
        });
        Receive<ChatProtocol.ChatCompleted>(c => c.Script == "modem-reset", c =>
        {
            _chat = null;
            _resetAccepted = c.Outcome.Kind == ChatOutcomeKind.Success;
            if (_resetAccepted)
                _log.Info("{Link}: the modem accepted {Command}; waiting up to {Bound} for it to come back", Name,
                    _settings.Watchdog.ModemResetCommand, _settings.Watchdog.ModemResetWait);
            else
                _log.Warning("{Link}: the modem did not accept {Command} ({Outcome}); waiting up to {Bound} for it to answer", Name,
                    _settings.Watchdog.ModemResetCommand, c.Outcome, _settings.Watchdog.ModemResetWait);
            // A modem answers OK, then resets: give it a moment before asking whether it is back.
            Timers.StartSingleTimer(ModemPoll.Instance, ModemPoll.Instance, TimeSpan.FromSeconds(1));
        });
        Receive<ChatProtocol.ChatCompleted>(c => c.Script == "modem-wait", c =>
        {
            _chat = null;
            var waited = Context.System.Scheduler.Now - _stepStarted;
            if (c.Outcome.Kind == ChatOutcomeKind.Success)
            {
                _log.Info("{Link}: the modem is back {Waited:0.0} s after the reset", Name, waited.TotalSeconds);
                Context.System.EventStream.Publish(new LinkProtocol.ModemResetDone(Name, _settings.Watchdog.ModemResetCommand, true,
                    _resetAccepted ? $"the modem accepted the reset and answered again after {waited.TotalSeconds:0.0} s"
                        : $"the modem did not acknowledge the reset command but answers again after {waited.TotalSeconds:0.0} s"));
                AfterModemReady();
            }
            else if (waited >= _settings.Watchdog.ModemResetWait)
            {
                var message = $"the modem did not answer within {_settings.Watchdog.ModemResetWait.TotalSeconds:0} s of {_settings.Watchdog.ModemResetCommand}";
                Context.System.EventStream.Publish(new LinkProtocol.ModemResetDone(Name, _settings.Watchdog.ModemResetCommand, false, message));
                Fail(LinkFailure.ConnectFailed(message));
                Disconnect();
            }
            else
            {
                Timers.StartSingleTimer(ModemPoll.Instance, ModemPoll.Instance, ModemAnswerTimeout);
            }
        });
        Receive<ChatProtocol.ChatCompleted>(c => c.Script == "registration" && c.Outcome.Kind == ChatOutcomeKind.Timeout && !_escapeTried, _ =>
        {
            _chat = null;
            Escape(QueryRegistration);
        });
        Receive<ChatProtocol.ChatCompleted>(c => c.Script == "registration", OnRegistrationAnswer);
    }

    /// <summary>The port is to be opened; a missing device path is waited for, within a bound.</summary>
    private void OpenPortWhenPresent()
    {
        if (DevicePath() is { } path && !Exists(path) && _settings.Watchdog.DeviceWait > TimeSpan.Zero)
        {
            _stepStarted = Context.System.Scheduler.Now;
            _log.Warning("{Link}: {Device} is not there; waiting up to {Bound} for it to come back", Name, path, _settings.Watchdog.DeviceWait);
            Timers.StartSingleTimer(DeviceCheck.Instance, DeviceCheck.Instance, DevicePoll);
            return;
        }
        OpenPort();
    }

    private void CheckDevice()
    {
        var path = DevicePath()!;
        var waited = Context.System.Scheduler.Now - _stepStarted;
        if (Exists(path))
        {
            _log.Info("{Link}: {Device} is back after {Waited:0.0} s", Name, path, waited.TotalSeconds);
            Context.System.EventStream.Publish(new LinkProtocol.DeviceWaitEnded(Name, path, true, waited));
            OpenPort();
        }
        else if (waited >= _settings.Watchdog.DeviceWait)
        {
            Context.System.EventStream.Publish(new LinkProtocol.DeviceWaitEnded(Name, path, false, waited));
            Fail(LinkFailure.OpenFailed($"{path} did not appear within {_settings.Watchdog.DeviceWait.TotalSeconds:0} s"));
            End();
        }
        else
        {
            Timers.StartSingleTimer(DeviceCheck.Instance, DeviceCheck.Instance, DevicePoll);
        }
    }

    private void OpenPort()
    {
        _port = Context.ActorOf(_dependencies.PortProps(Self), "port");
        Context.Watch(_port);
    }

    /// <summary>The port is open: reset the modem if asked, wait for registration, then the connect script.</summary>
    private void PortOpened()
    {
        if (_resetModem && HasModem)
        {
            _stepStarted = Context.System.Scheduler.Now;
            _log.Warning("{Link}: sending the modem {Command} before dialing", Name, _settings.Watchdog.ModemResetCommand);
            SendResetCommand();
            return;
        }
        AfterModemReady();
    }

    private void SendResetCommand() =>
        RunChat("modem-reset", ["ABORT", "ERROR", "", _settings.Watchdog.ModemResetCommand, "OK"], TimeSpan.FromSeconds(5));

    /// <summary>
    /// A modem that answers nothing may still be in data mode (the last call was not hung up by DTR or a
    /// disconnect script): the escape sequence with its guard times, then ATH, once per attempt.
    /// </summary>
    private void Escape(Action then)
    {
        _escapeTried = true;
        _afterEscape = then;
        _log.Warning("{Link}: the modem does not answer; it may still be in data mode: sending +++ and ATH", Name);
        RunChat("escape", ["", "\\d+++\\d\\c", "OK", "ATH", "OK"], TimeSpan.FromSeconds(5));
    }

    private void AfterModemReady()
    {
        if (HasModem && _settings.Role == Configuration.LinkRole.Client && _settings.Registration.Wait)
        {
            _stepStarted = Context.System.Scheduler.Now;
            _registration = new RegistrationWait(_settings.Registration.Timeout);
            _log.Info("{Link}: waiting up to {Bound} for the modem to register with the network", Name, _settings.Registration.Timeout);
            QueryRegistration();
            return;
        }
        StartConnect();
    }

    private void QueryRegistration() => RunChat("registration", ["ABORT", "ERROR", "", _registration!.Command, "OK"], QueryTimeout);

    private void OnRegistrationAnswer(ChatProtocol.ChatCompleted c)
    {
        _chat = null;
        UpdateModem(c.Modem);
        var waited = Context.System.Scheduler.Now - _stepStarted;
        var wait = _registration!;
        var seconds = _settings.Registration.Timeout.TotalSeconds;
        switch (wait.Observe(c.Outcome.Kind == ChatOutcomeKind.Success, c.Outcome.Kind == ChatOutcomeKind.Abort, c.Modem, waited))
        {
            case RegistrationDecision.Registered:
                _log.Info("{Link}: the modem is {Status} ({Waited:0.0} s)", Name, wait.Last, waited.TotalSeconds);
                Context.System.EventStream.Publish(new LinkProtocol.RegistrationWaitEnded(Name, true, wait.Last, waited));
                StartConnect();
                break;
            case RegistrationDecision.NotReported:
                _log.Warning("{Link}: the modem reports no registration status ({Last}); dialing anyway", Name, wait.Last);
                Context.System.EventStream.Publish(new LinkProtocol.RegistrationWaitEnded(Name, true, wait.Last, waited));
                StartConnect();
                break;
            case RegistrationDecision.TryNextCommand:
                QueryRegistration();
                break;
            case RegistrationDecision.Denied:
                Context.System.EventStream.Publish(new LinkProtocol.RegistrationWaitEnded(Name, false, wait.Last, waited));
                Fail(LinkFailure.NotRegistered($"the network denied the modem's registration ({wait.Command} stat 3): check the SIM, its plan and roaming"));
                Disconnect();
                break;
            case RegistrationDecision.TimedOut:
                Context.System.EventStream.Publish(new LinkProtocol.RegistrationWaitEnded(Name, false, wait.Last, waited));
                Fail(LinkFailure.NotRegistered($"the modem did not register with the network within {seconds:0} s (last: {wait.Last})"));
                Disconnect();
                break;
            default:
                _log.Info("{Link}: not registered yet ({Last}, {Waited:0} s of {Bound:0} s)", Name, wait.Last, waited.TotalSeconds, seconds);
                Timers.StartSingleTimer(RegistrationPoll.Instance, RegistrationPoll.Instance, _settings.Registration.Poll);
                break;
        }
    }

    private void StartConnect()
    {
        if (_settings.Connect.IsEmpty)
        {
            Establish(ReadOnlyMemory<byte>.Empty);
            return;
        }
        _chat = Context.ActorOf(ChatActor.Props(_port!, _settings.Connect, "connect"), "connect");
    }

    private void RunChat(string script, IReadOnlyList<string> words, TimeSpan timeout)
    {
        var chat = ChatScript.FromArguments(words, new ChatOptions { Timeout = timeout });
        _chat = Context.ActorOf(ChatActor.Props(_port!, chat, script), $"{script}-{++_chats}");
    }

    private string? DevicePath()
    {
        try
        {
            return LineDevice.Parse(_settings.Device) is LineDevice.Serial serial ? serial.Path : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // A dangling symlink (the device it named is gone) counts as missing.
    private static bool Exists(string path) => File.Exists(path);

    private sealed record DeviceCheck
    {
        public static DeviceCheck Instance { get; } = new();
    }

    private sealed record ModemPoll
    {
        public static ModemPoll Instance { get; } = new();
    }

    private sealed record RegistrationPoll
    {
        public static RegistrationPoll Instance { get; } = new();
    }
}
