using LinkActors.Actors.Configuration;
using LinkActors.Linux.Tty;

namespace LinkActors.Actors.Serial.Transports;

/// <summary>
/// A pseudo-terminal as the line (<see cref="PtyLine"/>: raw read(2)/write(2), no System.IO.Ports). A pty
/// has no speed, no modem lines and no hardware flow control; its reads block their caller in poll(2),
/// so the port actor reads it from a thread of its own (<see cref="ReadBlocks"/>).
/// </summary>
internal sealed class PtyTransport : ILineTransport
{
    private readonly PtyLine _line;

    private PtyTransport(PtyLine line) => _line = line;

    public bool HasModemLines => false;

    public bool ReadBlocks => true;

    public bool CarrierDetect => throw new NotSupportedException("A pty has no DCD.");

    /// <summary>Whether <paramref name="path"/> is (a link to) the slave side of a Unix 98 pty, /dev/pts/N.</summary>
    public static bool IsPseudoTerminal(string path) => PtyLine.IsPseudoTerminal(path);

    /// <summary>Opens the pty; of the settings only XON/XOFF means anything to it.</summary>
    public static PtyTransport Open(string path, SerialPortSettings settings) =>
        new(PtyLine.Open(path, xonxoff: settings.FlowControl == FlowControl.Xonxoff));

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation) => _line.ReadAsync(buffer, cancellation);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation) => _line.WriteAsync(data, cancellation);

    public void SetDtr(bool high) => throw new NotSupportedException("A pty has no DTR.");

    public void Close() => _line.Close();
}
