namespace LinkActors.Ppp.Cmux;

/// <summary>Builds basic-option frames (TS 27.010 §5.2.6).</summary>
public static class CmuxEncoder
{
    // Flag, Address, Control, Length (up to 2), FCS, Flag.
    private const int MaxOverhead = 7;

    /// <summary>The octets a frame carrying <paramref name="informationLength"/> octets takes on the line.</summary>
    public static int EncodedLength(int informationLength) =>
        MaxOverhead - (informationLength > Cmux.MaxShortLength ? 0 : 1) + informationLength;

    public static byte[] Encode(CmuxFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Encode(frame.Dlci, frame.CommandResponse, frame.Type, frame.PollFinal, frame.Information.Span);
    }

    public static byte[] Encode(int dlci, bool commandResponse, CmuxFrameType type, bool pollFinal, ReadOnlySpan<byte> information)
    {
        var frame = new byte[EncodedLength(information.Length)];
        Encode(dlci, commandResponse, type, pollFinal, information, frame);
        return frame;
    }

    /// <summary>Writes one frame into <paramref name="destination"/> and returns its length.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A DLCI outside 0..63 or Information longer than 32767 octets.</exception>
    public static int Encode(int dlci, bool commandResponse, CmuxFrameType type, bool pollFinal, ReadOnlySpan<byte> information, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dlci);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dlci, Cmux.MaxDlci);
        // §5.2.1.5: fifteen bits of length in two octets.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(information.Length, 0x7FFF);
        int i = 0;
        destination[i++] = Cmux.Flag;
        // §5.2.1.2: EA | C/R | DLCI (six bits).
        destination[i++] = (byte)((dlci << 2) | (commandResponse ? Cmux.CommandResponseBit : 0) | Cmux.ExtensionBit);
        destination[i++] = (byte)((byte)type | (pollFinal ? Cmux.PollFinalBit : 0));
        // §5.2.1.5: EA set means one octet of length (7 bits); clear, a second octet holds bits 8..15.
        if (information.Length > Cmux.MaxShortLength)
        {
            destination[i++] = (byte)((information.Length & 0x7F) << 1);
            destination[i++] = (byte)(information.Length >> 7);
        }
        else
        {
            destination[i++] = (byte)((information.Length << 1) | Cmux.ExtensionBit);
        }
        int headerEnd = i;
        information.CopyTo(destination[i..]);
        i += information.Length;
        // §5.2.1.6: UIH's FCS covers the address, control and length fields only; the others' the information too.
        byte fcs = CmuxFcs.Compute(destination[1..(type == CmuxFrameType.Uih ? headerEnd : i)]);
        destination[i++] = fcs;
        destination[i++] = Cmux.Flag;
        return i;
    }

    /// <summary>
    /// <paramref name="data"/> as UIH frames on <paramref name="dlci"/>, none carrying more than
    /// <paramref name="n1"/> octets (§5.7.2), written back to back.
    /// </summary>
    public static byte[] EncodeData(int dlci, bool commandResponse, ReadOnlySpan<byte> data, int n1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n1, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n1, Cmux.MaxN1);
        int frames = Math.Max(1, (data.Length + n1 - 1) / n1);
        int full = Math.Min(n1, data.Length);
        var output = new byte[(frames - 1) * EncodedLength(full) + EncodedLength(data.Length - (frames - 1) * n1)];
        int written = 0;
        do
        {
            int take = Math.Min(n1, data.Length);
            written += Encode(dlci, commandResponse, CmuxFrameType.Uih, false, data[..take], output.AsSpan(written));
            data = data[take..];
        }
        while (!data.IsEmpty);
        return output;
    }
}
