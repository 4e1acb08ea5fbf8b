using System.Buffers.Binary;
using System.Net;
using static LinkActors.Linux.Netlink.NetlinkConstants;

namespace LinkActors.Linux.Netlink;

/// <summary>Walks the rtattrs that follow a family header; stops quietly at a truncated attribute.</summary>
internal ref struct NetlinkAttributes
{
    private ReadOnlySpan<byte> _rest;

    public NetlinkAttributes(ReadOnlySpan<byte> attributes) => _rest = attributes;

    public ushort Type { get; private set; }

    public ReadOnlySpan<byte> Value { get; private set; }

    public bool MoveNext()
    {
        if (_rest.Length < 4)
            return false;
        var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < 4 || length > _rest.Length)
            return false;
        // The top bits of rta_type are NLA_F_NESTED / NLA_F_NET_BYTEORDER, not part of the type.
        Type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & 0x3FFF);
        Value = _rest[4..length];
        _rest = _rest[Math.Min(Align(length), _rest.Length)..];
        return true;
    }

    public readonly uint ValueAsUInt32() => Value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Value) : 0;

    public readonly IPAddress ValueAsAddress() => new(Value);
}
