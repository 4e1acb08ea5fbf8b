namespace LinkActors.Ppp.Packets;

/// <summary>
/// One Type-Length-Value configuration option (RFC 1661 §6) kept byte-exact, so an option we do
/// not know can be sent back unchanged in a Configure-Reject.
/// <code>
///  0                   1
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Type      |    Length     |  Data ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record RawOption(byte Type, ReadOnlyMemory<byte> Data)
{
    public int Length => 2 + Data.Length;

    public override string ToString() => $"RawOption {{ Type = {Type}, DataLength = {Data.Length} }}";
}
