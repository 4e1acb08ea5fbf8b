namespace LinkActors.Ppp.Protocols;

/// <summary>
/// LCP options, named after pppd's: mru, mtu, asyncmap, default-asyncmap, noaccomp, nopcomp,
/// nomagic, require-pap, require-chap, refuse-pap, refuse-chap. MS-CHAP and EAP are never done.
/// </summary>
public sealed record LcpSettings
{
    /// <summary>RFC 1661 §6.1 default; pppd sends no MRU option while it is 1500.</summary>
    public const ushort DefaultMru = 1500;

    /// <summary>pppd's MINMRU: a peer asking for less is Nak'd with this.</summary>
    public const ushort MinMru = 128;

    /// <summary>pppd's MAXMRU, the largest MRU or MTU it will use.</summary>
    public const ushort MaxMru = 16384;

    /// <summary>The MRU we ask for ("mru").</summary>
    public ushort Mru { get; init; } = DefaultMru;

    /// <summary>The most we send whatever the peer's MRU ("mtu"); null: no cap beyond the peer's MRU.</summary>
    public ushort? Mtu { get; init; }

    /// <summary>The control characters we ask the peer to escape towards us ("asyncmap"); 0 is none.</summary>
    public uint Asyncmap { get; init; }

    /// <summary>Do not negotiate the ACCM in either direction: all control characters escaped ("default-asyncmap").</summary>
    public bool DefaultAsyncmap { get; init; }

    /// <summary>No Address-and-Control-Field-Compression in either direction ("noaccomp").</summary>
    public bool NoAccomp { get; init; }

    /// <summary>No Protocol-Field-Compression in either direction ("nopcomp").</summary>
    public bool NoPcomp { get; init; }

    /// <summary>No Magic-Number in either direction, so no loopback detection ("nomagic").</summary>
    public bool NoMagic { get; init; }

    /// <summary>The peer must authenticate itself with PAP ("require-pap").</summary>
    public bool RequirePap { get; init; }

    /// <summary>The peer must authenticate itself with CHAP-MD5 ("require-chap"); asked before PAP when both are set.</summary>
    public bool RequireChap { get; init; }

    /// <summary>We will not authenticate ourselves with PAP ("refuse-pap").</summary>
    public bool RefusePap { get; init; }

    /// <summary>We will not authenticate ourselves with CHAP ("refuse-chap").</summary>
    public bool RefuseChap { get; init; }

    /// <summary>Magic-Number collisions in a row that mean the line is looped back (pppd's DEFLOOPBACKFAIL, 10).</summary>
    public int LoopbackFail { get; init; } = 10;

    /// <summary>Throws naming the first setting that makes no sense.</summary>
    public void Validate()
    {
        if (Mru is < MinMru or > MaxMru)
            throw new ArgumentOutOfRangeException(nameof(Mru), Mru, $"the MRU must be between {MinMru} and {MaxMru}");
        if (Mtu is < MinMru or > MaxMru)
            throw new ArgumentOutOfRangeException(nameof(Mtu), Mtu, $"the MTU must be between {MinMru} and {MaxMru}");
        if (LoopbackFail < 1)
            throw new ArgumentOutOfRangeException(nameof(LoopbackFail), LoopbackFail, "must be at least 1");
    }
}
