namespace LinkActors.Ppp.Automaton;

/// <summary>The ten states of the option negotiation automaton (RFC 1661 §4.2).</summary>
public enum ControlState
{
    Initial = 0,
    Starting = 1,
    Closed = 2,
    Stopped = 3,
    Closing = 4,
    Stopping = 5,
    ReqSent = 6,
    AckRcvd = 7,
    AckSent = 8,
    Opened = 9,
}
