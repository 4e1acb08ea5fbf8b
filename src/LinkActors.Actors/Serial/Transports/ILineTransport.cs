namespace LinkActors.Actors.Serial.Transports;

/// <summary>One open line, whatever carries it. Only <see cref="Close"/> may block, and it is never called on the actor's thread.</summary>
internal interface ILineTransport
{
    /// <summary>Whether DCD can be read and DTR set (a real serial device in `modem` mode).</summary>
    bool HasModemLines { get; }

    /// <summary>
    /// <see cref="ReadAsync"/> blocks its caller until bytes come (a pty waits in poll(2)), so it is read
    /// from a thread of its own rather than from the thread pool.
    /// </summary>
    bool ReadBlocks { get; }

    /// <summary>Reads what is there; 0 means the other end is gone for good.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation);

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation);

    /// <summary>DCD; only when <see cref="HasModemLines"/>.</summary>
    bool CarrierDetect { get; }

    /// <summary>Sets DTR; only when <see cref="HasModemLines"/>.</summary>
    void SetDtr(bool high);

    /// <summary>Closes the line; may block for seconds on a serial port whose other side vanished.</summary>
    void Close();
}
