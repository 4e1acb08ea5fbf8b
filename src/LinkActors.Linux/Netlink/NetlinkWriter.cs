using System.Buffers.Binary;
using System.Net;
using static LinkActors.Linux.Netlink.NetlinkConstants;

namespace LinkActors.Linux.Netlink;

/// <summary>
/// Builds one netlink request in place: the nlmsghdr, the fixed family header, then rtattrs
/// (struct rtattr { u16 rta_len; u16 rta_type; } + payload, each padded to 4 bytes).
/// </summary>
internal ref struct NetlinkWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    public NetlinkWriter(Span<byte> buffer, ushort type, ushort flags, uint sequence)
    {
        _buffer = buffer;
        _buffer.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[TypeOffset..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[FlagsOffset..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[SequenceOffset..], sequence);
        _length = HeaderSize;
    }

    /// <summary>Reserves the family header (ifinfomsg, ifaddrmsg, rtmsg), zeroed, for the caller to fill.</summary>
    public Span<byte> FamilyHeader(int size)
    {
        var header = _buffer.Slice(_length, size);
        _length += Align(size);
        return header;
    }

    public void Attribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        const int attributeHeader = 4;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[_length..], (ushort)(attributeHeader + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[(_length + 2)..], type);
        value.CopyTo(_buffer[(_length + attributeHeader)..]);
        _length += Align(attributeHeader + value.Length);
    }

    public void Attribute(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Attribute(type, bytes);
    }

    public void Attribute(ushort type, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        Attribute(type, bytes[..written]);
    }

    /// <summary>Writes nlmsg_len and returns the finished message.</summary>
    public ReadOnlySpan<byte> Complete()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[LengthOffset..], (uint)_length);
        return _buffer[.._length];
    }
}
