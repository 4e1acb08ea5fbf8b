using System.Buffers.Binary;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Tests.Automaton;

/// <summary>
/// A small policy for driving the engine: one two-octet "width" option negotiated toward a value
/// within [Min, Max] (Nak with the nearest bound), and an "extra" option that only some peers know
/// (Rejected by the others). Records what the engine told it.
/// </summary>
internal class WidthPolicy : IControlPolicy
{
    public const byte WidthType = 1;
    public const byte ExtraType = 9;
    public const uint ExtraValue = 0xCAFE;

    private ushort _request;
    private bool _requestWidth;
    private bool _requestExtra;

    public WidthPolicy(string name = "TEST", ushort protocol = PppProtocol.Ipcp)
    {
        Name = name;
        Protocol = protocol;
        ResetState();
    }

    public ushort Protocol { get; }
    public string Name { get; }
    public ushort Want { get; init; } = 1000;
    public ushort Min { get; init; } = 100;
    public ushort Max { get; init; } = 1000;
    public bool RequestExtra { get; init; }
    public bool KnowsExtra { get; init; }

    /// <summary>When false the policy keeps Nak'ing after Max-Failure, as a careless policy would.</summary>
    public bool HonoursMaxFailure { get; init; } = true;

    public int Resets { get; private set; }
    public ushort? AckedWidth { get; private set; }
    public ushort? PeerWidth { get; private set; }
    public bool ExtraRejected { get; private set; }
    public List<bool> RejectFlagsSeen { get; } = [];

    public void Reset()
    {
        Resets++;
        ResetState();
    }

    private void ResetState()
    {
        _request = Want;
        _requestWidth = true;
        _requestExtra = RequestExtra;
        AckedWidth = null;
        PeerWidth = null;
    }

    public void WriteRequest(OptionWriter request)
    {
        if (_requestWidth)
            request.WriteUInt16(WidthType, _request);
        if (_requestExtra)
            request.WriteUInt32(ExtraType, ExtraValue);
    }

    public RequestVerdict JudgeRequest(IReadOnlyList<RawOption> options, OptionWriter reply, bool rejectInsteadOfNak)
    {
        RejectFlagsSeen.Add(rejectInsteadOfNak);
        var rejects = new List<RawOption>();
        var naks = new List<RawOption>();
        ushort? width = null;
        foreach (var option in options)
        {
            if (option.Type == ExtraType && KnowsExtra)
                continue;
            if (option.Type != WidthType || option.Data.Length != 2)
            {
                rejects.Add(option);
                continue;
            }
            ushort value = BinaryPrimitives.ReadUInt16BigEndian(option.Data.Span);
            if (value >= Min && value <= Max)
            {
                width = value;
                continue;
            }
            if (rejectInsteadOfNak && HonoursMaxFailure)
                rejects.Add(option);
            else
                naks.Add(new RawOption(WidthType, Be16(value < Min ? Min : Max)));
        }
        // RFC 1661 §5.4: a Reject, if any, is sent instead of a Nak.
        if (rejects.Count > 0)
        {
            rejects.ForEach(option => reply.Write(option));
            return RequestVerdict.Reject;
        }
        if (naks.Count > 0)
        {
            naks.ForEach(option => reply.Write(option));
            return RequestVerdict.Nak;
        }
        PeerWidth = width;
        return RequestVerdict.Ack;
    }

    public void ApplyAck(IReadOnlyList<RawOption> acked)
    {
        foreach (var option in acked.Where(o => o.Type == WidthType && o.Data.Length == 2))
            AckedWidth = BinaryPrimitives.ReadUInt16BigEndian(option.Data.Span);
    }

    public void ApplyNak(IReadOnlyList<RawOption> nakked)
    {
        foreach (var option in nakked.Where(o => o.Type == WidthType && o.Data.Length == 2))
            _request = Math.Clamp(BinaryPrimitives.ReadUInt16BigEndian(option.Data.Span), Min, Max);
    }

    public void ApplyReject(IReadOnlyList<RawOption> rejected)
    {
        foreach (var option in rejected)
        {
            if (option.Type == WidthType)
                _requestWidth = false;
            if (option.Type == ExtraType)
            {
                _requestExtra = false;
                ExtraRejected = true;
            }
        }
    }

    public string Describe() => $"width {AckedWidth?.ToString() ?? "-"}";

    private static byte[] Be16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }
}

/// <summary>The same policy speaking for LCP: the engine then handles codes 8-11.</summary>
internal sealed class LcpWidthPolicy : WidthPolicy, ILcpPolicy
{
    public LcpWidthPolicy(string name = "LCP") : base(name, PppProtocol.Lcp)
    {
    }

    public uint LocalMagic { get; set; } = 0x1111_1111;
    public uint PeerMagic { get; set; } = 0x2222_2222;
}
