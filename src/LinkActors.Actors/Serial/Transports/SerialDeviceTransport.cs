using LinkActors.Actors.Configuration;
using IoSerialPort = System.IO.Ports.SerialPort;
using Handshake = System.IO.Ports.Handshake;

namespace LinkActors.Actors.Serial.Transports;

/// <summary>A serial device or pty through System.IO.Ports.</summary>
internal sealed class SerialDeviceTransport : ILineTransport
{
    private readonly IoSerialPort _port;
    private readonly Stream _stream;

    private SerialDeviceTransport(IoSerialPort port, bool hasModemLines)
    {
        _port = port;
        _stream = port.BaseStream;
        HasModemLines = hasModemLines;
    }

    public bool HasModemLines { get; }

    public bool ReadBlocks => false;

    public bool CarrierDetect => _port.CDHolding;

    public static SerialDeviceTransport Open(string path, SerialPortSettings settings)
    {
        var port = new IoSerialPort(path, settings.Speed)
        {
            Handshake = settings.FlowControl switch
            {
                FlowControl.Crtscts => Handshake.RequestToSend,
                FlowControl.Xonxoff => Handshake.XOnXOff,
                _ => Handshake.None,
            },
            WriteTimeout = (int)settings.WriteTimeout.TotalMilliseconds,
            ReadTimeout = IoSerialPort.InfiniteTimeout,
            // Opened with DTR untouched by us: a pty has no modem lines and refuses the ioctl, which would fail Open.
            DtrEnable = false,
        };
        try
        {
            port.Open();
            var controlLinesWork = TryRaiseControlLines(port, settings.FlowControl);
            return new SerialDeviceTransport(port, hasModemLines: controlLinesWork && !settings.Local);
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation) => _stream.ReadAsync(buffer, cancellation);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation) => _stream.WriteAsync(data, cancellation);

    public void SetDtr(bool high) => _port.DtrEnable = high;

    public void Close()
    {
        try
        {
            // Unsent bytes would make Close wait for a drain that never ends once the other side is gone.
            _port.DiscardOutBuffer();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
        }
        _port.Close();
    }

    /// <summary>Raises DTR (and RTS unless flow control owns it), as an open tty normally has them; false on a pty.</summary>
    private static bool TryRaiseControlLines(IoSerialPort port, FlowControl flowControl)
    {
        try
        {
            port.DtrEnable = true;
            if (flowControl != FlowControl.Crtscts)
                port.RtsEnable = true;
            _ = port.CDHolding;
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
