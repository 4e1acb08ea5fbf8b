using System.Net;
using LinkActors.Actors.Configuration;
using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Link;

/// <summary>Messages of a <see cref="LinkSupervisor"/>, and the events every link publishes on the event stream.</summary>
public static class LinkProtocol
{
    /// <summary>End the link cleanly: LCP Terminate, disconnect script, hang up, release the port.</summary>
    public sealed record Stop(string Reason);

    public sealed record GetStatus
    {
        public static GetStatus Instance { get; } = new();
    }

    /// <summary>Asks for the link's network side (packet endpoint or TUN actor); answered with <see cref="NetworkSide"/>.</summary>
    public sealed record GetNetworkSide
    {
        public static GetNetworkSide Instance { get; } = new();
    }

    public sealed record NetworkSide(Akka.Actor.IActorRef? Actor);

    /// <summary>The link's phases (RFC 1661 §3.2), with the dialing and hang-up steps around them.</summary>
    public enum Phase
    {
        Dead,
        Dial,
        Establish,
        Authenticate,
        Network,
        Terminate,
        Disconnect,
    }

    public sealed record Status(
        string Link,
        Phase Phase,
        IReadOnlyDictionary<string, string> Layers,
        IPAddress? Local,
        IPAddress? Remote,
        IPAddress? Dns1,
        IPAddress? Dns2,
        string? Negotiated,
        ModemInfo? Modem,
        LinkFailure? Failure,
        DateTimeOffset? UpSince);

    // Events (published on the event stream; the supervisor's parent also gets Ended).

    public sealed record PhaseChanged(string Link, Phase Phase, string? Detail);

    public sealed record LayerChanged(string Link, string Layer, string From, string To);

    public sealed record ModemInfoUpdated(string Link, ModemInfo Modem);

    public sealed record Authenticated(string Link, string Protocol, string Role, string PeerName);

    /// <summary>An LCP Echo-Reply came back after this long (keepalive round trip, for metrics).</summary>
    public sealed record EchoRoundTrip(string Link, TimeSpan RoundTrip);

    /// <summary>IP is flowing: IPCP Opened with these addresses.</summary>
    public sealed record Up(string Link, IPAddress? Local, IPAddress? Remote, IPAddress? Dns1, IPAddress? Dns2, string Negotiated);

    /// <summary>IPv6CP Opened with these interface identifiers.</summary>
    public sealed record Ipv6Up(string Link, ulong LocalInterfaceId, ulong PeerInterfaceId);

    /// <summary>The link has ended; the supervisor stops after sending this.</summary>
    public sealed record Ended(string Link, LinkFailure Reason, TimeSpan ConnectTime);

    /// <summary>Asks for the framing actor's counters: answered with <see cref="Framing.FramingProtocol.FramingStats"/>, or <see cref="NoFraming"/> outside PPP.</summary>
    public sealed record GetFramingStats
    {
        public static GetFramingStats Instance { get; } = new();
    }

    public sealed record NoFraming(string Link);

    /// <summary>From the link's parent, in answer to <see cref="DataPathDead"/>: the escalation step to take now.</summary>
    public sealed record TakeStep(EscalationStep Step);

    /// <summary>The device path was missing when the attempt began; it appeared (or not) after this long.</summary>
    public sealed record DeviceWaitEnded(string Link, string Device, bool Appeared, TimeSpan Waited);

    /// <summary>The wait for network registration before dialing is over: registered or not, and the last status in words.</summary>
    public sealed record RegistrationWaitEnded(string Link, bool Registered, string Status, TimeSpan Waited);

    /// <summary>The modem reset command ran before this attempt's dial; whether the modem came back.</summary>
    public sealed record ModemResetDone(string Link, string Command, bool Succeeded, string Detail);

    /// <summary>The modem said NO CARRIER, or DCD dropped, in the middle of PPP.</summary>
    public sealed record CarrierLost(string Link, string How);

    /// <summary>One ping of the watchdog's probe: <paramref name="RoundTrip"/> null when there was no reply.</summary>
    public sealed record PingResult(string Link, System.Net.IPAddress Target, ushort Sequence, TimeSpan? RoundTrip);

    /// <summary>
    /// The watchdog's verdict: PPP is up but IP does not come back. Published, and sent to the link's
    /// parent, which answers with <see cref="TakeStep"/>. <paramref name="GoodService"/>: how long data had flowed.
    /// </summary>
    public sealed record DataPathDead(string Link, LinkFailure Failure, TimeSpan GoodService);

    /// <summary>LCP negotiates again with conservative options (no PFC/ACFC, default asyncmap), the link kept.</summary>
    public sealed record Renegotiating(string Link, string Reason);
}
