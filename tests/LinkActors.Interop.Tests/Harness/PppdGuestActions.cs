namespace LinkActors.Interop.Tests.Harness;

/// <summary>
/// What the guest does besides running pppd, counted from pppd's ip-up (IPCP up): ping the other end
/// (and its IPv6 link-local address when IPV6CP comes up), stop pppd so that it answers nothing more
/// (SIGSTOP: LCP echo loss), or end the session from pppd's side (SIGTERM: a Terminate-Request).
/// </summary>
public sealed record PppdGuestActions
{
    public static PppdGuestActions Default { get; } = new();

    /// <summary>ip-up pings the peer's address, ipv6-up its link-local address; logged as "LA-GUEST: ping ADDR ok".</summary>
    public bool PingPeer { get; init; } = true;

    public TimeSpan? StopPppdAfterIpUp { get; init; }

    public TimeSpan? TerminatePppdAfterIpUp { get; init; }
}
