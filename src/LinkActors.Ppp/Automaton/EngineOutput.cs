namespace LinkActors.Ppp.Automaton;

/// <summary>What the engine asks its owner (an actor, or a test) to carry out.</summary>
public abstract record EngineOutput;

/// <summary>Send this control packet (code, id, length, data: the PPP information field) on the link.</summary>
public sealed record SendControl(ushort Protocol, byte[] Packet) : EngineOutput
{
    public override string ToString() => $"SendControl {{ Protocol = 0x{Protocol:x4}, Length = {Packet.Length} }}";
}

/// <summary>(Re)start the restart timer; when it fires, call the engine's Timeout.</summary>
public sealed record StartRestartTimer(TimeSpan After) : EngineOutput;

/// <summary>Stop the restart timer.</summary>
public sealed record StopRestartTimer : EngineOutput;

/// <summary>tlu: the layer is Opened; the upper layer may start (RFC 1661 §4.4).</summary>
public sealed record ThisLayerUp : EngineOutput;

/// <summary>tld: the layer leaves Opened.</summary>
public sealed record ThisLayerDown : EngineOutput;

/// <summary>tls: the layer needs the lower layer (e.g. LCP asks for the physical link).</summary>
public sealed record ThisLayerStarted : EngineOutput;

/// <summary>tlf: the layer no longer needs the lower layer; carries why.</summary>
/// <param name="ByPeer">The termination began with the peer's Terminate-Request (RFC 1661 §5.5), not with us.</param>
public sealed record ThisLayerFinished(string Reason, bool ByPeer = false) : EngineOutput;

/// <summary>
/// LCP received a Protocol-Reject naming <paramref name="Protocol"/> (RFC 1661 §5.7); the owner tells
/// that protocol's engine (its ProtocolRejected) and stops sending it.
/// </summary>
public sealed record ProtocolRejectReceived(ushort Protocol) : EngineOutput
{
    public override string ToString() => $"ProtocolRejectReceived {{ Protocol = 0x{Protocol:x4} }}";
}

/// <summary>The peer Code-Rejected one of our codes (RFC 1661 §5.6); e.g. a peer without Echo support.</summary>
public sealed record CodeRejectReceived(byte RejectedCode) : EngineOutput;

/// <summary>LCP in Opened received an Echo-Reply (RFC 1661 §5.8): the keepalive's answer.</summary>
public sealed record EchoReplyReceived(byte Identifier, uint Magic) : EngineOutput
{
    public override string ToString() => $"EchoReplyReceived {{ Identifier = 0x{Identifier:x}, Magic = 0x{Magic:x8} }}";
}

/// <summary>
/// An Echo packet carried our own Magic-Number: the link is probably looped back
/// (RFC 1661 §6.4, "Detection of looped-back links").
/// </summary>
public sealed record LoopbackSuspected(uint Magic) : EngineOutput
{
    public override string ToString() => $"LoopbackSuspected {{ Magic = 0x{Magic:x8} }}";
}
