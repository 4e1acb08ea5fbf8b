namespace LinkActors.Host.Fleet;

/// <summary>
/// Bytes spent on reports over the last 24 hours (a sliding window of what each report cost on the
/// wire), and when the next report of a given size fits. Time comes in as an argument.
/// </summary>
public sealed class ReportBudget(long bytesPerDay)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);
    private readonly Queue<(DateTimeOffset At, long Bytes)> _spent = new();
    private long _total;

    public long BytesPerDay { get; } = bytesPerDay;

    /// <summary>
    /// What the next report is expected to cost: the largest one of the last 24 hours (at least 600 bytes). Not the
    /// last one: a report on a resumed TLS session is cheaper than one that needs a full handshake (the session
    /// ticket expired, say), and the budget must hold for the dearer one.
    /// </summary>
    public long Estimate
    {
        get
        {
            long largest = 600;
            foreach (var (_, bytes) in _spent)
                largest = Math.Max(largest, bytes);
            return largest;
        }
    }

    public void Spend(DateTimeOffset at, long bytes)
    {
        if (bytes <= 0)
            return;
        _spent.Enqueue((at, bytes));
        _total += bytes;
    }

    public long Spent(DateTimeOffset now)
    {
        while (_spent.Count > 0 && _spent.Peek().At <= now - Window)
            _total -= _spent.Dequeue().Bytes;
        return _total;
    }

    /// <summary>The earliest time a report of <paramref name="cost"/> bytes fits within the budget (plus <paramref name="extra"/>).</summary>
    public DateTimeOffset NextFit(DateTimeOffset now, long cost, long extra = 0)
    {
        long allowed = BytesPerDay + extra;
        long spent = Spent(now);
        if (spent + cost <= allowed)
            return now;
        foreach (var (at, bytes) in _spent)
        {
            spent -= bytes;
            if (spent + cost <= allowed)
                return at + Window;
        }
        return now + Window;
    }
}
