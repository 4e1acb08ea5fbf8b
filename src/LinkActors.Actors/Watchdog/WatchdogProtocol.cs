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

    /// <summary>The network side's counters as the watchdog last read them (null before the first answer), and the idle-link probe's bytes.</summary>
    public sealed record Counters(Network.NetworkProtocol.Traffic? Last, long ProbeBytes = 0, ProbePlan? Plan = null);

    /// <summary>To the idle-link probe: send one probe now (nothing has been received for its interval).</summary>
    public sealed record Probe
    {
        public static Probe Instance { get; } = new();
    }

    /// <summary>The probe sent one attempt of <paramref name="Bytes"/> on the line.</summary>
    public sealed record ProbeSent(string Probe, int Bytes);

    /// <summary>The probe was answered; the answer took <paramref name="Bytes"/> on the line.</summary>
    public sealed record ProbeAnswered(string Probe, int Bytes);

    /// <summary>The probe got no answer to any of its <paramref name="Attempts"/> attempts.</summary>
    public sealed record ProbeUnanswered(string Probe, int Attempts);

    /// <summary>Published: <paramref name="Bytes"/> more spent on the line by the idle-link probe of <paramref name="Link"/> (a request or an answer).</summary>
    public sealed record ProbeBytesSpent(string Link, int Bytes);

    /// <summary>The watchdog's verdict, to the supervisor: once per watch.</summary>
    public sealed record DataPathDead(DataPathVerdict Verdict);
}
