using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Protocols;

/// <summary>The timers one link's negotiation runs; each fires by calling <see cref="LinkNegotiation.TimerFired"/>.</summary>
public enum LinkTimer
{
    Lcp,
    Ipcp,
    Ipv6cp,
    /// <summary>Our own authentication (PAP retransmit, CHAP response retransmit).</summary>
    AuthClient,
    /// <summary>Authenticating the peer (PAP request wait, CHAP challenge retransmit and rechallenge).</summary>
    AuthServer,
}

/// <summary>What <see cref="LinkNegotiation"/> asks its owner to do or tells it happened.</summary>
public abstract record LinkOutput;

/// <summary>Send a frame: the protocol field and the information field.</summary>
public sealed record SendFrame(ushort Protocol, byte[] Information) : LinkOutput
{
    public override string ToString() => $"SendFrame {{ Protocol = {PppProtocol.Name(Protocol)}, Length = {Information.Length} }}";
}

/// <summary>(Re)start a timer.</summary>
public sealed record StartTimer(LinkTimer Timer, TimeSpan After) : LinkOutput;

/// <summary>Stop a timer; a stale firing afterwards is ignored anyway.</summary>
public sealed record StopTimer(LinkTimer Timer) : LinkOutput;

/// <summary>The link entered another phase (RFC 1661 §3.2).</summary>
public sealed record PhaseChanged(LinkPhase Phase) : LinkOutput;

/// <summary>LCP wants the physical link (This-Layer-Started): dial, or wait for the peer.</summary>
public sealed record PhysicalLayerNeeded : LinkOutput;

/// <summary>LCP is done with the physical link (This-Layer-Finished): hang up.</summary>
public sealed record LinkFinished(string Reason) : LinkOutput;

/// <summary>A control protocol reached Opened and its result passed its checks; read the policy for the values.</summary>
public sealed record ProtocolUp(ushort Protocol) : LinkOutput
{
    public override string ToString() => $"ProtocolUp {{ {PppProtocol.Name(Protocol)} }}";
}

/// <summary>A control protocol that was up left Opened.</summary>
public sealed record ProtocolDown(ushort Protocol) : LinkOutput
{
    public override string ToString() => $"ProtocolDown {{ {PppProtocol.Name(Protocol)} }}";
}

/// <summary>One authentication direction finished well.</summary>
public sealed record Authenticated(AuthRole Role, AuthMethod Method, string PeerName) : LinkOutput;

/// <summary>One authentication direction failed; the link is being closed.</summary>
public sealed record AuthenticationFailed(AuthRole Role, AuthMethod Method, string Reason) : LinkOutput;

/// <summary>
/// Something an engine reported that the coordinator does not act on itself (Echo-Reply, Code-Reject,
/// looped-back Echo): passed through for the owner, e.g. the keepalive.
/// </summary>
public sealed record EngineReport(ushort Protocol, EngineOutput Output) : LinkOutput;
