namespace LinkActors.Ppp.Packets;

/// <summary>Control packet codes (RFC 1661 §5; 8-11 are LCP only).</summary>
public enum ControlCode : byte
{
    ConfReq = 1,
    ConfAck = 2,
    ConfNak = 3,
    ConfRej = 4,
    TermReq = 5,
    TermAck = 6,
    CodeRej = 7,
    ProtRej = 8,
    EchoReq = 9,
    EchoRep = 10,
    DiscReq = 11,
}
