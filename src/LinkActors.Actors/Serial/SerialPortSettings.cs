using LinkActors.Actors.Configuration;

namespace LinkActors.Actors.Serial;

/// <summary>How <see cref="SerialPortActor"/> opens and watches its line.</summary>
public sealed record SerialPortSettings(LineDevice Device)
{
    public int Speed { get; init; } = 115200;

    public FlowControl FlowControl { get; init; } = FlowControl.None;

    /// <summary>pppd `local`: ignore DCD and leave DTR alone. false is pppd `modem`.</summary>
    public bool Local { get; init; } = true;

    /// <summary>Take a UUCP lock for a device path.</summary>
    public bool Lock { get; init; } = true;

    public string LockDirectory { get; init; } = "/var/lock";

    /// <summary>Writes waiting behind the one in flight before <see cref="SerialPort.CommandFailed"/>.</summary>
    public int MaxQueuedWrites { get; init; } = 64;

    /// <summary>A write not done by then fails (flow control holding us off, a wedged device).</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often DCD is sampled on a modem line.</summary>
    public TimeSpan CarrierPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long DTR stays low on <see cref="SerialPort.HangUp"/> (pppd holds it for one second).</summary>
    public TimeSpan HangUpHold { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long <see cref="SerialPort.Close"/> waits for the OS close before reporting Closed anyway.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most one read takes: enough for everything a fast line (a pty, TCP) has queued between two reads.</summary>
    public int ReadBufferSize { get; init; } = 64 * 1024;

    /// <summary>The line part of a link's configuration.</summary>
    public static SerialPortSettings FromLink(LinkSettings link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return new SerialPortSettings(LineDevice.Parse(link.Device))
        {
            Speed = link.Speed,
            FlowControl = link.FlowControl,
            Local = link.Local,
            Lock = link.Lock,
            LockDirectory = link.LockDirectory,
        };
    }
}
