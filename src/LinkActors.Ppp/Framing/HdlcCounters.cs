namespace LinkActors.Ppp.Framing;

/// <summary>
/// What an <see cref="HdlcDecoder"/> has seen since it was built. Every frame between two flags lands
/// in exactly one of Frames, BadFcs, Runts, Oversize and Aborted; empty flag pairs are
/// inter-frame fill (RFC 1662 §3.1).
/// </summary>
/// <param name="Frames">Intact frames handed to the sink.</param>
/// <param name="BadFcs">Frames whose FCS did not check (RFC 1662 §C.2).</param>
/// <param name="Runts">Frames too short to hold Protocol and FCS (RFC 1662 §4.3).</param>
/// <param name="Oversize">Frames whose Information was longer than the MRU.</param>
/// <param name="Aborted">Frames ended by Control Escape and Flag, the abort sequence (RFC 1662 §4.3).</param>
/// <param name="DiscardedBytes">Octets outside any frame: before the first flag, such as modem text.</param>
/// <param name="Bytes">Every octet fed to the decoder.</param>
public readonly record struct HdlcCounters(
    long Frames,
    long BadFcs,
    long Runts,
    long Oversize,
    long Aborted,
    long DiscardedBytes,
    long Bytes)
{
    /// <summary>Frames delimited by flags, whatever became of them.</summary>
    public long Delimited => Frames + BadFcs + Runts + Oversize + Aborted;

    /// <summary>Delimited frames that were not handed on.</summary>
    public long Errors => BadFcs + Runts + Oversize + Aborted;
}
