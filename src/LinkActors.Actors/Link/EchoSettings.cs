namespace LinkActors.Actors.Link;

/// <summary>LCP echo keepalive, as pppd's lcp-echo-interval, lcp-echo-failure and lcp-echo-adaptive.</summary>
public sealed record EchoSettings(TimeSpan Interval, int Failure, bool Adaptive)
{
    public static EchoSettings Off { get; } = new(TimeSpan.Zero, 0, false);

    public bool Enabled => Interval > TimeSpan.Zero;
}
