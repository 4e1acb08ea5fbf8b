using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace LinkActors.Host.Management.Systemd;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram per state change to the unix socket in $NOTIFY_SOCKET
/// ("@name" is an abstract socket). The watchdog interval is half of $WATCHDOG_USEC when
/// $WATCHDOG_PID is unset or names this process.
/// </summary>
public sealed class SystemdNotify : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _target;

    public SystemdNotify(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        _target = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
    }

    /// <summary>The notifier systemd asked for, or null when not started by systemd with Type=notify.</summary>
    public static SystemdNotify? FromEnvironment() =>
        Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 } path ? new SystemdNotify(path) : null;

    /// <summary>How often to send WATCHDOG=1: half the interval systemd set, or null when it set none.</summary>
    public static TimeSpan? WatchdogIntervalFromEnvironment()
    {
        if (!long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out long usec) || usec <= 0)
            return null;
        if (Environment.GetEnvironmentVariable("WATCHDOG_PID") is { Length: > 0 } pid
            && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            return null;
        return TimeSpan.FromMicroseconds(usec / 2.0);
    }

    /// <summary>Sends "KEY=value" lines; false when the socket refused them (systemd gone), which is not fatal.</summary>
    public bool Send(string state)
    {
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _target);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
