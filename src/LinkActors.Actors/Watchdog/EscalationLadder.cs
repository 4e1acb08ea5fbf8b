using LinkActors.Actors.Configuration;

namespace LinkActors.Actors.Watchdog;

/// <summary>
/// Which step to take against a failure: the first rung the first time, one rung higher each time the
/// same failure repeats, the top rung from then on. A different failure starts again at the foot, and
/// so does good service: a connection that stayed up <c>good-service-reset</c> long, or that long
/// without any failure. Pure: the failure history and the time come in, the step goes out.
/// </summary>
public sealed class EscalationLadder
{
    private readonly IReadOnlyList<EscalationStep> _steps;
    private readonly TimeSpan _goodServiceReset;
    private string? _lastCode;
    private DateTimeOffset? _lastFailureAt;

    public EscalationLadder(IReadOnlyList<EscalationStep> steps, TimeSpan goodServiceReset)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0)
            throw new ArgumentException("the ladder needs at least one step", nameof(steps));
        _steps = steps;
        _goodServiceReset = goodServiceReset;
    }

    /// <summary>How many times in a row the last failure has been seen.</summary>
    public int Repeats { get; private set; }

    /// <summary>
    /// Records a failure and gives the step to take. <paramref name="goodService"/> is how long the
    /// link carried traffic before this failure (zero when it never came up).
    /// </summary>
    public EscalationStep Next(string failureCode, DateTimeOffset now, TimeSpan goodService)
    {
        ArgumentException.ThrowIfNullOrEmpty(failureCode);
        bool rested = _lastFailureAt is { } last && now - last >= _goodServiceReset;
        if (goodService >= _goodServiceReset || rested || failureCode != _lastCode)
            Repeats = 0;
        _lastCode = failureCode;
        _lastFailureAt = now;
        Repeats++;
        return _steps[Math.Min(Repeats - 1, _steps.Count - 1)];
    }

    /// <summary>Forget the history (a person brought the link up again).</summary>
    public void Reset()
    {
        _lastCode = null;
        _lastFailureAt = null;
        Repeats = 0;
    }
}
