namespace LinkActors.Ppp.Packets;

/// <summary>Reads the option list of a Configure-Request/Ack/Nak/Reject.</summary>
public static class OptionList
{
    /// <summary>
    /// Splits <paramref name="data"/> into options. Returns false when any option's Length is below 2
    /// or runs past the end of the data: such a packet's options cannot be trusted at all, and the
    /// caller discards it (RFC 1661 §5, "invalid packets are silently discarded").
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out List<RawOption> options)
    {
        options = [];
        int offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 2)
                return false;
            byte type = data[offset];
            int length = data[offset + 1];
            if (length < 2 || offset + length > data.Length)
                return false;
            options.Add(new RawOption(type, data.Slice(offset + 2, length - 2).ToArray()));
            offset += length;
        }
        return true;
    }

    /// <summary>
    /// Reads options up to the first one that cannot be parsed (Length below 2 or past the end) and
    /// returns where that one starts, or the data's length when all are well formed. What follows
    /// the returned offset is the part a Configure-Request answer must reject as it came, as pppd's
    /// lcp_reqci and ipcp_reqci do ("Reject till end of packet").
    /// </summary>
    public static int ParseWellFormed(ReadOnlySpan<byte> data, out List<RawOption> options)
    {
        options = [];
        int offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 2)
                return offset;
            int length = data[offset + 1];
            if (length < 2 || offset + length > data.Length)
                return offset;
            options.Add(new RawOption(data[offset], data.Slice(offset + 2, length - 2).ToArray()));
            offset += length;
        }
        return offset;
    }

    public static byte[] Serialize(IEnumerable<RawOption> options)
    {
        var writer = new OptionWriter();
        foreach (var option in options)
            writer.Write(option);
        return writer.ToArray();
    }
}
