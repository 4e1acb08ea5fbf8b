namespace LinkActors.Ppp.Cmux;

/// <summary>Receives the frames a <see cref="CmuxDecoder"/> finds.</summary>
public interface ICmuxFrameSink
{
    /// <summary>One intact frame; <paramref name="information"/> is the decoder's buffer, valid during the call only.</summary>
    void OnFrame(int dlci, bool commandResponse, CmuxFrameType type, bool pollFinal, ReadOnlySpan<byte> information);
}
