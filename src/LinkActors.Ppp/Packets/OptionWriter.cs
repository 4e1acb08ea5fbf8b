using System.Buffers;
using System.Buffers.Binary;

namespace LinkActors.Ppp.Packets;

/// <summary>Writes TLV options (RFC 1661 §6) into a growing buffer.</summary>
public sealed class OptionWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64);

    public int Length => _buffer.WrittenCount;
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public OptionWriter Write(byte type, ReadOnlySpan<byte> data)
    {
        if (data.Length > 253)
            throw new ArgumentOutOfRangeException(nameof(data), "an option holds at most 253 octets of data");
        var span = _buffer.GetSpan(2 + data.Length);
        span[0] = type;
        span[1] = (byte)(2 + data.Length);
        data.CopyTo(span[2..]);
        _buffer.Advance(2 + data.Length);
        return this;
    }

    public OptionWriter Write(RawOption option) => Write(option.Type, option.Data.Span);

    public OptionWriter WriteEmpty(byte type) => Write(type, []);

    public OptionWriter WriteUInt16(byte type, ushort value)
    {
        Span<byte> data = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(data, value);
        return Write(type, data);
    }

    public OptionWriter WriteUInt32(byte type, uint value)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, value);
        return Write(type, data);
    }

    /// <summary>Appends octets as they are: the unparseable tail of a request, rejected as received.</summary>
    public OptionWriter WriteRaw(ReadOnlySpan<byte> octets)
    {
        octets.CopyTo(_buffer.GetSpan(octets.Length));
        _buffer.Advance(octets.Length);
        return this;
    }

    public void Clear() => _buffer.Clear();

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
