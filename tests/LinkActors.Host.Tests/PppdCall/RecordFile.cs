using System.Diagnostics;
using System.Globalization;

namespace LinkActors.Host.Tests.PppdCall;

/// <summary>One frame of a pppd record file as Wireshark's dissectors read it.</summary>
/// <param name="Sent">frame.p2p_dir 0: written by the recording side (us).</param>
/// <param name="Fields">Each requested field; several occurrences joined with ';'.</param>
public sealed record RecordFrame(int Number, bool Sent, ushort Protocol, int? Code, bool FcsGood, IReadOnlyDictionary<string, string> Fields)
{
    public IReadOnlyList<string> Values(string field) =>
        Fields.TryGetValue(field, out var value) && value.Length > 0 ? value.Split(';') : [];

    public IReadOnlyList<int> Numbers(string field) => [.. Values(field).Select(v => (int)RecordFile.ParseNumber(v))];

    public override string ToString() =>
        $"#{Number} {(Sent ? "sent" : "rcvd")} proto=0x{Protocol:x4} code={Code} fcs={(FcsGood ? "good" : "BAD")} "
        + string.Join(" ", Fields.Where(f => f.Value.Length > 0 && f.Key.Contains("opt", StringComparison.Ordinal)).Select(f => $"{f.Key}={f.Value}"));
}

/// <summary>Decodes a record file with tshark (an independent reading of every byte, FCS included).</summary>
public static class RecordFile
{
    private static readonly string[] FieldNames =
    [
        "frame.number", "frame.p2p_dir", "ppp.protocol", "ppp.code", "ppp.fcs.status",
        "lcp.opt.type", "lcp.opt.auth_protocol", "ipcp.opt.type", "ipcp.opt.ip_address", "chap.code",
    ];

    public static async Task<IReadOnlyList<RecordFrame>> DecodeAsync(string path)
    {
        // The link may still be up and writing: decode a copy cut after the last complete record.
        string snapshot = path + ".snapshot";
        File.WriteAllBytes(snapshot, WithoutTrailingText(CompleteRecords(File.ReadAllBytes(path))));
        path = snapshot;
        string tshark = new[] { "/usr/bin/tshark", "/usr/local/bin/tshark" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("tshark is needed to read the record file: apt-get install tshark");
        var start = new ProcessStartInfo(tshark)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "-X", "read_format:pppd log (pppdump format)", "-o", "ppp.fcs_type:16-Bit", "-r", path,
            "-T", "fields", "-E", "header=y", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=;",
            .. FieldNames.SelectMany(f => new[] { "-e", f }),
        ];
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["HOME"] = Path.GetTempPath();

        using var process = Process.Start(start) ?? throw new InvalidOperationException("tshark did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("tshark did not finish within 60 s");
        }
        string text = await output;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"tshark could not read {path} (exit {process.ExitCode}): {await error}");
        return Parse(text);
    }

    /// <summary>The bytes up to the end of the last complete record (pppdump format: tag, then its fixed or counted length).</summary>
    private static byte[] CompleteRecords(byte[] bytes)
    {
        int offset = 0, complete = 0;
        while (offset < bytes.Length)
        {
            int length = bytes[offset] switch
            {
                0x01 or 0x02 => offset + 3 <= bytes.Length ? 3 + ((bytes[offset + 1] << 8) | bytes[offset + 2]) : int.MaxValue,
                0x03 or 0x04 => 1,
                0x05 or 0x07 => 5,
                0x06 => 2,
                _ => int.MaxValue,
            };
            if (length == int.MaxValue || offset + length > bytes.Length)
                break;
            offset += length;
            complete = offset;
        }
        return bytes[..complete];
    }

    /// <summary>
    /// The same records, each direction ending at its last HDLC flag: what follows it is no frame (the
    /// modem's NO CARRIER after the last Terminate-Ack, a frame cut by the snapshot), and tshark
    /// refuses a file that ends inside a packet. Nothing before the last flag changes.
    /// </summary>
    private static byte[] WithoutTrailingText(byte[] bytes)
    {
        var records = new List<(byte Tag, byte[] Body)>();
        for (int offset = 0; offset < bytes.Length;)
        {
            byte tag = bytes[offset];
            int length = tag is 0x01 or 0x02 ? (bytes[offset + 1] << 8) | bytes[offset + 2] : 0;
            int size = tag switch { 0x01 or 0x02 => 3 + length, 0x03 or 0x04 => 1, 0x05 or 0x07 => 5, _ => 2 };
            records.Add((tag, bytes[offset..(offset + size)]));
            offset += size;
        }
        foreach (byte direction in new byte[] { 0x01, 0x02 })
        {
            for (int i = records.Count - 1; i >= 0; i--)
            {
                if (records[i].Tag != direction)
                    continue;
                var data = records[i].Body.AsSpan(3);
                int lastFlag = data.LastIndexOf((byte)0x7E);
                if (lastFlag == data.Length - 1)
                    break;
                int keep = lastFlag + 1;
                var body = new byte[3 + keep];
                body[0] = direction;
                body[1] = (byte)(keep >> 8);
                body[2] = (byte)keep;
                data[..keep].CopyTo(body.AsSpan(3));
                records[i] = (direction, body);
                if (lastFlag >= 0)
                    break;
            }
        }
        return [.. records.Where(r => r.Tag is not (0x01 or 0x02) || r.Body.Length > 3).SelectMany(r => r.Body)];
    }

    private static List<RecordFrame> Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var frames = new List<RecordFrame>();
        if (lines.Length == 0)
            return frames;
        var header = lines[0].TrimEnd('\r').Split('\t');
        foreach (var line in lines.Skip(1))
        {
            var cells = line.TrimEnd('\r').Split('\t');
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < header.Length; i++)
                fields[header[i]] = i < cells.Length ? cells[i] : "";
            string code = fields["ppp.code"].Split(';')[0];
            frames.Add(new RecordFrame(
                int.Parse(fields["frame.number"], CultureInfo.InvariantCulture),
                fields["frame.p2p_dir"] == "0",
                (ushort)ParseNumber(fields["ppp.protocol"].Split(';')[0]),
                code.Length == 0 ? null : (int)ParseNumber(code),
                fields["ppp.fcs.status"] == "1",
                fields));
        }
        return frames;
    }

    /// <summary>
    /// The record's octets cut at HDLC flags, per direction, in file order: PPP frames (they start
    /// with the address 0xff, escaped or not) and anything else on the line, such as what chat left
    /// unread after CONNECT or the modem's NO CARRIER. Read from the pppdump format directly
    /// (1/2: sent/received data with a 16-bit length; 3/4: end markers; 5: 32-bit time step;
    /// 6: 8-bit time step; 7: 32-bit start time).
    /// </summary>
    public static IReadOnlyList<(bool Sent, byte[] Octets)> Chunks(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var chunks = new List<(bool, byte[])>();
        List<byte> sent = [], received = [];
        int i = 0;
        while (i < bytes.Length)
        {
            byte code = bytes[i++];
            switch (code)
            {
                case 1 or 2:
                    int length = bytes[i] << 8 | bytes[i + 1];
                    var buffer = code == 1 ? sent : received;
                    foreach (byte b in bytes.AsSpan(i + 2, length))
                    {
                        if (b != 0x7e)
                        {
                            buffer.Add(b);
                        }
                        else if (buffer.Count > 0)
                        {
                            chunks.Add((code == 1, [.. buffer]));
                            buffer.Clear();
                        }
                    }
                    i += 2 + length;
                    break;
                case 3 or 4:
                    break;
                case 5 or 7:
                    i += 4;
                    break;
                case 6:
                    i += 1;
                    break;
                default:
                    throw new InvalidDataException($"{path}: unknown pppdump code {code} at offset {i - 1}");
            }
        }
        if (sent.Count > 0)
            chunks.Add((true, [.. sent]));
        if (received.Count > 0)
            chunks.Add((false, [.. received]));
        return chunks;
    }

    public static uint ParseNumber(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : text.Length == 0 ? 0 : uint.Parse(text, CultureInfo.InvariantCulture);
}
