using System.Buffers;
using System.Globalization;
using LinkActors.Ppp.Cmux;

namespace LinkActors.Emulator.Modem;

/// <summary>
/// The modem's side of a 3GPP TS 27.010 multiplexer (basic option, UIH only), after AT+CMUX: it answers
/// SABM/DISC, MSC, Test and CLD on DLCI 0, runs AT commands on DLCI 1 whatever the call is doing, and
/// carries the usual line (commands, dialing, the call's data) on DLCI 2, whose MSC DV bit is the carrier.
/// Caller holds the lock in every method here.
/// </summary>
public sealed partial class ModemEmulator
{
    private const int AtDlci = 1;
    private const int DataDlci = 2;
    private readonly HashSet<int> _muxOpen = [];
    private readonly ArrayBufferWriter<byte> _dataIn = new();
    private CmuxDecoder? _mux;
    private int _muxN1 = Cmux.DefaultN1;
    private int? _cmuxAccepted;
    private int _outputDlci = DataDlci;

    /// <summary>Whether the line is multiplexed (AT+CMUX accepted, until CLD).</summary>
    public bool Multiplexed
    {
        get
        {
            lock (_gate)
                return _mux is not null;
        }
    }

    /// <summary>AT+CMUX=&lt;mode&gt;[,&lt;subset&gt;[,&lt;port speed&gt;[,&lt;N1&gt;...]]] (27.007 §5.7): basic option, UIH only.</summary>
    private ResultCode StartCmux(string argument)
    {
        if (!_profile.SupportsCmux || _mux is not null)
            return ResultCode.Error;
        var fields = argument.Split(',');
        if (fields[0].Trim() != "0" || (fields.Length > 1 && fields[1].Trim() is not ("" or "0")))
            return ResultCode.Error;
        int n1 = Cmux.DefaultN1;
        if (fields.Length > 3 && fields[3].Trim().Length > 0
            && (!int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out n1) || n1 is < 1 or > Cmux.MaxN1))
            return ResultCode.Error;
        _cmuxAccepted = n1;
        Note($"AT+CMUX accepted: basic option, N1 {n1}");
        return ResultCode.Ok;
    }

    /// <summary>After OK to AT+CMUX has gone out as plain text, the line speaks frames.</summary>
    private void EnterCmuxIfAccepted()
    {
        if (_cmuxAccepted is not { } n1)
            return;
        _cmuxAccepted = null;
        _muxN1 = n1;
        _mux = new CmuxDecoder(n1);
        _muxOpen.Clear();
        _outputDlci = DataDlci;
    }

    /// <summary>Sends what the modem said: as UIH frames on the channel it belongs to when multiplexed.</summary>
    private void FlushOutput()
    {
        if (_output.WrittenCount == 0)
            return;
        byte[] bytes = _mux is not null
            // §5.2.1.2: we are the responder: C/R clear on our commands (UIH).
            ? CmuxEncoder.EncodeData(_outputDlci, false, _output.WrittenSpan, _muxN1)
            : _output.WrittenSpan.ToArray();
        _output.ResetWrittenCount();
        _pty?.Write(bytes);
    }

    private void ReceiveMultiplexed(byte[] data, long now)
    {
        foreach (var frame in _mux!.Decode(data))
        {
            if (_mux is null)
                return;   // CLD or DISC of DLCI 0 ended the mux inside this chunk
            if (frame.Dlci != DataDlci || frame.Type is not (CmuxFrameType.Uih or CmuxFrameType.Ui))
                FlushDataIn(now);
            switch (frame.Type)
            {
                case CmuxFrameType.Sabm:
                    _muxOpen.Add(frame.Dlci);
                    SendMuxFrame(frame.Dlci, CmuxFrameType.Ua);
                    if (frame.Dlci is AtDlci or DataDlci)
                        SendChannelStatus(frame.Dlci);
                    break;
                case CmuxFrameType.Disc:
                    SendMuxFrame(frame.Dlci, CmuxFrameType.Ua);
                    _muxOpen.Remove(frame.Dlci);
                    if (frame.Dlci == Cmux.ControlDlci)
                        LeaveCmux("DISC on the control channel");
                    break;
                case CmuxFrameType.Uih or CmuxFrameType.Ui when !_muxOpen.Contains(frame.Dlci):
                    SendMuxFrame(frame.Dlci, CmuxFrameType.Dm);
                    break;
                case CmuxFrameType.Uih or CmuxFrameType.Ui when frame.Dlci == Cmux.ControlDlci:
                    ReceiveControl(frame.Information.Span);
                    break;
                case CmuxFrameType.Uih or CmuxFrameType.Ui when frame.Dlci == AtDlci:
                    ReceiveAtChannel(frame.Information.Span);
                    break;
                case CmuxFrameType.Uih or CmuxFrameType.Ui when frame.Dlci == DataDlci:
                    // Consecutive data frames are handed to the line as one read, as a plain line's read would be.
                    _dataIn.Write(frame.Information.Span);
                    break;
            }
        }
        FlushDataIn(now);
    }

    private void FlushDataIn(long now)
    {
        if (_dataIn.WrittenCount == 0)
            return;
        byte[] data = _dataIn.WrittenSpan.ToArray();
        _dataIn.ResetWrittenCount();
        ReceiveLine(data, now);
    }

    /// <summary>DLCI 1: AT commands, answered even while the data channel carries a call.</summary>
    private void ReceiveAtChannel(ReadOnlySpan<byte> data)
    {
        if (_hung || _mode is ModemMode.Booting)
            return;
        FlushOutput();
        _outputDlci = AtDlci;
        foreach (byte octet in data)
            ReceiveCommandOctet(octet);
        FlushOutput();
        _outputDlci = DataDlci;
    }

    private void ReceiveControl(ReadOnlySpan<byte> information)
    {
        while (CmuxControlMessage.TryDecode(information, out var message, out int consumed))
        {
            information = information[consumed..];
            if (!message!.IsCommand)
                continue;
            if (message.RawType != (byte)message.Type)
            {
                SendControl(CmuxControlMessage.NotSupported((byte)(message.RawType | Cmux.CommandResponseBit)));
                continue;
            }
            SendControl(message with { IsCommand = false });
            if (message.Type == CmuxMessageType.Cld)
            {
                LeaveCmux("CLD");
                return;
            }
        }
    }

    /// <summary>§5.8.2: back to plain AT commands on the line; a call on the data channel ends with it.</summary>
    private void LeaveCmux(string reason)
    {
        FlushOutput();
        _mux = null;
        _muxOpen.Clear();
        Note($"multiplexer closed ({reason})");
        if (_call is not null || _mode == ModemMode.Dialing)
            EndCall("multiplexer closed", noCarrier: false);
    }

    /// <summary>MSC for the data channel: DV follows the call (27.010 §5.4.6.3.7).</summary>
    private void SendDataChannelStatus()
    {
        if (_mux is not null && _muxOpen.Contains(DataDlci))
            SendChannelStatus(DataDlci);
    }

    private void SendChannelStatus(int dlci)
    {
        var signals = V24Signals.ReadyToCommunicate | V24Signals.ReadyToReceive;
        if (dlci == DataDlci && _mode == ModemMode.Data)
            signals |= V24Signals.DataValid;
        SendControl(CmuxControlMessage.ModemStatus(dlci, signals, isCommand: true));
    }

    private void SendControl(CmuxControlMessage message)
    {
        FlushOutput();
        _pty?.Write(CmuxEncoder.Encode(Cmux.ControlDlci, false, CmuxFrameType.Uih, false, message.Encode()));
    }

    private void SendMuxFrame(int dlci, CmuxFrameType type)
    {
        FlushOutput();
        // §5.2.1.2 table 1: the responder's responses carry C/R set.
        _pty?.Write(CmuxEncoder.Encode(dlci, true, type, true, []));
    }
}
