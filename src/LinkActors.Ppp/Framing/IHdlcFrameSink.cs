namespace LinkActors.Ppp.Framing;

/// <summary>Receives the frames an <see cref="HdlcDecoder"/> finds.</summary>
public interface IHdlcFrameSink
{
    /// <summary>
    /// One intact frame. <paramref name="information"/> points into the decoder's buffer and is only
    /// valid during the call: copy what must outlive it.
    /// </summary>
    void OnFrame(ushort protocol, ReadOnlySpan<byte> information);
}
