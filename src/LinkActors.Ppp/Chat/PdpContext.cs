using System.Net;

namespace LinkActors.Ppp.Chat;

/// <summary>
/// One PDP context (the modem's data bearer) as the modem described it: AT+CGACT? says whether it is active
/// (3GPP TS 27.007 §10.1.10), AT+CGPADDR its address (§10.1.14), AT+CGCONTRDP its APN and address (§10.1.23).
/// Each field is null when no answer said it.
/// </summary>
/// <param name="Cid">&lt;cid&gt;: the context's number (1 is the one ATD*99# uses on most modems; BC66 numbers from 0).</param>
/// <param name="Active">&lt;state&gt; of +CGACT: 1 active, 0 not.</param>
/// <param name="Address">The IPv4 address of &lt;PDP_addr&gt; / &lt;local_addr&gt;, when it has one (0.0.0.0 is none).</param>
/// <param name="Ipv6Address">An IPv6 address of the context, when it has one.</param>
/// <param name="Apn">&lt;APN&gt; of +CGCONTRDP.</param>
public sealed record PdpContext(int Cid, bool? Active = null, IPAddress? Address = null, IPAddress? Ipv6Address = null, string? Apn = null)
{
    /// <summary>This context with every field that <paramref name="newer"/> knows taken from it.</summary>
    public PdpContext Merge(PdpContext newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        return new PdpContext(Cid, newer.Active ?? Active, newer.Address ?? Address, newer.Ipv6Address ?? Ipv6Address, newer.Apn ?? Apn);
    }

    /// <summary>"context 1 active, 10.64.12.7 (APN internet)".</summary>
    public string Describe()
    {
        var parts = new List<string> { $"context {Cid}" + (Active switch { true => " active", false => " inactive", null => "" }) };
        if (Address is not null)
            parts.Add(Address.ToString());
        if (Ipv6Address is not null)
            parts.Add(Ipv6Address.ToString());
        string text = string.Join(", ", parts);
        return Apn is null ? text : $"{text} (APN {Apn})";
    }

    /// <summary>Contexts by cid, <paramref name="newer"/>'s fields over <paramref name="older"/>'s; ordered by cid.</summary>
    public static IReadOnlyList<PdpContext>? Merge(IReadOnlyList<PdpContext>? older, IReadOnlyList<PdpContext>? newer)
    {
        if (newer is null || newer.Count == 0)
            return older;
        if (older is null || older.Count == 0)
            return newer;
        var byCid = new Dictionary<int, PdpContext>();
        foreach (var context in older.Concat(newer))
            byCid[context.Cid] = byCid.TryGetValue(context.Cid, out var known) ? known.Merge(context) : context;
        return [.. byCid.Values.OrderBy(c => c.Cid)];
    }
}

/// <summary>
/// AT+CESQ's extended signal quality (3GPP TS 27.007 §8.69): each field null when the modem says "not known
/// or not detectable" (99 for rxlev/ber, 255 for the others).
/// </summary>
/// <param name="Rxlev">GSM received level, 0..63.</param>
/// <param name="Ber">GSM bit error rate, 0..7.</param>
/// <param name="Rscp">UMTS received signal code power, 0..96.</param>
/// <param name="Ecno">UMTS Ec/No, 0..49.</param>
/// <param name="Rsrq">LTE reference signal received quality, 0..34.</param>
/// <param name="Rsrp">LTE reference signal received power, 0..97.</param>
public sealed record ExtendedSignal(int? Rxlev, int? Ber, int? Rscp, int? Ecno, int? Rsrq, int? Rsrp)
{
    /// <summary>§8.69: &lt;rsrp&gt; 0 is below -140 dBm, n is at least -141 + n dBm (its 1 dB range's lower end), 97 is -44 dBm or more.</summary>
    public int? RsrpDbm => Rsrp is >= 0 and <= 97 ? -141 + Rsrp.Value : null;

    /// <summary>§8.69: &lt;rsrq&gt; 0 is below -19.5 dB, n is at least -20 + n/2 dB, 34 is -3 dB or more.</summary>
    public double? RsrqDb => Rsrq is >= 0 and <= 34 ? -20 + (Rsrq.Value / 2.0) : null;
}
