using System.Net;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Interop.Tests.Link;

/// <summary>A snapshot of our end: phase, negotiated values, and how it ended.</summary>
public sealed record LinkUnderTestStatus
{
    public LinkPhase Phase { get; init; }

    /// <summary>Every phase entered, in order.</summary>
    public IReadOnlyList<LinkPhase> Phases { get; init; } = [];

    public bool Finished { get; init; }

    public string? FailureReason { get; init; }

    /// <summary>"Client Pap ok peer" / "Server ChapMd5 failed: reason", in order.</summary>
    public IReadOnlyList<string> AuthenticationEvents { get; init; } = [];

    public IPAddress? LocalAddress { get; init; }

    public IPAddress? RemoteAddress { get; init; }

    public IPAddress? Dns1 { get; init; }

    public IPAddress? Dns2 { get; init; }

    public ulong LocalInterfaceId { get; init; }

    public ulong PeerInterfaceId { get; init; }

    /// <summary>The largest IP packet we may send: the peer's MRU capped by our MRU and MTU.</summary>
    public int InterfaceMtu { get; init; }

    public int PeerMru { get; init; }

    public uint PeerAccm { get; init; }

    public bool PeerAcceptsAcfc { get; init; }

    public bool PeerAcceptsPfc { get; init; }

    /// <summary>Protocol numbers we answered with LCP Protocol-Reject.</summary>
    public IReadOnlyList<ushort> ProtocolsRejected { get; init; } = [];

    /// <summary>ICMP and ICMPv6 echo requests from the peer that we answered.</summary>
    public int EchoRequestsAnswered { get; init; }

    public long BadFcsFrames { get; init; }
}
