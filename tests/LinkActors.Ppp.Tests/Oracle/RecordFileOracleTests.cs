using System.Globalization;
using System.Net;
using LinkActors.Ppp.Framing;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Trace;

namespace LinkActors.Ppp.Tests.Oracle;

/// <summary>
/// Frames built by this library, HDLC-encoded by <see cref="HdlcEncoder"/> and recorded by
/// <see cref="RecordWriter"/>, are decoded by two independent readers: Wireshark's dissectors
/// (through tshark) and pppdump. Both must find every FCS good and read back the values written,
/// and both must notice a frame whose FCS was corrupted.
/// </summary>
public sealed class RecordFileOracleTests : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private const ushort Mru = 1500;
    private const uint OurMagic = 0x12345678;
    private const uint PeerMagic = 0xCAFEBABE;
    private const ushort PeerMru = 1400;
    private const string PeerId = "linkuser";
    private const string ChapName = "peer-server";

    // Wireshark's fields for each frame. pap.password and chap.value are left out on purpose:
    // nothing this project runs prints a password or a CHAP value, not even in a test log.
    private static readonly string[] TsharkArguments =
    [
        "-X", "read_format:pppd log (pppdump format)", "-o", "ppp.fcs_type:16-Bit",
        "-T", "fields", "-E", "header=y", "-E", "separator=,", "-E", "occurrence=a", "-E", "aggregator=;",
        "-e", "frame.number", "-e", "frame.time_epoch", "-e", "frame.p2p_dir", "-e", "ppp.protocol", "-e", "ppp.fcs.status",
        "-e", "ppp.code", "-e", "ppp.identifier", "-e", "lcp.opt.type", "-e", "lcp.opt.mru", "-e", "lcp.opt.magic_number",
        "-e", "lcp.opt.asyncmap", "-e", "lcp.opt.auth_protocol", "-e", "ipcp.opt.ip_address", "-e", "pap.code",
        "-e", "pap.peer_id", "-e", "chap.code", "-e", "chap.name", "-e", "_ws.expert.message",
    ];

    private readonly List<string> _files = [];

    private sealed record Frame(bool Sent, ushort Protocol, byte[] Information, DateTimeOffset At);

    [Fact]
    public async Task Tshark_GoodRecordFile_FcsGoodAndValuesReadBack()
    {
        string tshark = ExternalTool.Require("tshark", "tshark");
        var frames = Conversation();
        string file = WriteRecordFile(frames, corruptFrame: null);

        var rows = await RunTsharkAsync(tshark, file);

        Assert.Equal(frames.Count, rows.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            var row = rows[i];
            Assert.True(row["ppp.fcs.status"] == "1", $"frame {i + 1}: FCS status '{row["ppp.fcs.status"]}', expected 1 (good)");
            Assert.Equal(frames[i].Sent ? 0 : 1, int.Parse(row["frame.p2p_dir"], CultureInfo.InvariantCulture));
            Assert.Equal(frames[i].Protocol, ParseNumber(row["ppp.protocol"]));
            double epoch = double.Parse(row["frame.time_epoch"], CultureInfo.InvariantCulture);
            Assert.InRange(epoch, frames[i].At.ToUnixTimeMilliseconds() / 1000.0 - 0.01, frames[i].At.ToUnixTimeMilliseconds() / 1000.0 + 0.01);
        }

        // Frame 1: our LCP Configure-Request.
        Assert.Equal(Mru, ParseNumber(rows[0]["lcp.opt.mru"]));
        Assert.Equal(OurMagic, ParseNumber(rows[0]["lcp.opt.magic_number"]));
        Assert.Equal(0u, ParseNumber(rows[0]["lcp.opt.asyncmap"]));
        Assert.Equal(PppProtocol.Chap, ParseNumber(rows[0]["lcp.opt.auth_protocol"]));
        // Frame 2: the peer's LCP Configure-Request, asking for PAP.
        Assert.Equal(PeerMru, ParseNumber(rows[1]["lcp.opt.mru"]));
        Assert.Equal(PeerMagic, ParseNumber(rows[1]["lcp.opt.magic_number"]));
        Assert.Equal(PppProtocol.Pap, ParseNumber(rows[1]["lcp.opt.auth_protocol"]));
        // Frame 3: PAP Authenticate-Request.
        Assert.Equal(PeerId, rows[2]["pap.peer_id"]);
        // Frame 4: CHAP Challenge.
        Assert.Equal(ChapName, rows[3]["chap.name"]);
        // Frames 5 and 6: IPCP Configure-Request and Configure-Nak.
        Assert.Equal("192.0.2.1", rows[4]["ipcp.opt.ip_address"]);
        Assert.Equal("192.0.2.2", rows[5]["ipcp.opt.ip_address"]);
        Assert.Equal((uint)ControlCode.ConfNak, ParseNumber(rows[5]["ppp.code"]));
    }

    [Fact]
    public async Task Tshark_CorruptedFcs_ReportedBad()
    {
        string tshark = ExternalTool.Require("tshark", "tshark");
        var frames = Conversation();
        const int Corrupted = 2; // the PAP Authenticate-Request
        string file = WriteRecordFile(frames, corruptFrame: Corrupted);

        var rows = await RunTsharkAsync(tshark, file);

        Assert.Equal(frames.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
            Assert.Equal(i == Corrupted ? "0" : "1", rows[i]["ppp.fcs.status"]);
    }

    [Fact]
    public async Task Pppdump_GoodRecordFile_NoBadFcs()
    {
        string pppdump = ExternalTool.Require("pppdump", "ppp");
        var frames = Conversation();
        string file = WriteRecordFile(frames, corruptFrame: null);

        var result = await ExternalTool.RunAsync(pppdump, ["-p", file], ToolTimeout);

        // pppdump -p prints each frame that passed framing as a "sent" or "rcvd" line of hex; the
        // output itself is not put in a message, as it shows the PAP packet's octets.
        var lines = result.StandardOutput.Split('\n');
        int packets = lines.Count(line => line.StartsWith("sent ", StringComparison.Ordinal) || line.StartsWith("rcvd ", StringComparison.Ordinal));
        Assert.True(packets == frames.Count, $"pppdump showed {packets} frames, expected {frames.Count}; stderr: {result.StandardError}");
        Assert.DoesNotContain(lines, line => line.Contains("BAD FCS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pppdump_CorruptedFcs_ReportsBadFcs()
    {
        string pppdump = ExternalTool.Require("pppdump", "ppp");
        var frames = Conversation();
        string file = WriteRecordFile(frames, corruptFrame: 4);

        var result = await ExternalTool.RunAsync(pppdump, ["-p", file], ToolTimeout);

        int bad = result.StandardOutput.Split('\n').Count(line => line.Contains("BAD FCS", StringComparison.Ordinal));
        Assert.Equal(1, bad);
    }

    [Fact]
    public void Require_MissingTool_FailsInsteadOfPassing()
    {
        var failure = Assert.ThrowsAny<Exception>(() => ExternalTool.Require("linkactors-no-such-decoder", "no-such-package"));
        Assert.Contains("apt-get install no-such-package", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (string file in _files)
            File.Delete(file);
    }

    /// <summary>A short link start-up, half a second apart, in both directions.</summary>
    private static List<Frame> Conversation()
    {
        var ourLcp = new OptionWriter();
        LcpOption.WriteMru(ourLcp, Mru);
        LcpOption.WriteAccm(ourLcp, 0);
        LcpOption.WriteAuthProtocol(ourLcp, PppProtocol.Chap, LcpOption.ChapMd5);
        LcpOption.WriteMagicNumber(ourLcp, OurMagic);
        LcpOption.WritePfc(ourLcp);
        LcpOption.WriteAcfc(ourLcp);

        var peerLcp = new OptionWriter();
        LcpOption.WriteMru(peerLcp, PeerMru);
        LcpOption.WriteAuthProtocol(peerLcp, PppProtocol.Pap, null);
        LcpOption.WriteMagicNumber(peerLcp, PeerMagic);

        byte[] pap = [0x01, 0x01, 0x00, 0x00, (byte)PeerId.Length, .. "linkuser"u8, 0x04, .. "test"u8];
        pap[3] = (byte)pap.Length;

        byte[] challengeValue = [.. Enumerable.Range(0, 16).Select(i => (byte)(i * 17))];
        byte[] challenge = [0x01, 0x02, 0x00, 0x00, 0x10, .. challengeValue, .. "peer-server"u8];
        challenge[3] = (byte)challenge.Length;

        var ourIpcp = new OptionWriter();
        IpcpOption.WriteIpAddress(ourIpcp, IPAddress.Parse("192.0.2.1"));
        var peerNak = new OptionWriter();
        IpcpOption.WriteIpAddress(peerNak, IPAddress.Parse("192.0.2.2"));

        return
        [
            new(true, PppProtocol.Lcp, new ControlPacket(ControlCode.ConfReq, 1, ourLcp.ToArray()).ToArray(), Start),
            new(false, PppProtocol.Lcp, new ControlPacket(ControlCode.ConfReq, 7, peerLcp.ToArray()).ToArray(), Start.AddSeconds(0.5)),
            new(true, PppProtocol.Pap, pap, Start.AddSeconds(1)),
            new(false, PppProtocol.Chap, challenge, Start.AddSeconds(1.5)),
            new(true, PppProtocol.Ipcp, new ControlPacket(ControlCode.ConfReq, 1, ourIpcp.ToArray()).ToArray(), Start.AddSeconds(2)),
            new(false, PppProtocol.Ipcp, new ControlPacket(ControlCode.ConfNak, 1, peerNak.ToArray()).ToArray(), Start.AddSeconds(2.5)),
            new(true, PppProtocol.Lcp, new ControlPacket(ControlCode.EchoReq, 0, new byte[] { 0x12, 0x34, 0x56, 0x78 }).ToArray(), Start.AddSeconds(40)),
        ];
    }

    /// <summary>
    /// Encodes every frame as on the wire (all control characters escaped, as before LCP has
    /// negotiated an ACCM) and records it; <paramref name="corruptFrame"/> gets one FCS bit flipped.
    /// </summary>
    private string WriteRecordFile(List<Frame> frames, int? corruptFrame)
    {
        string path = Path.Combine(Path.GetTempPath(), $"linkactors-oracle-{Guid.NewGuid():N}.record");
        _files.Add(path);
        var encoder = new HdlcEncoder { TransmitAccm = 0xFFFFFFFF };
        using var writer = new RecordWriter(File.Create(path), Start);
        for (int i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            var buffer = new byte[HdlcEncoder.MaxEncodedLength(frame.Information.Length)];
            int length = encoder.Encode(frame.Protocol, frame.Information, buffer);
            var encoded = buffer.AsSpan(0, length);
            if (i == corruptFrame)
                CorruptFcs(encoded);
            if (frame.Sent)
                writer.WriteSent(encoded, frame.At);
            else
                writer.WriteReceived(encoded, frame.At);
        }
        return path;
    }

    /// <summary>Flips a bit of the last FCS octet without turning it into a flag or an escape.</summary>
    private static void CorruptFcs(Span<byte> encoded)
    {
        ref byte last = ref encoded[^2];
        byte flipped = (byte)(last ^ 0x01);
        last = flipped is Hdlc.Flag or Hdlc.ControlEscape ? (byte)(last ^ 0x02) : flipped;
    }

    private static async Task<List<Dictionary<string, string>>> RunTsharkAsync(string tshark, string file)
    {
        var result = await ExternalTool.RunAsync(tshark, [.. TsharkArguments[..4], "-r", file, .. TsharkArguments[4..]], ToolTimeout);
        Assert.True(result.ExitCode == 0, $"tshark exited with {result.ExitCode}: {result.StandardError}");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 0, $"tshark printed no header; stderr: {result.StandardError}");
        string[] header = lines[0].Split(',');
        // The expert message comes last and may itself hold commas, so split no further than the header.
        return [.. lines.Skip(1).Select(line =>
        {
            string[] cells = line.Split(',', header.Length);
            return header.Select((name, i) => (name, value: i < cells.Length ? cells[i] : ""))
                .ToDictionary(cell => cell.name, cell => cell.value);
        })];
    }

    private static uint ParseNumber(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : uint.Parse(text, CultureInfo.InvariantCulture);
}
