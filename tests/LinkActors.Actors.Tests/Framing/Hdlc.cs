using LinkActors.Ppp.Framing;

namespace LinkActors.Actors.Tests.Framing;

/// <summary>Frames built and read with the pure codec, to check what the actor puts on the wire.</summary>
internal static class Hdlc
{
    public static byte[] Encode(ushort protocol, ReadOnlySpan<byte> information, uint accm = Accm.All, bool acfc = false, bool pfc = false)
    {
        var encoder = new HdlcEncoder { TransmitAccm = accm, Acfc = acfc, Pfc = pfc };
        var buffer = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
        var length = encoder.Encode(protocol, information, buffer);
        return buffer[..length];
    }

    public static List<(ushort Protocol, byte[] Information)> Decode(ReadOnlySpan<byte> bytes, uint accm = Accm.All, int mru = 1500)
    {
        var sink = new Collector();
        new HdlcDecoder(mru) { ReceiveAccm = accm }.Decode(bytes, sink);
        return sink.Frames;
    }

    private sealed class Collector : IHdlcFrameSink
    {
        public List<(ushort Protocol, byte[] Information)> Frames { get; } = [];

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => Frames.Add((protocol, information.ToArray()));
    }
}
