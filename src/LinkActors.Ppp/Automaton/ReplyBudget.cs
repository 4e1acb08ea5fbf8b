namespace LinkActors.Ppp.Automaton;

/// <summary>
/// How many packets of one kind a link may send (or take in) over time: a bucket of <see cref="Burst"/>
/// tokens, one more every <see cref="Every"/>, one spent per packet; none left means the packet is
/// dropped and counted. Pure: time comes in as an argument.
/// </summary>
/// <remarks>
/// RFC 1661 bounds what a side sends on its own initiative (Max-Configure Configure-Requests and
/// Max-Terminate Terminate-Requests per Restart interval, §4.6) but not what it sends in answer to the
/// peer: a peer that sends Configure-Requests, Terminate-Requests or Echo-Requests at line speed would
/// get an answer to each, and the answers would queue without bound behind a line busy with the storm.
/// <see cref="ForReplies"/> holds the answers to the same counters: a peer that keeps to the RFC's
/// pace is answered every time; a storm is answered at that pace, and the rest is dropped as a lost
/// packet would be (the peer's restart timer sends again).
/// </remarks>
public sealed class ReplyBudget
{
    private readonly TimeSpan _every;
    private double _tokens;
    private DateTimeOffset? _last;

    public ReplyBudget(int burst, TimeSpan every)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        if (every <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(every), every, "must be positive");
        Burst = burst;
        _every = every;
        _tokens = burst;
    }

    public int Burst { get; }

    public TimeSpan Every => _every;

    /// <summary>Packets allowed so far.</summary>
    public long Allowed { get; private set; }

    /// <summary>Packets refused (dropped) so far.</summary>
    public long Dropped { get; private set; }

    /// <summary>The most a budget allows in <paramref name="span"/>: the burst, and one per <see cref="Every"/>.</summary>
    public long MaxWithin(TimeSpan span) => Burst + (long)Math.Floor(span / _every);

    /// <summary>Spends a token if there is one at <paramref name="now"/>; false (and counted) when the packet must be dropped.</summary>
    public bool TryTake(DateTimeOffset now)
    {
        if (_last is { } last && now > last)
            _tokens = Math.Min(Burst, _tokens + (now - last) / _every);
        if (_last is null || now > _last)
            _last = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            Allowed++;
            return true;
        }
        Dropped++;
        return false;
    }

    /// <summary>
    /// The budget for one kind of answer of a control protocol, from its RFC 1661 §4.6 counters:
    /// answers to Configure-Requests (Ack, Nak, Reject) and Code-Rejects and Echo-Replies at Max-Configure
    /// per Restart interval, Terminate-Acks at Max-Terminate per Restart interval (the pace at which an
    /// RFC peer sends the requests they answer).
    /// </summary>
    public static ReplyBudget ForReplies(ControlEngineSettings settings, byte answeredCode)
    {
        ArgumentNullException.ThrowIfNull(settings);
        int count = answeredCode == TerminateRequest ? settings.MaxTerminate : settings.MaxConfigure;
        return new ReplyBudget(count, settings.RestartInterval / count);
    }

    /// <summary>
    /// Control frames (LCP, authentication, NCPs) a link takes in from the line: more than a negotiation
    /// ever needs (a few dozen frames), far fewer than a storm brings. Beyond it, frames are dropped
    /// before they reach the protocol actors, so that their mailboxes stay bounded.
    /// </summary>
    public static ReplyBudget ForInboundControl() => new(InboundControlBurst, TimeSpan.FromSeconds(1.0 / InboundControlPerSecond));

    public const int InboundControlBurst = 200;
    public const int InboundControlPerSecond = 200;

    private const byte TerminateRequest = 5;
}
