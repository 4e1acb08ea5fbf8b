using System.Globalization;
using System.Net;
using LinkActors.Interop.Tests.Harness;

namespace LinkActors.Interop.Tests.Oracle;

/// <summary>
/// Checks that every control packet pppd logged ("sent [...]" / "rcvd [...]") is in our record file
/// as Wireshark decodes it, in the opposite direction, with the same code, identifier and option
/// values: what pppd says it sent we received byte for byte, and what it says it got we sent.
/// </summary>
public static class RecordCrossCheck
{
    public sealed record Report(int Matched, IReadOnlyList<string> Problems)
    {
        public override string ToString() => $"{Matched} packets matched; {Problems.Count} problems" +
            string.Concat(Problems.Select(p => "\n  " + p));
    }

    private static readonly Dictionary<string, ushort> Protocols = new(StringComparer.Ordinal)
    {
        ["LCP"] = 0xC021,
        ["IPCP"] = 0x8021,
        ["IPV6CP"] = 0x8057,
        ["CCP"] = 0x80FD,
        ["PAP"] = 0xC023,
        ["CHAP"] = 0xC223,
    };

    private static readonly Dictionary<string, int> ControlCodes = new(StringComparer.Ordinal)
    {
        ["ConfReq"] = 1, ["ConfAck"] = 2, ["ConfNak"] = 3, ["ConfRej"] = 4, ["TermReq"] = 5, ["TermAck"] = 6,
        ["CodeRej"] = 7, ["ProtRej"] = 8, ["EchoReq"] = 9, ["EchoRep"] = 10,
    };

    private static readonly Dictionary<string, int> PapCodes = new(StringComparer.Ordinal)
    {
        ["AuthReq"] = 1, ["AuthAck"] = 2, ["AuthNak"] = 3,
    };

    private static readonly Dictionary<string, int> ChapCodes = new(StringComparer.Ordinal)
    {
        ["Challenge"] = 1, ["Response"] = 2, ["Success"] = 3, ["Failure"] = 4,
    };

    public static Report Compare(IReadOnlyList<PppdLogPacket> pppd, IReadOnlyList<TsharkFrame> record)
    {
        ArgumentNullException.ThrowIfNull(pppd);
        ArgumentNullException.ThrowIfNull(record);
        var used = new HashSet<int>();
        var problems = new List<string>();
        int matched = 0;
        foreach (var packet in pppd)
        {
            if (!Protocols.TryGetValue(packet.Protocol, out var protocol) || packet.Id is null)
                continue;
            var codes = packet.Protocol switch { "PAP" => PapCodes, "CHAP" => ChapCodes, _ => ControlCodes };
            if (!codes.TryGetValue(packet.Code, out var code))
                continue;
            // pppd's "sent" is what we received, and the other way round.
            var frame = record.FirstOrDefault(f => !used.Contains(f.Number) && f.SentByRecorder == !packet.Sent
                && f.Protocol == protocol && f.Code == code && f.Identifier == packet.Id);
            if (frame is null)
            {
                problems.Add($"not in the record: {packet.Line}");
                continue;
            }
            used.Add(frame.Number);
            matched++;
            foreach (var problem in CompareValues(packet, frame).Where(p => p.Length > 0))
                problems.Add($"{packet.Line} vs frame {frame}: {problem}");
        }
        return new Report(matched, problems);
    }

    private static IEnumerable<string> CompareValues(PppdLogPacket packet, TsharkFrame frame)
    {
        switch (packet.Protocol)
        {
            case "LCP" when packet.Code.StartsWith("Conf", StringComparison.Ordinal):
                yield return Same(packet, "magic", frame, "lcp.opt.magic_number", Number);
                yield return Same(packet, "mru", frame, "lcp.opt.mru", Number);
                yield return Same(packet, "asyncmap", frame, "lcp.opt.asyncmap", Number);
                yield return Same(packet, "auth", frame, "lcp.opt.auth_protocol", AuthProtocol);
                break;
            case "LCP" when packet.Code is "EchoReq" or "EchoRep":
                var logged = packet.Rest.Split(' ').FirstOrDefault(w => w.StartsWith("magic=", StringComparison.Ordinal))?["magic=".Length..];
                if (logged is not null && Number(logged) != Number(frame.Value("lcp.magic_number") ?? ""))
                    yield return $"magic {logged} but tshark {frame.Value("lcp.magic_number")}";
                break;
            case "IPCP":
                yield return Same(packet, "addr", frame, "ipcp.opt.ip_address", Address);
                yield return Same(packet, "ms-dns1", frame, "ipcp.opt.pri_dns_address", Address);
                // pppd 2.4.9 prints the secondary DNS option (131) as "ms-dns2".
                yield return Same(packet, "ms-dns2", frame, "ipcp.opt.sec_dns_address", Address);
                break;
            case "IPV6CP":
                yield return Same(packet, "addr", frame, "ipv6cp.interface_identifier", InterfaceId);
                break;
        }
    }

    /// <summary>Empty when the values agree (as lists, in order), otherwise what differs.</summary>
    private static string Same(PppdLogPacket packet, string option, TsharkFrame frame, string field, Func<string, string> normalise)
    {
        var ours = packet.Options.Where(o => o.Name == option).Select(o => normalise(o.Value)).ToList();
        var theirs = frame.Values(field).Select(normalise).ToList();
        if (ours.Count == 0 && theirs.Count == 0)
            return "";
        return ours.SequenceEqual(theirs) ? "" : $"{option}: pppd [{string.Join(", ", ours)}], tshark {field} [{string.Join(", ", theirs)}]";
    }

    private static string Number(string text)
    {
        var value = TsharkFrame.ParseNumber(text.Trim());
        return value?.ToString(CultureInfo.InvariantCulture) ?? text;
    }

    private static string AuthProtocol(string text) => text.Trim() switch
    {
        var t when t.StartsWith("pap", StringComparison.Ordinal) => "c023",
        var t when t.StartsWith("chap", StringComparison.Ordinal) => "c223",
        var t when t.StartsWith("0x", StringComparison.Ordinal) => t[2..].ToLowerInvariant(),
        var t => t,
    };

    private static string Address(string text) => IPAddress.TryParse(text.Trim(), out var address) ? address.ToString() : text;

    /// <summary>pppd prints "fe80::1234:5678:9abc:def0", tshark the identifier's octets in hex.</summary>
    private static string InterfaceId(string text)
    {
        text = text.Trim();
        // tshark's "f8:8f:4f:e6:2e:98:3a:be" would parse as an IPv6 address too: only pppd's has "::".
        if (text.Contains("::", StringComparison.Ordinal) && IPAddress.TryParse(text, out var address))
            return Convert.ToHexStringLower(address.GetAddressBytes().AsSpan(8));
        return text.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
    }
}
