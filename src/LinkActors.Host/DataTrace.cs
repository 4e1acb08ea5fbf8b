using Akka.Event;

namespace LinkActors.Host;

/// <summary>
/// The per-packet trace of IP data ("sent [IP data ...]"), which --debug prints for every packet, held back
/// for a while: the demo's bulk transfer would otherwise bury the negotiation trace under thousands of
/// lines. Lines already queued are written before hiding starts and counted once it ends (the log
/// barrier waits for them), so nothing before or after the quiet stretch is lost.
/// </summary>
public sealed class DataTrace
{
    private volatile bool _hidden;
    private long _hiddenLines;

    /// <summary>Whether the logger drops this event (and counts it).</summary>
    internal bool Drops(Serilog.Events.LogEvent logEvent)
    {
        if (!_hidden)
            return false;
        string text = logEvent.RenderMessage();
        if (!text.Contains("sent [IP", StringComparison.Ordinal) && !text.Contains("rcvd [IP", StringComparison.Ordinal))
            return false;
        Interlocked.Increment(ref _hiddenLines);
        return true;
    }

    /// <summary>From now on, IP data lines are counted instead of written; <paramref name="why"/> is logged first.</summary>
    public async Task HideAsync(LogBarrier barrier, ILoggingAdapter log, string why)
    {
        ArgumentNullException.ThrowIfNull(barrier);
        await barrier.LogAndFlushAsync(log, why, LinkHost.LogFlushTimeout).ConfigureAwait(false);
        Interlocked.Exchange(ref _hiddenLines, 0);
        _hidden = true;
    }

    /// <summary>IP data lines are written again; returns how many were held back.</summary>
    public async Task<long> ShowAsync(LogBarrier barrier, ILoggingAdapter log)
    {
        ArgumentNullException.ThrowIfNull(barrier);
        await barrier.LogAndFlushAsync(log, "IP data trace shown again", LinkHost.LogFlushTimeout).ConfigureAwait(false);
        _hidden = false;
        return Interlocked.Read(ref _hiddenLines);
    }
}
