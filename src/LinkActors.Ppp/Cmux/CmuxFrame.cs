namespace LinkActors.Ppp.Cmux;

/// <summary>
/// One basic-option frame (TS 27.010 §5.2.6). <paramref name="CommandResponse"/> is the address field's C/R
/// bit as sent (§5.2.1.2, table 1: set on commands from the initiator and on responses from the responder).
/// </summary>
public sealed record CmuxFrame(int Dlci, bool CommandResponse, CmuxFrameType Type, bool PollFinal, ReadOnlyMemory<byte> Information)
{
    public CmuxFrame(int dlci, bool commandResponse, CmuxFrameType type, bool pollFinal)
        : this(dlci, commandResponse, type, pollFinal, ReadOnlyMemory<byte>.Empty)
    {
    }

    public override string ToString() =>
        $"{Type} dlci={Dlci}{(CommandResponse ? " C/R" : "")}{(PollFinal ? " P/F" : "")}{(Information.IsEmpty ? "" : $" len={Information.Length}")}";
}
