namespace LinkActors.Ppp.Framing;

/// <summary>
/// Async-Control-Character-Map (RFC 1662 §7.1): bit n set means the control character n
/// (0x00-0x1F) is sent escaped, because something on the path would eat or mangle it.
/// </summary>
public static class Accm
{
    /// <summary>Every control character escaped: the map in force until LCP agrees on another (RFC 1662 §7.1).</summary>
    public const uint All = 0xFFFFFFFF;

    public const uint None = 0;

    public static bool Contains(uint accm, byte value) => value < 0x20 && ((accm >> value) & 1) != 0;
}
