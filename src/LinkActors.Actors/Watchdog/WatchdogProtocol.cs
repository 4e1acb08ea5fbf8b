namespace LinkActors.Actors.Watchdog;

/// <summary>Messages between the ping probe, the data-path watchdog and the link supervisor.</summary>
public static class WatchdogProtocol
{
    /// <summary>The ping target answered echo request <paramref name="Sequence"/>.</summary>
    public sealed record PingAnswered(ushort Sequence, TimeSpan RoundTrip);

    /// <summary>Echo request <paramref name="Sequence"/> got no reply within the ping interval.</summary>
    public sealed record PingUnanswered(ushort Sequence);

    /// <summary>Asks a watchdog for <see cref="Counters"/>: what it judges by.</summary>
    public sealed record GetCounters
    {
        public static GetCounters Instance { get; } = new();
    }

    /// <summary>The network side's counters as the watchdog last read them; null before the first answer.</summary>
    public sealed record Counters(Network.NetworkProtocol.Traffic? Last);

    /// <summary>The watchdog's verdict, to the supervisor: once per watch.</summary>
    public sealed record DataPathDead(DataPathVerdict Verdict);
}
