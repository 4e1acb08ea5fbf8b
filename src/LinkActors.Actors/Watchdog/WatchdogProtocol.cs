namespace LinkActors.Actors.Watchdog;

/// <summary>Messages between the ping probe, the data-path watchdog and the link supervisor.</summary>
public static class WatchdogProtocol
{
    /// <summary>The ping target answered echo request <paramref name="Sequence"/>.</summary>
    public sealed record PingAnswered(ushort Sequence, TimeSpan RoundTrip);

    /// <summary>Echo request <paramref name="Sequence"/> got no reply within the ping interval.</summary>
    public sealed record PingUnanswered(ushort Sequence);

    /// <summary>The watchdog's verdict, to the supervisor: once per watch.</summary>
    public sealed record DataPathDead(DataPathVerdict Verdict);
}
