using LinkActors.Emulator.Commands;
using LinkActors.Emulator.Profiles;

namespace LinkActors.Emulator.Modem;

/// <summary>Power, radio and network registration, and the faults that act on them.</summary>
public sealed partial class ModemEmulator
{
    private static readonly string[] RegistrationCommands = ["+CREG", "+CGREG", "+CEREG"];

    // The <n> of +CREG, +CGREG and +CEREG, in the order of RegistrationCommands (27.007 §7.2).
    private readonly int[] _registrationReporting = new int[3];
    private RegistrationStatus _registration = RegistrationStatus.NotSearching;
    private bool _radioOn = true;
    private bool _deregistered;
    private int _powerEpoch;

    private bool IsRegistered => _registration is RegistrationStatus.Home or RegistrationStatus.Roaming;

    internal bool IsDeregistered
    {
        get
        {
            lock (_gate)
                return _deregistered;
        }
    }

    /// <summary>As <see cref="ModemFaults.Reboot"/>: a power cycle.</summary>
    internal void Reboot(string reason) => Locked(() => Restart(reason));

    internal void SetHung(bool hung, string reason) => Locked(() =>
    {
        _hung = hung;
        Note(reason);
    });

    internal void Deregister() => Locked(() =>
    {
        _deregistered = true;
        _powerEpoch++;
        Note("fault: deregistered");
        if (_call is not null || _mode == ModemMode.Dialing)
            EndCall("network detached", noCarrier: true);
        SetRegistration(RegistrationStatus.NotSearching);
    });

    /// <summary>The network drops the modem's registration, but the modem keeps the PPP call up (no NO CARRIER).</summary>
    internal void DeregisterKeepingCall() => Locked(() =>
    {
        _deregistered = true;
        _powerEpoch++;
        Note("fault: deregistered while the call stays up");
        SetRegistration(RegistrationStatus.NotSearching);
    });

    internal void ClearFaults() => Locked(() =>
    {
        _hung = false;
        if (_deregistered)
        {
            _deregistered = false;
            if (_mode != ModemMode.Booting)
                StartRegistration();
        }
        Note("faults cleared");
    });

    /// <summary>
    /// Reset or power cycle: the call and the settings go, the PDP contexts are lost, input is ignored
    /// until the ready lines, then registration starts over. A hung modem recovers, as with real ones.
    /// </summary>
    private void Restart(string reason)
    {
        Note(reason);
        if (_call is not null || _mode is ModemMode.Dialing)
            EndCall(reason, noCarrier: false);
        _hung = false;
        _line.Clear();
        _echo = true;
        _verbose = true;
        _quiet = false;
        _cmee = 0;
        _sRegisters.Clear();
        _contexts.Clear();
        Array.Clear(_registrationReporting);
        _radioOn = true;
        int epoch = ++_powerEpoch;
        SetRegistration(RegistrationStatus.NotSearching);
        SetMode(ModemMode.Booting);
        After(_options.BootDelay, () =>
        {
            if (epoch != _powerEpoch)
                return;
            SetMode(ModemMode.Command);
            SendReadyLines();
            Raise(() => Ready?.Invoke(this, EventArgs.Empty));
            StartRegistration();
        });
    }

    private void SendReadyLines()
    {
        foreach (string line in _profile.ReadyLines)
            Send("\r\n" + line + "\r\n");
    }

    private void SetRadio(bool on)
    {
        if (on == _radioOn)
            return;
        _radioOn = on;
        if (on)
        {
            StartRegistration();
            return;
        }
        _powerEpoch++;
        if (_call is not null)
            EndCall("radio off (AT+CFUN=0)", noCarrier: false);
        SetRegistration(RegistrationStatus.NotSearching);
    }

    /// <summary>Searching now, registered after the registration delay unless something intervenes.</summary>
    private void StartRegistration()
    {
        if (!_radioOn || _deregistered)
            return;
        int epoch = ++_powerEpoch;
        SetRegistration(RegistrationStatus.Searching);
        After(_options.RegistrationDelay, () =>
        {
            if (epoch == _powerEpoch && _radioOn && !_deregistered && _mode != ModemMode.Booting)
                SetRegistration(_profile.RegisteredStatus);
        });
    }

    private void SetRegistration(RegistrationStatus status)
    {
        if (status == _registration)
            return;
        _registration = status;
        Note($"registration: {(int)status} ({status})");
        // 27.007 §7.2: with <n>=1 or 2 a change is reported as an unsolicited line; not while the line
        // carries data.
        if (_mode is ModemMode.Command or ModemMode.OnlineCommand)
        {
            for (int i = 0; i < RegistrationCommands.Length; i++)
            {
                if (_registrationReporting[i] > 0)
                    Send($"\r\n{RegistrationCommands[i]}: {(int)status}\r\n");
            }
        }
        Raise(() => RegistrationChanged?.Invoke(this, status));
    }

    private ResultCode RegistrationCommand(AtCommand command)
    {
        int index = Array.IndexOf(RegistrationCommands, command.Name);
        switch (command.Form)
        {
            case AtCommandForm.Read:
                return InfoOk($"{command.Name}: {_registrationReporting[index]},{(int)_registration}");
            case AtCommandForm.Test:
                return InfoOk($"{command.Name}: (0-2)");
            case AtCommandForm.Set:
                return SetNumber(command.Argument, 0, 2, ref _registrationReporting[index]);
            default:
                return ResultCode.Error;
        }
    }
}
