namespace LinkActors.Ppp.Cmux;

/// <summary>What a <see cref="CmuxDecoder"/> has seen since it was built.</summary>
/// <param name="Frames">Intact frames handed on.</param>
/// <param name="BadFcs">Frames whose FCS did not check (§5.2.1.6): discarded.</param>
/// <param name="Oversize">Frames announcing more Information than N1 (§5.7.2): discarded.</param>
/// <param name="Malformed">Frames with a two-octet address, an unknown control field or no closing flag: discarded.</param>
/// <param name="DiscardedBytes">Octets outside any frame.</param>
/// <param name="Bytes">Every octet fed to the decoder.</param>
public readonly record struct CmuxCounters(long Frames, long BadFcs, long Oversize, long Malformed, long DiscardedBytes, long Bytes)
{
    public long Errors => BadFcs + Oversize + Malformed;
}
