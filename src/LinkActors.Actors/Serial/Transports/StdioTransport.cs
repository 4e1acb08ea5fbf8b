namespace LinkActors.Actors.Serial.Transports;

/// <summary>Our stdin and stdout as the line; end of stdin is the line vanishing.</summary>
internal sealed class StdioTransport : ILineTransport
{
    private readonly Stream _input = Console.OpenStandardInput();
    private readonly Stream _output = Console.OpenStandardOutput();

    public bool HasModemLines => false;

    public bool ReadBlocks => false;

    public bool CarrierDetect => throw new NotSupportedException("stdio has no DCD.");

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation) => _input.ReadAsync(buffer, cancellation);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        await _output.WriteAsync(data, cancellation).ConfigureAwait(false);
        await _output.FlushAsync(cancellation).ConfigureAwait(false);
    }

    public void SetDtr(bool high) => throw new NotSupportedException("stdio has no DTR.");

    public void Close()
    {
        _input.Dispose();
        _output.Dispose();
    }
}
