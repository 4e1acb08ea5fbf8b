namespace LinkActors.Ppp.Automaton;

/// <summary>Observes every control packet the engine sends or receives (the information field, code onwards).</summary>
public delegate void ControlPacketTrace(bool sent, ushort protocol, byte[] packet);
