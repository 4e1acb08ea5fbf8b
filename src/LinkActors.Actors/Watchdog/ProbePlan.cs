using System.Net;
using LinkActors.Actors.Network;

namespace LinkActors.Actors.Watchdog;

/// <summary>What the idle-link probe sends: an ICMP echo request, or the fixed DNS query.</summary>
public enum ProbeKind { Icmp, Dns }

/// <summary>
/// The idle-link probe of one link within its data budget: which probe (the first that applies: a
/// configured target by ICMP; a DNS server the peer gave, RFC 1877; the peer by ICMP), and how often,
/// as the budget allows. Pure: settings and IPCP's result in, a plan out.
/// </summary>
/// <param name="BytesPerProbe">What one answered probe costs on the line: request and reply with PPP's framing.</param>
public sealed record ProbePlan(ProbeKind Kind, IPAddress Target, TimeSpan Interval, int BytesPerProbe)
{
    /// <summary>PPP in HDLC-like framing around each packet: flag, address, control, protocol, FCS-16, flag (RFC 1662 §3.1), a few escapes.</summary>
    public const int FramingOverhead = 10;

    /// <summary>Payload of the ICMP echo probe.</summary>
    public static ReadOnlySpan<byte> IcmpPayload => "linkactors"u8;

    /// <summary>The ICMP probe as an IP packet: 20 (IPv4) + 8 (ICMP) + payload; its reply is as long.</summary>
    public static int IcmpLength => 28 + IcmpPayload.Length;

    /// <summary>What the budget assumes a DNS answer to the fixed query costs (a root SOA in the authority section fits).</summary>
    public const int DnsAnswerAllowance = 160;

    /// <summary>Each probe is tried this many times before the path is judged dead (one lost datagram is not a dead path).</summary>
    public const int Attempts = 2;

    /// <summary>How long one attempt waits for its answer.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Cost of one answered probe of <paramref name="kind"/> on the line.</summary>
    public static int Cost(ProbeKind kind) => kind == ProbeKind.Icmp
        ? 2 * (IcmpLength + FramingOverhead)
        : DnsProbePacket.Length + FramingOverhead + DnsAnswerAllowance + FramingOverhead;

    /// <summary>
    /// The interval a budget of <paramref name="bytesPerDay"/> allows for probes costing <paramref name="bytesPerProbe"/>:
    /// a day divided by how many fit in it, never shorter than the window (a probe is only sent after a whole window
    /// without receiving anything). Null when the budget is 0 or too small for even one probe a day.
    /// </summary>
    public static TimeSpan? IntervalFor(long bytesPerDay, int bytesPerProbe, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerProbe);
        if (bytesPerDay < bytesPerProbe)
            return null;
        var interval = TimeSpan.FromTicks(TimeSpan.TicksPerDay / (bytesPerDay / bytesPerProbe));
        return interval < window ? window : interval;
    }

    /// <summary>The plan for a link, or null when it has no probe (budget 0, or no address to probe from or to).</summary>
    public static ProbePlan? For(long bytesPerDay, TimeSpan window, IPAddress? configuredTarget, IPAddress? local, IPAddress? peer, IPAddress? dns1, IPAddress? dns2)
    {
        if (local is null || window <= TimeSpan.Zero)
            return null;
        var dns = Usable(dns1) ?? Usable(dns2);
        (ProbeKind kind, IPAddress? target) = configuredTarget is not null ? (ProbeKind.Icmp, configuredTarget)
            : dns is not null ? (ProbeKind.Dns, dns)
            : (ProbeKind.Icmp, Usable(peer));
        if (target is null)
            return null;
        int cost = Cost(kind);
        return IntervalFor(bytesPerDay, cost, window) is { } interval ? new ProbePlan(kind, target, interval, cost) : null;
    }

    private static IPAddress? Usable(IPAddress? address) =>
        address is null || address.Equals(IPAddress.Any) || address.Equals(IPAddress.Broadcast) ? null : address;

    /// <summary>In words: "DNS query to 10.0.0.2 every 18.9 min".</summary>
    public override string ToString() =>
        $"{(Kind == ProbeKind.Dns ? "DNS query" : "ICMP echo")} to {Target} after {Interval.TotalMinutes.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} min without anything received";
}
