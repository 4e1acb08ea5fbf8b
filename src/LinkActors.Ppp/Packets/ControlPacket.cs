using System.Buffers.Binary;

namespace LinkActors.Ppp.Packets;

/// <summary>
/// A control protocol packet (RFC 1661 §5):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Code      |  Identifier   |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    Data ...
/// </code>
/// </summary>
public sealed record ControlPacket(ControlCode Code, byte Identifier, ReadOnlyMemory<byte> Data)
{
    public const int HeaderLength = 4;
    private const int CodeOffset = 0;
    private const int IdentifierOffset = 1;
    private const int LengthOffset = 2;

    public int Length => HeaderLength + Data.Length;

    /// <summary>
    /// Parses the information field of a control protocol frame. Returns false for a packet that
    /// RFC 1661 §5 says to discard silently: shorter than 4 octets, or a Length field below 4 or
    /// beyond the octets received. Octets past Length are padding and are dropped (§5).
    /// The data is copied, so the packet outlives the caller's buffer.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> information, out ControlPacket packet)
    {
        packet = null!;
        if (information.Length < HeaderLength)
            return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(information[LengthOffset..]);
        if (length < HeaderLength || length > information.Length)
            return false;
        packet = new ControlPacket(
            (ControlCode)information[CodeOffset],
            information[IdentifierOffset],
            information[HeaderLength..length].ToArray());
        return true;
    }

    public int WriteTo(Span<byte> destination)
    {
        destination[CodeOffset] = (byte)Code;
        destination[IdentifierOffset] = Identifier;
        BinaryPrimitives.WriteUInt16BigEndian(destination[LengthOffset..], checked((ushort)Length));
        Data.Span.CopyTo(destination[HeaderLength..]);
        return Length;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    public override string ToString() => $"ControlPacket {{ Code = {Code}, Id = 0x{Identifier:x}, DataLength = {Data.Length} }}";
}
