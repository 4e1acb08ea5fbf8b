using System.Net;
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

    /// <summary>IP is flowing: IPCP Opened with these addresses.</summary>
    public sealed record Up(string Link, IPAddress? Local, IPAddress? Remote, IPAddress? Dns1, IPAddress? Dns2, string Negotiated);

    /// <summary>IPv6CP Opened with these interface identifiers.</summary>
    public sealed record Ipv6Up(string Link, ulong LocalInterfaceId, ulong PeerInterfaceId);

    /// <summary>The link has ended; the supervisor stops after sending this.</summary>
    public sealed record Ended(string Link, LinkFailure Reason, TimeSpan ConnectTime);
}
