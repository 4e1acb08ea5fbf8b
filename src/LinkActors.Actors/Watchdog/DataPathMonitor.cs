namespace LinkActors.Actors.Watchdog;

/// <summary>Why the data path is judged dead.</summary>
/// <param name="PacketsSent">Packets sent since the last one received (or since IPCP opened).</param>
/// <param name="PingsUnanswered">Echo requests to the ping target unanswered in a row.</param>
/// <param name="Silence">How long nothing has come back.</param>
/// <param name="Probe">The idle-link probe that went unanswered ("DNS query to 10.0.0.2"), when it decided; else null.</param>
public sealed record DataPathVerdict(long PacketsSent, int PingsUnanswered, TimeSpan Silence, string? Probe = null);

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
    private DateTimeOffset _lastSampleAt;
    private DateTimeOffset? _sendingSince;
    private string? _probeUnanswered;

    public DataPathMonitor(TimeSpan window, DateTimeOffset start)
    {
        if (window <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(window), window, "the window must be positive");
        _window = window;
        _lastReceivedAt = start;
        _lastAnsweredAt = start;
        _lastSampleAt = start;
    }

    /// <summary>How long nothing has been received: the idle-link probe goes out when this reaches its interval.</summary>
    public TimeSpan Idle(DateTimeOffset now) => now - _lastReceivedAt;

    /// <summary>The idle-link probe is due: nothing received for its whole interval (traffic that is answered proves the path for free).</summary>
    public bool ProbeDue(DateTimeOffset now, TimeSpan interval) => Idle(now) >= interval;

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
            _sendingSince = null;
            _probeUnanswered = null;
        }
        // The window runs from the first packet sent without an answer, not from the last one received: a
        // link idle for an hour that sends one packet has not been "sending without receiving" for an hour.
        // Sampled, so the sample before the sends first showed counts (the earlier bound, by at most one tick).
        if (packetsSent != _sentAtLastReceive && _sendingSince is null)
            _sendingSince = _lastSampleAt;
        _sent = packetsSent;
        _lastSampleAt = now;
    }

    /// <summary>
    /// The idle-link probe's outcome: an answer proves the path (as any packet received does); no answer after all
    /// its attempts, when nothing else has come back either, is a dead path. <paramref name="probe"/> names it.
    /// </summary>
    public void ObserveProbe(DateTimeOffset now, bool answered, string probe)
    {
        if (answered)
        {
            _lastReceivedAt = now;
            _sentAtLastReceive = _sent;
            _sendingSince = null;
            _probeUnanswered = null;
        }
        else
        {
            _probeUnanswered = probe;
        }
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
        if (_probeUnanswered is { } probe)
            return new DataPathVerdict(sentSince, _unanswered, now - _lastReceivedAt, probe);
        if (sentSince > 0 && _sendingSince is { } since && now - since >= _window)
            return new DataPathVerdict(sentSince, _unanswered, now - _lastReceivedAt);
        if (_unanswered > 0 && now - _lastAnsweredAt >= _window)
            return new DataPathVerdict(sentSince, _unanswered, now - _lastAnsweredAt);
        return null;
    }
}
