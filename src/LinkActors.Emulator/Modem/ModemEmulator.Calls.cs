using System.Globalization;
using System.Text.RegularExpressions;
using LinkActors.Emulator.Bridge;

namespace LinkActors.Emulator.Modem;

/// <summary>Dialling, the data path, the <c>+++</c> escape, and the end of a call.</summary>
public sealed partial class ModemEmulator
{
    private const byte Plus = (byte)'+';

    // Most octets held for the client while the call sits in online command mode; beyond this a real
    // modem's buffer overflows too.
    private const int MaxHeldForClient = 64 * 1024;

    private readonly List<byte[]> _heldForClient = [];
    private readonly List<Task> _closingCalls = [];
    private DataCall? _call;
    private int _callEpoch;
    private int _heldBytes;
    private long _lastDataAt;
    private int _pluses;
    private int _escapeEpoch;

    /// <summary>*99# (27.007 §10.2.1.1, GPRS/EPS dialling), with an optional ***cid.</summary>
    [GeneratedRegex(@"^[TP]?\*99(?:\*\*\*(?<cid>\d{1,2}))?#$")]
    private static partial Regex PacketDialString();

    /// <summary>Ends the current call as if the network had: NO CARRIER, command mode.</summary>
    public void DropCarrier(string reason = "carrier dropped") => Locked(() =>
    {
        if (_call is not null || _mode == ModemMode.Dialing)
            EndCall(reason, noCarrier: true);
    });

    private ResultCode Dial(string dialString)
    {
        var match = PacketDialString().Match(dialString);
        if (!match.Success)
        {
            // Voice and circuit-switched data are not offered: a real module answers NO CARRIER too.
            return ResultCode.NoCarrier;
        }
        if (_mode == ModemMode.OnlineCommand)
            return ResultCode.Error;
        int cid = 1;
        if (match.Groups["cid"].Success)
        {
            cid = int.Parse(match.Groups["cid"].Value, CultureInfo.InvariantCulture);
            if (!_contexts.ContainsKey(cid))
                return ResultCode.Error;
        }
        if (!IsRegistered)
        {
            Note($"dial refused: registration {_registration}");
            return ResultCode.NoCarrier;
        }

        int epoch = ++_callEpoch;
        SetMode(ModemMode.Dialing);
        PppServerConnector connector = _options.Server ?? PppServers.Discard;
        _ = Task.Run(() => ConnectAsync(epoch, cid, connector));
        return ResultCode.Pending;
    }

    private async Task ConnectAsync(int epoch, int cid, PppServerConnector connector)
    {
        IPppServerConnection? server = null;
        string? failure = null;
        try
        {
            await Task.Delay(_options.ConnectDelay, _time, _lifetime.Token).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
            timeout.CancelAfter(_options.ServerConnectTimeout);
            server = await connector(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            failure = e.Message;
        }

        DataCall? call = null;
        Locked(() =>
        {
            if (epoch != _callEpoch || _mode != ModemMode.Dialing)
                return;
            if (server is null)
            {
                Note("server refused the call: " + failure);
                SetMode(ModemMode.Command);
                Final(ResultCode.NoCarrier);
                return;
            }
            call = new DataCall(cid, server, Faults, _traffic, _time,
                unchecked(_options.Seed + (2 * (int)Interlocked.Increment(ref _calls))),
                DeliverToClient, OnCallEnded);
            _call = call;
            _lastCallCid = cid;
            _pluses = 0;
            _lastDataAt = _time.GetTimestamp();
            Final(ResultCode.Connect);
            SetMode(ModemMode.Data);
            call.Start();
            Note($"connected, context {cid}");
            Raise(() => Connected?.Invoke(this, EventArgs.Empty));
        });
        if (call is null && server is not null)
        {
            // The dial was abandoned (reset, carrier dropped, disposed) while the server was connecting.
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ResultCode HangUp()
    {
        if (_call is not null)
            EndCall("ATH", noCarrier: false);
        return ResultCode.Ok;
    }

    private ResultCode ReturnOnline()
    {
        if (_call is null || _mode != ModemMode.OnlineCommand)
            return ResultCode.NoCarrier;
        Final(ResultCode.Connect);
        SetMode(ModemMode.Data);
        _lastDataAt = _time.GetTimestamp();
        foreach (byte[] held in _heldForClient)
            SendData(held);
        _heldForClient.Clear();
        _heldBytes = 0;
        return ResultCode.Pending;
    }

    /// <summary>
    /// Octets from the client in data mode. <c>+++</c> escapes only with a guard time of silence before the
    /// first '+' and after the third (V.250 §6.3, S12), so the same octets inside PPP traffic pass. The
    /// pluses are held until it is clear which they are.
    /// </summary>
    private void ReceiveData(ReadOnlySpan<byte> data, long now)
    {
        if (_call is null)
            return;
        bool quietBefore = _time.GetElapsedTime(_lastDataAt, now) >= _options.GuardTime;
        _lastDataAt = now;
        _escapeEpoch++;
        var forward = new List<byte>(data.Length + 3);
        for (int i = 0; i < data.Length; i++)
        {
            byte octet = data[i];
            bool silenceBefore = i == 0 && quietBefore;
            if (octet == Plus && _pluses is 1 or 2 && !silenceBefore)
            {
                _pluses++;
                continue;
            }
            if (_pluses > 0)
            {
                forward.AddRange(Enumerable.Repeat(Plus, _pluses));
                _pluses = 0;
            }
            if (octet == Plus && silenceBefore)
            {
                _pluses = 1;
                continue;
            }
            forward.Add(octet);
        }
        if (forward.Count > 0)
            _call.FromClient([.. forward]);
        if (_pluses == 3)
        {
            int epoch = _escapeEpoch;
            DataCall call = _call;
            After(_options.GuardTime, () =>
            {
                if (epoch != _escapeEpoch || _pluses != 3 || _call != call || _mode != ModemMode.Data)
                    return;
                _pluses = 0;
                SetMode(ModemMode.OnlineCommand);
                Note("escaped to online command mode");
                Final(ResultCode.Ok);
            });
        }
    }

    private void DeliverToClient(DataCall call, ReadOnlyMemory<byte> data)
    {
        byte[] copy = data.ToArray();
        Locked(() =>
        {
            if (call != _call || _hung)
                return;
            if (_mode == ModemMode.Data)
            {
                SendData(copy);
            }
            else if (_heldBytes + copy.Length <= MaxHeldForClient)
            {
                _heldForClient.Add(copy);
                _heldBytes += copy.Length;
            }
        });
    }

    private void SendData(byte[] data)
    {
        if (_hung)
            return;
        Send(data);
        _traffic.AddToClient(data.Length);
    }

    private void OnCallEnded(DataCall call, string reason) => Locked(() =>
    {
        if (call == _call)
            EndCall(reason, noCarrier: true);
    });

    /// <summary>Stops bridging and closes the server side. Caller holds the lock.</summary>
    private void EndCall(string reason, bool noCarrier)
    {
        DataCall? call = _call;
        _call = null;
        _callEpoch++;
        _pluses = 0;
        _heldForClient.Clear();
        _heldBytes = 0;
        if (_mode is ModemMode.Data or ModemMode.OnlineCommand or ModemMode.Dialing)
            SetMode(ModemMode.Command);
        if (noCarrier)
            Final(ResultCode.NoCarrier);
        Note("call ended: " + reason);
        if (call is not null)
        {
            Task closing = Task.Run(async () => await call.DisposeAsync().ConfigureAwait(false));
            lock (_closingCalls)
            {
                _closingCalls.RemoveAll(t => t.IsCompleted);
                _closingCalls.Add(closing);
            }
        }
        Raise(() => CarrierDropped?.Invoke(this, new CarrierLostEventArgs(reason)));
    }
}
