using System.Globalization;
using System.Text;
using LinkActors.Emulator.Commands;

namespace LinkActors.Emulator.Modem;

/// <summary>Command mode: line assembly, echo, and the commands (V.250, 3GPP TS 27.007).</summary>
public sealed partial class ModemEmulator
{
    private const byte CarriageReturn = (byte)'\r';
    private const byte LineFeed = (byte)'\n';
    private const byte Backspace = 0x08;
    private const int MaxLineLength = 560;

    private readonly StringBuilder _line = new();
    private readonly SortedDictionary<int, PdpContext> _contexts = [];
    private readonly Dictionary<int, int> _sRegisters = [];
    private bool _echo = true;
    private bool _verbose = true;
    private bool _quiet;
    private int _cmee;

    private void ReceiveCommandOctet(byte octet)
    {
        // V.250 §5.2.2: characters are echoed as they arrive, so the echo of the line that turns echo off
        // still goes out (the fixture's "ATE0\r\r\nOK").
        if (_echo)
            Send([octet]);
        switch (octet)
        {
            case CarriageReturn:
                string line = _line.ToString();
                _line.Clear();
                ExecuteLine(line);
                break;
            case LineFeed:
                break;
            case Backspace:
                if (_line.Length > 0)
                    _line.Length--;
                break;
            default:
                if (_line.Length < MaxLineLength)
                    _line.Append((char)octet);
                break;
        }
    }

    private void ExecuteLine(string line)
    {
        // V.250 §5.2.1: anything before the "AT" prefix is not part of the command line.
        int at = line.IndexOf("AT", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
            return;
        string text = line[at..];
        Interlocked.Increment(ref _commandsSeen);
        Raise(() => CommandReceived?.Invoke(this, text));
        Note("command: " + text);

        if (!AtCommandParser.TryParse(text[2..], out var commands))
        {
            Final(ResultCode.Error);
            return;
        }
        foreach (var command in commands)
        {
            ResultCode result = Execute(command);
            if (result != ResultCode.Ok)
            {
                if (result != ResultCode.Pending)
                    Final(result);
                return;
            }
        }
        Final(ResultCode.Ok);
    }

    private void Final(ResultCode code)
    {
        if (_quiet)
            return;
        if (!_verbose)
        {
            Send(((int)code).ToString(CultureInfo.InvariantCulture) + "\r");
            return;
        }
        string text = code switch
        {
            ResultCode.Ok => "OK",
            ResultCode.Connect => _profile.ConnectText,
            ResultCode.NoCarrier => "NO CARRIER",
            _ => "ERROR",
        };
        Send("\r\n" + text + "\r\n");
    }

    /// <summary>Information text: CR LF, the lines, CR LF (V.250 §5.7.1), as the fixture's ATI shows.</summary>
    private void Info(params string[] lines)
    {
        if (lines.Length == 0)
            return;
        string body = string.Join("\r\n", lines);
        Send(_verbose ? "\r\n" + body + "\r\n" : body + "\r\n");
    }

    private ResultCode Execute(AtCommand command) => command.Name switch
    {
        "E" => SetFlag(command, ref _echo),
        "V" => SetFlag(command, ref _verbose),
        "Q" => SetFlag(command, ref _quiet),
        "Z" or "&F" => ResetSettings(),
        "I" => command.Number == 0 ? InfoOk([.. _profile.Identity]) : ResultCode.Error,
        "H" => HangUp(),
        "O" => ReturnOnline(),
        "D" => Dial(command.Argument),
        "&D" or "&C" or "&K" or "&W" or "X" or "L" or "M" => ResultCode.Ok,
        _ when command.Name.StartsWith('S') => SRegister(command),
        _ => ExecuteExtended(command),
    };

    private ResultCode ExecuteExtended(AtCommand command) => (command.Name, command.Form) switch
    {
        ("+CGMI" or "+GMI", AtCommandForm.Execute) => InfoOk(_profile.Manufacturer),
        ("+CGMM" or "+GMM", AtCommandForm.Execute) => InfoOk(_profile.Model),
        ("+CGMR" or "+GMR", AtCommandForm.Execute) => InfoOk(_profile.Revision),
        ("+CGSN" or "+GSN", AtCommandForm.Execute) => InfoOk(_profile.Imei),
        ("+CIMI", AtCommandForm.Execute) => _radioOn ? InfoOk(_profile.Imsi) : ResultCode.Error,
        ("+CSQ", AtCommandForm.Execute) => InfoOk(_radioOn
            ? $"+CSQ: {_profile.SignalRssi},{_profile.SignalBer}"
            : "+CSQ: 99,99"),
        ("+CSQ", AtCommandForm.Test) => InfoOk("+CSQ: (0-31,99),(0-7,99)"),
        ("+CPIN", AtCommandForm.Read) => _radioOn ? InfoOk("+CPIN: READY") : ResultCode.Error,
        ("+CPIN", AtCommandForm.Set) => ResultCode.Ok,
        ("+COPS", AtCommandForm.Read) => InfoOk(IsRegistered
            ? $"+COPS: 0,2,\"{_profile.OperatorNumeric}\",{_profile.AccessTechnology}"
            : "+COPS: 0"),
        ("+COPS", AtCommandForm.Set) => ResultCode.Ok,
        ("+COPS", AtCommandForm.Test) => InfoOk(
            $"+COPS: (2,\"\",\"\",\"{_profile.OperatorNumeric}\",{_profile.AccessTechnology}),,(0-4),(0-2)"),
        ("+CREG" or "+CGREG" or "+CEREG", _) => RegistrationCommand(command),
        ("+CGDCONT", AtCommandForm.Set) => DefineContext(command.Argument),
        ("+CGDCONT", AtCommandForm.Read) => InfoOk([.. _contexts.Values.Select(c => c.ToReadLine())]),
        ("+CGDCONT", AtCommandForm.Test) => InfoOk("+CGDCONT: (1-15),\"IP\",,,(0),(0)", "+CGDCONT: (1-15),\"IPV6\",,,(0),(0)"),
        ("+CGACT", AtCommandForm.Read) => InfoOk(ActiveContextLines()),
        ("+CGACT", AtCommandForm.Set) => IsRegistered ? ResultCode.Ok : ResultCode.Error,
        ("+CGPADDR", AtCommandForm.Execute) => ContextAddresses(null),
        ("+CGPADDR", AtCommandForm.Set) => ContextAddresses(command.Argument),
        ("+CGPADDR", AtCommandForm.Test) => InfoOk("+CGPADDR: (1-15)"),
        ("+CGCONTRDP", AtCommandForm.Execute or AtCommandForm.Set) => ContextDynamicParameters(),
        ("+CGATT", AtCommandForm.Read) => InfoOk($"+CGATT: {(IsRegistered ? 1 : 0)}"),
        ("+CGATT", AtCommandForm.Set) => ResultCode.Ok,
        ("+CFUN", AtCommandForm.Read) => InfoOk($"+CFUN: {(_radioOn ? 1 : 0)}"),
        ("+CFUN", AtCommandForm.Set) => SetFunctionality(command.Argument),
        ("+CFUN", AtCommandForm.Test) => InfoOk("+CFUN: (0,1),(0,1)"),
        ("+QRST", AtCommandForm.Set) when command.Argument == "1" => ResetAfterOk("AT+QRST=1"),
        ("+CMEE", AtCommandForm.Set) => SetNumber(command.Argument, 0, 2, ref _cmee),
        ("+CMEE", AtCommandForm.Read) => InfoOk($"+CMEE: {_cmee}"),
        ("+IPR", AtCommandForm.Set) or ("+IFC", AtCommandForm.Set) => ResultCode.Ok,
        ("+IPR", AtCommandForm.Read) => InfoOk("+IPR: 115200"),
        ("+CMUX", AtCommandForm.Set) => StartCmux(command.Argument),
        ("+CMUX", AtCommandForm.Test) when _profile.SupportsCmux => InfoOk("+CMUX: (0),(0),(1-8),(1-32768)"),
        _ => ResultCode.Error,
    };

    private ResultCode InfoOk(params string[] lines)
    {
        Info(lines);
        return ResultCode.Ok;
    }

    private static ResultCode SetFlag(AtCommand command, ref bool flag)
    {
        switch (command.Number)
        {
            case 0:
                flag = false;
                return ResultCode.Ok;
            case 1:
                flag = true;
                return ResultCode.Ok;
            default:
                return ResultCode.Error;
        }
    }

    private static ResultCode SetNumber(string argument, int min, int max, ref int value)
    {
        if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            return ResultCode.Error;
        value = n;
        return ResultCode.Ok;
    }

    /// <summary>ATZ / AT&amp;F: the stored profile again (echo on, verbose). PDP contexts survive, as on the BC66.</summary>
    private ResultCode ResetSettings()
    {
        _echo = true;
        _verbose = true;
        _quiet = false;
        _sRegisters.Clear();
        if (_call is not null)
            EndCall("ATZ", noCarrier: false);
        return ResultCode.Ok;
    }

    private ResultCode SRegister(AtCommand command)
    {
        if (!int.TryParse(command.Name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int register))
            return ResultCode.Error;
        if (command.Form == AtCommandForm.Read)
        {
            int value = _sRegisters.TryGetValue(register, out int v) ? v : DefaultSRegister(register);
            return InfoOk(value.ToString("D3", CultureInfo.InvariantCulture));
        }
        if (!int.TryParse(command.Argument, NumberStyles.None, CultureInfo.InvariantCulture, out int set) || set > 255)
            return ResultCode.Error;
        _sRegisters[register] = set;
        return ResultCode.Ok;
    }

    // V.250 §6.2: S3 CR, S4 LF, S5 backspace, S7 connection timeout, S12 escape guard time in 1/50 s.
    private int DefaultSRegister(int register) => register switch
    {
        3 => 13,
        4 => 10,
        5 => 8,
        7 => 60,
        12 => (int)Math.Min(255, _options.GuardTime.TotalMilliseconds / 20),
        _ => 0,
    };

    private ResultCode DefineContext(string argument)
    {
        var parts = AtCommandParser.SplitArguments(argument);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int cid) || cid is < 1 or > 15)
            return ResultCode.Error;
        if (parts.Count == 1)
        {
            // 27.007 §10.1.1: +CGDCONT=<cid> alone undefines the context.
            _contexts.Remove(cid);
            return ResultCode.Ok;
        }
        string pdpType = parts[1].ToUpperInvariant();
        if (pdpType is not ("IP" or "IPV6" or "IPV4V6" or "NONIP"))
            return ResultCode.Error;
        string apn = parts.Count > 2 ? parts[2] : "";
        _contexts[cid] = new PdpContext(cid, pdpType, apn, [.. parts.Skip(3)]);
        Note($"context {cid}: {pdpType} \"{apn}\"");
        return ResultCode.Ok;
    }

    private string[] ActiveContextLines()
    {
        return [.. KnownCids().Select(cid => $"+CGACT: {cid},{(IsContextActive(cid) ? 1 : 0)}")];
    }

    private ResultCode SetFunctionality(string argument)
    {
        var parts = AtCommandParser.SplitArguments(argument);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int fun) || fun is not (0 or 1 or 4))
            return ResultCode.Error;
        int reset = 0;
        if (parts.Count > 1 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out reset) || reset > 1))
            return ResultCode.Error;
        if (reset == 1)
            return ResetAfterOk("AT+CFUN=" + argument);
        SetRadio(fun == 1);
        return ResultCode.Ok;
    }

    /// <summary>Answers OK, then resets as on power-up: the ready lines come after the boot delay.</summary>
    private ResultCode ResetAfterOk(string command)
    {
        Final(ResultCode.Ok);
        Restart("reset by " + command);
        return ResultCode.Pending;
    }
}
