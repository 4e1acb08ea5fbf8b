using LinkActors.Ppp.Framing;

namespace LinkActors.Ppp.Tests.Framing;

/// <summary>Collects what a decoder hands over, copying each frame out of the decoder's buffer.</summary>
internal sealed class FrameRecorder : IHdlcFrameSink
{
    public List<(ushort Protocol, byte[] Information)> Frames { get; } = [];

    public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => Frames.Add((protocol, information.ToArray()));
}

/// <summary>Plain, obviously correct versions of the framing rules, to check the fast ones against.</summary>
internal static class Reference
{
    public static ushort Fcs16(ushort fcs, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            fcs ^= b;
            for (int i = 0; i < 8; i++)
                fcs = (fcs & 1) != 0 ? (ushort)((fcs >> 1) ^ 0x8408) : (ushort)(fcs >> 1);
        }
        return fcs;
    }

    public static uint Fcs32(uint fcs, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            fcs ^= b;
            for (int i = 0; i < 8; i++)
                fcs = (fcs & 1) != 0 ? (fcs >> 1) ^ 0xEDB88320 : fcs >> 1;
        }
        return fcs;
    }

    public static bool Escaped(byte b, uint accm, IReadOnlyCollection<byte> extra) =>
        b is 0x7D or 0x7E || (b < 0x20 && ((accm >> b) & 1) != 0) || extra.Contains(b);

    public static byte[] Encode(ushort protocol, ReadOnlySpan<byte> information, uint accm, bool acfc, bool pfc, IReadOnlyCollection<byte> extra)
    {
        var unescaped = new List<byte>();
        bool lcp = protocol == 0xC021;
        if (!acfc || lcp)
            unescaped.AddRange([0xFF, 0x03]);
        if (pfc && !lcp && protocol < 0x100 && (protocol & 1) == 1 && unescaped.Count + information.Length > 0)
            unescaped.Add((byte)protocol);
        else
            unescaped.AddRange([(byte)(protocol >> 8), (byte)protocol]);
        unescaped.AddRange(information.ToArray());
        ushort fcs = (ushort)~Fcs16(0xFFFF, unescaped.ToArray());
        unescaped.Add((byte)fcs);
        unescaped.Add((byte)(fcs >> 8));

        var wire = new List<byte> { 0x7E };
        foreach (byte b in unescaped)
        {
            if (Escaped(b, accm, extra))
                wire.AddRange([0x7D, (byte)(b ^ 0x20)]);
            else
                wire.Add(b);
        }
        wire.Add(0x7E);
        return [.. wire];
    }

    /// <summary>
    /// Frames between flags after the first one that hold at least one octet the decoder keeps (one
    /// that is not a control character dropped by the receive ACCM).
    /// </summary>
    public static int DelimitedFrames(ReadOnlySpan<byte> wire, uint receiveAccm)
    {
        int first = wire.IndexOf((byte)0x7E);
        if (first < 0)
            return 0;
        int count = 0;
        bool content = false;
        foreach (byte b in wire[(first + 1)..])
        {
            if (b == 0x7E)
            {
                if (content)
                    count++;
                content = false;
            }
            else if (!(b < 0x20 && ((receiveAccm >> b) & 1) != 0))
            {
                content = true;
            }
        }
        return count;
    }

    public static void DecodeInChunks(HdlcDecoder decoder, ReadOnlySpan<byte> wire, IReadOnlyList<int> sizes, IHdlcFrameSink sink)
    {
        int at = 0;
        int k = 0;
        while (at < wire.Length)
        {
            int size = Math.Min(sizes[k++ % sizes.Count], wire.Length - at);
            decoder.Decode(wire.Slice(at, size), sink);
            at += size;
        }
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
