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
public sealed record ThisLayerFinished(string Reason) : EngineOutput;
