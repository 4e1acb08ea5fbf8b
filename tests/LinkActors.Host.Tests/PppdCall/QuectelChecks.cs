using System.Text;

namespace LinkActors.Host.Tests.PppdCall;

/// <summary>
/// The user's peers file, option by option, against what crossed the line: the debug trace
/// (pppd's "sent [...]" / "rcvd [...]" lines) and the record file read by tshark.
/// </summary>
internal static class QuectelChecks
{
    private const ushort Lcp = 0xc021;
    private const ushort Ipcp = 0x8021;
    private const ushort Ipv6cp = 0x8057;
    private const ushort Ccp = 0x80fd;
    private const ushort Pap = 0xc023;
    private const ushort Chap = 0xc223;
    private const int ConfReq = 1;
    private const int ConfAck = 2;
    private const int ConfNak = 3;
    private const int ConfRej = 4;
    private const int ProtRej = 8;

    // LCP option types (RFC 1661 §6, RFC 1334): Authentication-Protocol, PFC, ACFC.
    private const int LcpAuth = 3;
    private const int LcpPfc = 7;
    private const int LcpAcfc = 8;

    // IPCP option type 2: IP-Compression-Protocol (Van Jacobson, RFC 1332 §3.2).
    private const int IpcpCompression = 2;

    /// <summary>/etc/chatscripts/quectel-chat-connect's sends, in order.</summary>
    public static readonly string[] ChatCommands =
    [
        "AT", "ATE0", "ATI", "AT+CSQ", "AT+CPIN?", "AT+COPS?", "AT+CGREG?", "ATZ",
        "AT+CGDCONT=1,\"IP\",\"iot.1nce.net\",,0,0", "ATDT*99#",
    ];

    /// <summary>Every check of a run that must come up; returns what was seen, for the test output.</summary>
    public static async Task<string> AssertUpAsConfiguredAsync(QuectelRun run)
    {
        var seen = new StringBuilder();
        string context = $"\n{run.Diagnostics}";

        // The link comes up, with the address the network assigned (ipcp-accept-local).
        Assert.True(run.Up is not null, $"the link did not come up (ended: {run.Ended}){context}");
        Assert.Equal(QuectelCallRig.ClientAddress, run.Up!.Local);
        Assert.Equal(QuectelCallRig.ServerAddress, run.Up.Remote);
        seen.AppendLine($"up: local {run.Up.Local} remote {run.Up.Remote} ({run.Up.Negotiated})");

        CheckChat(run, seen, context);
        CheckTrace(run, seen, context);
        await CheckRecordAsync(run, seen);

        // lock: the UUCP lock is taken for the device while the link runs, and given back.
        Assert.True(run.LockHeldWhileUp, "lock: no /var/lock/LCK.. file for the device while the link was up");
        Assert.True(run.LockGoneAfterStop, "lock: the lock file is still there after the link ended");
        seen.AppendLine("lock: LCK.. file held while up, removed after the stop");
        return seen.ToString();
    }

    /// <summary>connect 'chat ... -f /etc/chatscripts/quectel-chat-connect': every send reached the modem, in order, last before CONNECT.</summary>
    private static void CheckChat(QuectelRun run, StringBuilder seen, string context)
    {
        var commands = run.CommandsBeforeConnect;
        Assert.True(commands.Count >= ChatCommands.Length && commands.TakeLast(ChatCommands.Length).SequenceEqual(ChatCommands),
            $"the modem's commands before CONNECT were [{string.Join(" | ", commands)}], expected them to end with the chat script's [{string.Join(" | ", ChatCommands)}]{context}");
        Assert.Equal("iot.1nce.net", run.Apn);
        seen.AppendLine($"modem commands before CONNECT: {string.Join(" | ", commands)}");
        seen.AppendLine($"APN of context 1: {run.Apn}");
    }

    private static void CheckTrace(QuectelRun run, StringBuilder seen, string context)
    {
        var trace = run.ClientTrace;
        List<string> Lines(string prefix) => [.. trace.Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];

        // noaccomp, nopcomp, noauth: our LCP Configure-Requests carry none of those options.
        var lcpRequests = Lines("sent [LCP ConfReq");
        Assert.True(lcpRequests.Count > 0, $"no LCP ConfReq of ours in the trace{context}");
        foreach (var line in lcpRequests)
        {
            Assert.DoesNotContain("<pcomp>", line, StringComparison.Ordinal);
            Assert.DoesNotContain("<accomp>", line, StringComparison.Ordinal);
            Assert.DoesNotContain("<auth", line, StringComparison.Ordinal);
        }
        seen.AppendLine($"trace: our LCP ConfReq: {lcpRequests[0]} (x{lcpRequests.Count})");

        // passive is pppd's "keep waiting after the peer does not answer", not silent: we still send
        // a ConfReq; the peer's ConfReq reaches us and is acked.
        var peerLcp = Lines("rcvd [LCP ConfReq");
        Assert.True(peerLcp.Count > 0, $"no LCP ConfReq from the network in the trace{context}");
        Assert.Contains(trace, l => l.StartsWith("sent [LCP ConfAck", StringComparison.Ordinal));
        seen.AppendLine($"trace: the network's LCP ConfReq: {peerLcp[0]}");
        if (peerLcp[0].Contains("<pcomp>", StringComparison.Ordinal) || peerLcp[0].Contains("<accomp>", StringComparison.Ordinal))
        {
            var reject = Lines("sent [LCP ConfRej");
            Assert.Contains(reject, l => l.Contains("<pcomp>", StringComparison.Ordinal) && l.Contains("<accomp>", StringComparison.Ordinal));
            seen.AppendLine($"trace: our reject of the network's compression: {reject[0]}");
        }

        // noauth with a network that does not ask: no authentication packet at all.
        Assert.DoesNotContain(trace, l => l.StartsWith("sent [PAP", StringComparison.Ordinal) || l.StartsWith("sent [CHAP", StringComparison.Ordinal));

        // noipdefault: the first IPCP ConfReq asks for 0.0.0.0; novj: no compression option;
        // ipcp-accept-local: the Nak's address is taken; ipcp-accept-remote: the peer's address is acked.
        var ipcpRequests = Lines("sent [IPCP ConfReq");
        Assert.True(ipcpRequests.Count >= 2, $"expected at least two IPCP ConfReqs of ours (0.0.0.0, then the assigned address){context}");
        Assert.Contains("<addr 0.0.0.0>", ipcpRequests[0], StringComparison.Ordinal);
        Assert.Contains($"<addr {QuectelCallRig.ClientAddress}>", ipcpRequests[^1], StringComparison.Ordinal);
        Assert.All(ipcpRequests, l => Assert.DoesNotContain("<compress", l, StringComparison.Ordinal));
        var nak = Assert.Single(Lines("rcvd [IPCP ConfNak"));
        Assert.Contains($"<addr {QuectelCallRig.ClientAddress}>", nak, StringComparison.Ordinal);
        var ack = Lines("sent [IPCP ConfAck");
        Assert.Contains(ack, l => l.Contains($"<addr {QuectelCallRig.ServerAddress}>", StringComparison.Ordinal));
        seen.AppendLine($"trace: our IPCP ConfReqs: {string.Join(" ; ", ipcpRequests)}");
        seen.AppendLine($"trace: the network's Nak: {nak}; our Ack: {ack[^1]}");

        // noipv6, noccp: we send no IPV6CP and no CCP packet.
        Assert.Empty(Lines("sent [IPV6CP"));
        Assert.Empty(Lines("sent [CCP"));
        var rejects = Lines("sent [LCP ProtRej");
        if (Lines("rcvd [IPV6CP").Count > 0)
            Assert.Contains(rejects, l => l.Contains("proto=0x8057", StringComparison.Ordinal));
        seen.AppendLine($"trace: no IPV6CP / CCP sent; our Protocol-Rejects: {(rejects.Count == 0 ? "none" : string.Join(" ; ", rejects))}");
    }

    private static async Task CheckRecordAsync(QuectelRun run, StringBuilder seen)
    {
        // record FILE: the raw line, both directions, every frame with a good FCS.
        Assert.True(File.Exists(run.RecordPath), $"record: {run.RecordPath} was not written");
        var frames = await RecordFile.DecodeAsync(run.RecordPath);
        string all = "\n" + string.Join("\n", frames);
        Assert.True(frames.Count > 0, "record: tshark found no frame");
        // Not every octet on the line is PPP: what chat left unread after CONNECT (the end of the
        // modem's "\r\nCONNECT\r\n") and the modem's "NO CARRIER" when the call ends are recorded as
        // pppd records them, and Wireshark reads each as a frame with a bad FCS (pppdump -p: "short
        // packet"). They must be modem text, received; every PPP frame must have a good FCS.
        var chunks = RecordFile.Chunks(run.RecordPath);
        var text = chunks.Where(c => c.Octets[0] != 0xff).ToList();
        Assert.True(text.All(c => !c.Sent && c.Octets.All(b => b is (byte)'\r' or (byte)'\n' or (>= 0x20 and < 0x7f))),
            $"record: octets outside PPP frames that are not modem text: {string.Join(", ", text.Select(c => Convert.ToHexString(c.Octets)))}");
        var notFrames = frames.Where(f => !f.FcsGood).ToList();
        Assert.True(notFrames.Count <= text.Count && notFrames.All(f => !f.Sent),
            $"record: {notFrames.Count} rows with a bad FCS but only {text.Count} runs of modem text on the line:{all}");
        seen.AppendLine($"record: modem text on the line outside PPP: {string.Join(", ", text.Select(c => System.Text.Json.JsonSerializer.Serialize(System.Text.Encoding.ASCII.GetString(c.Octets))))}");
        frames = [.. frames.Except(notFrames)];
        Assert.True(frames.All(f => f.FcsGood), $"record: a frame with a bad FCS:{all}");
        Assert.Contains(frames, f => f.Sent);
        Assert.Contains(frames, f => !f.Sent);

        var ourLcp = frames.Where(f => f.Sent && f.Protocol == Lcp && f.Code == ConfReq).ToList();
        Assert.True(ourLcp.Count > 0, $"record: no LCP ConfReq of ours:{all}");
        foreach (var frame in ourLcp)
        {
            var types = frame.Numbers("lcp.opt.type");
            Assert.DoesNotContain(LcpPfc, types);
            Assert.DoesNotContain(LcpAcfc, types);
            Assert.DoesNotContain(LcpAuth, types);
        }

        // The network's PFC and ACFC are rejected: noaccomp / nopcomp disable both directions.
        Assert.Contains(frames, f => f.Sent && f.Protocol == Lcp && f.Code == ConfRej
            && f.Numbers("lcp.opt.type").Contains(LcpPfc) && f.Numbers("lcp.opt.type").Contains(LcpAcfc));
        // noipv6: an IPV6CP the network offers is Protocol-Rejected.
        if (frames.Any(f => !f.Sent && f.Protocol == Ipv6cp))
            Assert.Contains(frames, f => f.Sent && f.Protocol == Lcp && f.Code == ProtRej);

        var ourIpcp = frames.Where(f => f.Sent && f.Protocol == Ipcp && f.Code == ConfReq).ToList();
        Assert.True(ourIpcp.Count >= 2, $"record: expected two IPCP ConfReqs of ours:{all}");
        Assert.All(ourIpcp, f => Assert.DoesNotContain(IpcpCompression, f.Numbers("ipcp.opt.type")));
        Assert.Equal(["0.0.0.0"], ourIpcp[0].Values("ipcp.opt.ip_address"));
        Assert.Equal([QuectelCallRig.ClientAddress.ToString()], ourIpcp[^1].Values("ipcp.opt.ip_address"));
        Assert.Contains(frames, f => !f.Sent && f.Protocol == Ipcp && f.Code == ConfNak && f.Values("ipcp.opt.ip_address").Contains(QuectelCallRig.ClientAddress.ToString()));
        Assert.Contains(frames, f => f.Sent && f.Protocol == Ipcp && f.Code == ConfAck && f.Values("ipcp.opt.ip_address").Contains(QuectelCallRig.ServerAddress.ToString()));

        Assert.DoesNotContain(frames, f => f.Sent && f.Protocol is Ipv6cp or Ccp);
        Assert.DoesNotContain(frames, f => f.Sent && f.Protocol is Pap or Chap);
        seen.AppendLine($"record: {frames.Count} frames ({frames.Count(f => f.Sent)} sent, {frames.Count(f => !f.Sent)} received), every FCS good:{all}");
    }
}
