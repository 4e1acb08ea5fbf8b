namespace LinkActors.Actors.Watchdog;

/// <summary>Why the data path is judged dead.</summary>
/// <param name="PacketsSent">Packets sent since the last one received (or since IPCP opened).</param>
/// <param name="PingsUnanswered">Echo requests to the ping target unanswered in a row.</param>
/// <param name="Silence">How long nothing has come back.</param>
public sealed record DataPathVerdict(long PacketsSent, int PingsUnanswered, TimeSpan Silence);

/// <summary>
/// Judges whether IP is really flowing once IPCP is Opened, the way a person reads "Sent 3152 bytes,
/// received 0 bytes": packets go out but nothing comes back for a whole window, or the ping target
/// stops answering for that long. LCP echo cannot tell (a modem may answer it itself). Pure: counters,
/// ping results and the time come in; a verdict goes out.
/// </summary>
public sealed class DataPathMonitor
{
    private readonly TimeSpan _window;
    private DateTimeOffset _lastReceivedAt;
    private long _lastReceived;
    private long _sentAtLastReceive;
    private long _sent;
    private bool _haveCounters;
    private DateTimeOffset _lastAnsweredAt;
    private int _unanswered;

    public DataPathMonitor(TimeSpan window, DateTimeOffset start)
    {
        if (window <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(window), window, "the window must be positive");
        _window = window;
        _lastReceivedAt = start;
        _lastAnsweredAt = start;
    }

    /// <summary>The network side's totals of IP packets sent and received.</summary>
    public void ObserveCounters(DateTimeOffset now, long packetsSent, long packetsReceived)
    {
        if (!_haveCounters)
        {
            // The first sample is the baseline: what came before the watch started does not count.
            _haveCounters = true;
            _lastReceived = packetsReceived;
            _sentAtLastReceive = packetsSent;
        }
        else if (packetsReceived != _lastReceived)
        {
            _lastReceived = packetsReceived;
            _lastReceivedAt = now;
            _sentAtLastReceive = packetsSent;
        }
        _sent = packetsSent;
    }

    public void ObservePing(DateTimeOffset now, bool answered)
    {
        if (answered)
        {
            _unanswered = 0;
            _lastAnsweredAt = now;
        }
        else
        {
            _unanswered++;
        }
    }

    /// <summary>A verdict when the data path is dead now, else null.</summary>
    public DataPathVerdict? Check(DateTimeOffset now)
    {
        long sentSince = _haveCounters ? _sent - _sentAtLastReceive : 0;
        if (sentSince > 0 && now - _lastReceivedAt >= _window)
            return new DataPathVerdict(sentSince, _unanswered, now - _lastReceivedAt);
        if (_unanswered > 0 && now - _lastAnsweredAt >= _window)
            return new DataPathVerdict(sentSince, _unanswered, now - _lastAnsweredAt);
        return null;
    }
}
