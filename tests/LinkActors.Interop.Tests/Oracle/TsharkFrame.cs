using System.Globalization;

namespace LinkActors.Interop.Tests.Oracle;

/// <summary>One frame as Wireshark decoded it from a record file; field values by tshark field name.</summary>
public sealed record TsharkFrame(int Number, bool SentByRecorder, ushort Protocol, bool FcsGood, IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>Every value of a field (tshark joins repeated ones with ';'); empty when absent.</summary>
    public IReadOnlyList<string> Values(string field) =>
        Fields.TryGetValue(field, out var text) && text.Length > 0 ? text.Split(';') : [];

    public string? Value(string field) => Values(field) is [var first, ..] ? first : null;

    /// <summary>The control packet's code: LCP, IPCP, IPV6CP and CCP share ppp.code; PAP and CHAP have their own.</summary>
    public int? Code => ParseNumber(Value("ppp.code") ?? Value("pap.code") ?? Value("chap.code"));

    public int? Identifier => ParseNumber(Value("ppp.identifier") ?? Value("pap.identifier") ?? Value("chap.identifier"));

    public static int? ParseNumber(string? text)
    {
        if (text is null)
            return null;
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : int.Parse(text, CultureInfo.InvariantCulture);
    }

    public override string ToString() =>
        $"#{Number} {(SentByRecorder ? "sent" : "rcvd")} 0x{Protocol:x4} code={Code} id={Identifier} fcs={(FcsGood ? "good" : "BAD")}";
}
