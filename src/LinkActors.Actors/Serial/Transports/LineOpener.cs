using LinkActors.Linux.Locking;

namespace LinkActors.Actors.Serial.Transports;

/// <summary>An open line and the lock that guards it (none for TCP and stdio).</summary>
internal sealed record OpenLine(ILineTransport Transport, UucpLock? Lock)
{
    /// <summary>Closes the line and only then drops the lock, so that nobody opens a device we still hold.</summary>
    public void CloseAndUnlock()
    {
        try
        {
            Transport.Close();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or UnauthorizedAccessException)
        {
            // The line is gone either way.
        }
        finally
        {
            Lock?.Dispose();
        }
    }
}

internal static class LineOpener
{
    /// <summary>Locks (for a device) and opens the line; runs off the actor thread, since opening a tty can block.</summary>
    public static async Task<OpenLine> OpenAsync(SerialPortSettings settings, CancellationToken cancellation)
    {
        switch (settings.Device)
        {
            case LineDevice.Serial serial:
                var deviceLock = settings.Lock ? UucpLock.Acquire(serial.Path, settings.LockDirectory) : null;
                try
                {
                    // A pty has none of a serial port's speed, flow control or modem lines: it is read and
                    // written directly. Everything else goes through System.IO.Ports.
                    ILineTransport transport = PtyTransport.IsPseudoTerminal(serial.Path)
                        ? PtyTransport.Open(serial.Path, settings)
                        : SerialDeviceTransport.Open(serial.Path, settings);
                    return new OpenLine(transport, deviceLock);
                }
                catch
                {
                    deviceLock?.Dispose();
                    throw;
                }
            case LineDevice.Tcp tcp:
                return new OpenLine(tcp.Host.Length == 0
                    ? await TcpTransport.AcceptAsync(tcp.Port, cancellation).ConfigureAwait(false)
                    : await TcpTransport.ConnectAsync(tcp.Host, tcp.Port, settings.ConnectTimeout, cancellation).ConfigureAwait(false), null);
            case LineDevice.Stdio:
                return new OpenLine(new StdioTransport(), null);
            default:
                throw new NotSupportedException($"Unknown device kind {settings.Device}.");
        }
    }
}
