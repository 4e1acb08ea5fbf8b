using System.Globalization;
using LinkActors.Interop.Tests.Harness;

namespace LinkActors.Interop.Tests.Oracle;

/// <summary>
/// Decodes a pppd record file with Wireshark's dissectors (Oracle/tshark-oracle.sh): an independent
/// reading of every byte that crossed the line, FCS included.
/// </summary>
public static class TsharkOracle
{
    public static async Task<IReadOnlyList<TsharkFrame>> DecodeAsync(string recordPath)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Oracle", "tshark-oracle.sh");
        var result = await ProcessRunner.RunAsync("sh", [script, recordPath], TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"tshark could not read {recordPath} (exit {result.ExitCode}): {result.StandardError}");
        return Parse(result.StandardOutput);
    }

    public static IReadOnlyList<TsharkFrame> Parse(string tabSeparated)
    {
        ArgumentNullException.ThrowIfNull(tabSeparated);
        var lines = tabSeparated.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
            return [];
        var header = lines[0].TrimEnd('\r').Split('\t');
        var frames = new List<TsharkFrame>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.TrimEnd('\r').Split('\t');
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < header.Length; i++)
                fields[header[i]] = i < cells.Length ? cells[i] : "";
            int number = int.Parse(fields["frame.number"], CultureInfo.InvariantCulture);
            // frame.p2p_dir: 0 for the recorder's own sent stream, 1 for what it received.
            bool sent = fields["frame.p2p_dir"] == "0";
            ushort protocol = (ushort)(TsharkFrame.ParseNumber(fields["ppp.protocol"] is { Length: > 0 } p ? p.Split(';')[0] : null) ?? 0);
            bool fcsGood = fields["ppp.fcs.status"] == "1";
            frames.Add(new TsharkFrame(number, sent, protocol, fcsGood, fields));
        }
        return frames;
    }
}
