using System.Buffers.Binary;
using System.Text;

namespace LinkActors.Ppp.Auth;

/// <summary>
/// The packet frame PAP (RFC 1334 §2.2) and CHAP (RFC 1994 §4) share with LCP: Code, Identifier,
/// Length, Data. The codes are the protocol's own, so they stay bytes here.
/// </summary>
internal readonly ref struct AuthPacket
{
    public const int HeaderLength = 4;

    public AuthPacket(byte code, byte identifier, ReadOnlySpan<byte> data)
    {
        Code = code;
        Identifier = identifier;
        Data = data;
    }

    public byte Code { get; }
    public byte Identifier { get; }
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>
    /// False for what must be silently discarded: fewer than 4 octets, or a Length below 4 or beyond
    /// what arrived (RFC 1334 §2.2 and RFC 1994 §4 defer to the LCP rule of RFC 1661 §5). Octets past
    /// Length are padding.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> information, out AuthPacket packet)
    {
        packet = default;
        if (information.Length < HeaderLength)
            return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(information[2..]);
        if (length < HeaderLength || length > information.Length)
            return false;
        packet = new AuthPacket(information[0], information[1], information[HeaderLength..length]);
        return true;
    }

    public static byte[] Build(byte code, byte identifier, params ReadOnlySpan<byte> data)
    {
        var bytes = new byte[HeaderLength + data.Length];
        bytes[0] = code;
        bytes[1] = identifier;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), checked((ushort)bytes.Length));
        data.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    /// <summary>Reads a one-octet length and that many octets; false when the length runs past the data.</summary>
    public static bool TryReadCounted(ref ReadOnlySpan<byte> data, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (data.IsEmpty || data.Length < 1 + data[0])
            return false;
        value = data.Slice(1, data[0]);
        data = data[(1 + data[0])..];
        return true;
    }
}

/// <summary>Turns names and messages from the wire into text safe for logs.</summary>
internal static class AuthText
{
    private static readonly UTF8Encoding Utf8 = new(false, false);

    public static byte[] Encode(string text) => Utf8.GetBytes(text);

    /// <summary>
    /// Decodes as UTF-8 (invalid sequences become U+FFFD) and escapes control characters, as pppd
    /// prints peer text with %v, so a hostile peer cannot forge log lines.
    /// </summary>
    public static string Printable(ReadOnlySpan<byte> bytes)
    {
        string text = Utf8.GetString(bytes);
        if (!text.Any(char.IsControl))
            return text;
        var builder = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (char.IsControl(c))
                builder.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            else
                builder.Append(c);
        }
        return builder.ToString();
    }
}
