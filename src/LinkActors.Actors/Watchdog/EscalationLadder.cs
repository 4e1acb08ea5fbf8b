using LinkActors.Actors.Configuration;

namespace LinkActors.Actors.Watchdog;

/// <summary>
/// Which step to take against a failure: the first rung the first time, one rung higher each time the
/// same failure repeats, the top rung from then on. A different failure starts again at the foot, and
/// so does good service: a connection that stayed up <c>good-service-reset</c> long, or that long
/// without any failure. Bounded: at most <c>max-resets-per-hour</c> modem resets or power cycles in
/// any hour (beyond that it redials and says it is holding back), and a growing pause between steps.
/// Carrier loss (the modem hung up) is not a failure of the data path: it is redialed and leaves the
/// ladder where it was. Pure: the failure history and the time come in, the step goes out.
/// </summary>
public sealed class EscalationLadder
{
    /// <summary>The failure code of carrier loss: never climbs the ladder.</summary>
    public const string CarrierLossCode = "hangup";

    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly IReadOnlyList<EscalationStep> _steps;
    private readonly TimeSpan _goodServiceReset;
    private readonly int _maxResetsPerHour;
    private readonly Queue<DateTimeOffset> _resets = new();
    private string? _lastCode;
    private DateTimeOffset? _lastFailureAt;

    public EscalationLadder(IReadOnlyList<EscalationStep> steps, TimeSpan goodServiceReset, int maxResetsPerHour = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0)
            throw new ArgumentException("the ladder needs at least one step", nameof(steps));
        ArgumentOutOfRangeException.ThrowIfNegative(maxResetsPerHour);
        _steps = steps;
        _goodServiceReset = goodServiceReset;
        _maxResetsPerHour = maxResetsPerHour;
    }

    /// <summary>How many times in a row the last failure has been seen.</summary>
    public int Repeats { get; private set; }

    /// <summary>The step the ladder would have taken when the last <see cref="Next"/> held back (too many resets this hour); else null.</summary>
    public EscalationStep? HeldBack { get; private set; }

    /// <summary>
    /// How long to wait before dialing after the last step: nothing the first time, then 10 s doubling
    /// per repeat up to 5 minutes, so a path that stays dead is not hammered.
    /// </summary>
    public TimeSpan Pause => Repeats <= 1 ? TimeSpan.Zero
        : TimeSpan.FromTicks(Math.Min(LongestPause.Ticks, FirstPause.Ticks << Math.Min(Repeats - 2, 10)));

    /// <summary>
    /// Records a failure and gives the step to take. <paramref name="goodService"/> is how long the
    /// link carried traffic before this failure (zero when it never came up).
    /// </summary>
    public EscalationStep Next(string failureCode, DateTimeOffset now, TimeSpan goodService)
    {
        ArgumentException.ThrowIfNullOrEmpty(failureCode);
        HeldBack = null;
        if (failureCode == CarrierLossCode)
            return EscalationStep.Redial;
        bool rested = _lastFailureAt is { } last && now - last >= _goodServiceReset;
        if (goodService >= _goodServiceReset || rested || failureCode != _lastCode)
            Repeats = 0;
        _lastCode = failureCode;
        _lastFailureAt = now;
        Repeats++;
        var step = _steps[Math.Min(Repeats - 1, _steps.Count - 1)];
        if (step is EscalationStep.ModemReset or EscalationStep.PowerCycle)
        {
            while (_resets.Count > 0 && now - _resets.Peek() >= Hour)
                _resets.Dequeue();
            if (_resets.Count >= _maxResetsPerHour)
            {
                HeldBack = step;
                return EscalationStep.Redial;
            }
            _resets.Enqueue(now);
        }
        return step;
    }

    /// <summary>Forget the history (a person brought the link up again); the resets of the last hour still count.</summary>
    public void Reset()
    {
        _lastCode = null;
        _lastFailureAt = null;
        Repeats = 0;
        HeldBack = null;
    }
}
