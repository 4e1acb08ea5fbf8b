using LinkActors.Ppp.Framing;

namespace LinkActors.Actors.Framing;

/// <summary>
/// What HDLC-like framing uses on one link, as LCP has negotiated it. <see cref="Default"/> is what
/// holds before LCP reaches Opened and again after it leaves: every control character escaped both
/// ways, Address/Control and two-octet Protocol fields (RFC 1662 §7.1, RFC 1661 §6.5, §6.6).
/// </summary>
/// <param name="Mru">The longest Information field we accept (RFC 1661 §6.1); at least 1500 is always taken.</param>
/// <param name="ReceiveAccm">Our ACCM as the peer acknowledged it: unescaped characters in it are dropped.</param>
/// <param name="TransmitAccm">The peer's ACCM: the control characters we must escape.</param>
/// <param name="Acfc">The peer accepts frames without Address and Control.</param>
/// <param name="Pfc">The peer accepts one-octet Protocol fields.</param>
public sealed record FramingSettings(int Mru, uint ReceiveAccm, uint TransmitAccm, bool Acfc, bool Pfc)
{
    /// <summary>The MRU every implementation starts with and must always be able to receive (RFC 1661 §6.1).</summary>
    public const int DefaultMru = 1500;

    /// <summary>LCP's defaults: MRU 1500, ACCM 0xFFFFFFFF both ways, no compression.</summary>
    public static FramingSettings Default { get; } = new(DefaultMru, Accm.All, Accm.All, Acfc: false, Pfc: false);

    public override string ToString() =>
        $"FramingSettings {{ Mru = {Mru}, ReceiveAccm = 0x{ReceiveAccm:x8}, TransmitAccm = 0x{TransmitAccm:x8}, Acfc = {Acfc}, Pfc = {Pfc} }}";
}
