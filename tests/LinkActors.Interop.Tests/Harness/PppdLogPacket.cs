using System.Globalization;
using System.Text.RegularExpressions;

namespace LinkActors.Interop.Tests.Harness;

/// <summary>One option pppd printed in a packet line: "&lt;magic 0x1a2b3c4d&gt;" is Name "magic", Value "0x1a2b3c4d".</summary>
public sealed record PppdLogOption(string Name, string Value);

/// <summary>
/// A packet line of pppd's debug log: "sent [LCP ConfReq id=0x1 &lt;asyncmap 0x0&gt; &lt;magic 0x5e4c0d37&gt;]".
/// Sent is from pppd's point of view.
/// </summary>
public sealed partial record PppdLogPacket(bool Sent, string Protocol, string Code, int? Id, IReadOnlyList<PppdLogOption> Options, string Rest, string Line)
{
    /// <summary>The value of the first option named <paramref name="name"/>, or null.</summary>
    public string? Option(string name) => Options.FirstOrDefault(o => o.Name == name)?.Value;

    public static IReadOnlyList<PppdLogPacket> ParseAll(IEnumerable<string> lines) =>
        [.. lines.Select(TryParse).OfType<PppdLogPacket>()];

    public static PppdLogPacket? TryParse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var match = PacketLine().Match(line);
        if (!match.Success)
            return null;
        int? id = match.Groups["id"].Success ? int.Parse(match.Groups["id"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : null;
        var rest = match.Groups["rest"].Value;
        var options = OptionText().Matches(rest).Select(m => new PppdLogOption(m.Groups["name"].Value, m.Groups["value"].Value.Trim())).ToList();
        return new PppdLogPacket(match.Groups["dir"].Value == "sent", match.Groups["proto"].Value, match.Groups["code"].Value, id, options, rest.Trim(), line);
    }

    [GeneratedRegex(@"^(?<dir>sent|rcvd) \[(?<proto>\S+) (?<code>[A-Za-z]+)(?: id=0x(?<id>[0-9a-f]+))?(?<rest>.*)\]\s*$")]
    private static partial Regex PacketLine();

    [GeneratedRegex(@"<(?<name>[^\s>]+)(?: (?<value>[^>]*))?>")]
    private static partial Regex OptionText();
}
