using System.Threading.Channels;

namespace LinkActors.Emulator.DataPath;

/// <summary>
/// Delivers one direction of the data path in order, after the extra latency and no faster than the line
/// rate currently set (ten bit times per octet, as for 8N1). Both are read per chunk, so a fault applied
/// mid-call takes effect on the next chunk.
/// </summary>
internal sealed class DataPump : IAsyncDisposable
{
    // Pacing granularity: a slice is what the line carries in this long, so a slow line trickles octets
    // out as a real one does instead of releasing a whole chunk late.
    private const int SlicesPerSecond = 50;

    private readonly Channel<(byte[] Data, long Arrived)> _queue =
        Channel.CreateUnbounded<(byte[], long)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _sink;
    private readonly Func<TimeSpan> _latency;
    private readonly Func<int> _baud;
    private readonly Action<Exception> _onFailed;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _lineFreeAt;

    public DataPump(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink, Func<TimeSpan> latency,
        Func<int> baud, TimeProvider time, Action<Exception> onFailed)
    {
        _sink = sink;
        _latency = latency;
        _baud = baud;
        _time = time;
        _onFailed = onFailed;
        _loop = Task.Run(RunAsync);
    }

    public void Enqueue(byte[] data)
    {
        if (data.Length > 0)
            _queue.Writer.TryWrite((data, _time.GetTimestamp()));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        CancellationToken ct = _stop.Token;
        try
        {
            await foreach (var (data, arrived) in _queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await WaitUntilAsync(arrived + ToTimestamp(_latency()), ct).ConfigureAwait(false);
                int baud = _baud();
                if (baud <= 0)
                {
                    await _sink(data, ct).ConfigureAwait(false);
                    continue;
                }
                int slice = Math.Max(1, baud / 10 / SlicesPerSecond);
                for (int offset = 0; offset < data.Length; offset += slice)
                {
                    int length = Math.Min(slice, data.Length - offset);
                    long start = Math.Max(_time.GetTimestamp(), _lineFreeAt);
                    long end = start + (length * 10 * _time.TimestampFrequency / baud);
                    // An octet reaches the far end once all its bits have crossed the line.
                    await WaitUntilAsync(end, ct).ConfigureAwait(false);
                    _lineFreeAt = end;
                    await _sink(data.AsMemory(offset, length), ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _onFailed(e);
        }
    }

    private async Task WaitUntilAsync(long timestamp, CancellationToken ct)
    {
        long now = _time.GetTimestamp();
        if (timestamp > now)
            await Task.Delay(_time.GetElapsedTime(now, timestamp), _time, ct).ConfigureAwait(false);
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
