using System.Net;
using System.Text;
using System.Text.Json;
using LinkActors.Fleet.Wire;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Cmux;
using LinkActors.Ppp.Framing;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;
using LinkActors.Tests.Shared;

namespace LinkActors.Fuzz;

/// <summary>
/// Seed corpora from real traffic and files: the frames of whole negotiations (PAP and CHAP) between
/// two of our own negotiators as they cross the line, the BC66 field session's modem side and chat
/// scripts (shared/fixtures/bc66), the example configurations, and pppd files as users write them.
/// </summary>
public static class Seeds
{
    public const string Bc66ConnectScript = Bc66Session.ConnectScript;

    public static void Write(string directory, string repository)
    {
        var frames = new List<(ushort Protocol, byte[] Information)>();
        foreach (var method in new[] { "pap", "chap" })
            frames.AddRange(Negotiate(method));

        var encoder = new HdlcEncoder();
        var line = new List<byte>();
        foreach (var (protocol, information) in frames)
        {
            var encoded = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
            line.AddRange(encoded.AsSpan(0, encoder.Encode(protocol, information, encoded)).ToArray());
        }
        // The first octet of an hdlc input picks MRU and chunking.
        Put(directory, "hdlc", "negotiation", [0x8A, .. line]);
        Put(directory, "hdlc", "modem-then-ppp", [0x03, .. Encoding.Latin1.GetBytes(ModemSide()), .. line.Take(200)]);

        int n = 0;
        foreach (var (protocol, information) in frames.Where(f => f.Protocol is not (PppProtocol.Pap or PppProtocol.Chap)).DistinctBy(f => Convert.ToHexString(f.Information)))
            Put(directory, "control", $"{protocol:x4}-{n++}", information);

        // negotiation / auth: [selector][length][information] as FuzzTargets.Frames reads them.
        Put(directory, "negotiation", "peer-frames", Framed(frames.Where(f => f.Protocol is not (PppProtocol.Pap or PppProtocol.Chap))));
        var secrets = new SecretsTable([new SecretEntry("device-17", "*", "seed-secret")]);
        Put(directory, "auth", "pap", Framed(Authenticate(new PapClient(new PapClientSettings("device-17", "seed-secret")),
            new PapServer(new PapServerSettings("isp", secrets)))));
        Put(directory, "auth", "chap", Framed(Authenticate(new ChapClient(new ChapClientSettings("device-17", secrets)),
            new ChapServer(new ChapServerSettings("isp", secrets), new Counter()))));

        Put(directory, "chat-script", "bc66-connect", Encoding.UTF8.GetBytes(Bc66Session.ConnectScript));
        Put(directory, "chat-script", "bc66-disconnect", Encoding.UTF8.GetBytes(Bc66Session.DisconnectScript));
        Put(directory, "chat-input", "bc66-modem-side", [0x10, .. Encoding.Latin1.GetBytes(ModemSide())]);
        int a = 0;
        foreach (var (_, answer) in Bc66Session.Answers())
            Put(directory, "modem-answers", $"bc66-{a++}", Encoding.Latin1.GetBytes(answer));

        foreach (var file in Directory.GetFiles(Path.Combine(repository, "hocon"), "*.conf"))
            Put(directory, "hocon", Path.GetFileNameWithoutExtension(file), File.ReadAllBytes(file));

        Put(directory, "pppd-options", "quectel-peer", Encoding.ASCII.GetBytes(
            "# /etc/ppp/peers/quectel-ppp\n/dev/ttyS0\n115200\nnoauth\nuser \"device 17\"\npassword 'pa ss'\n" +
            "connect \"/usr/sbin/chat -v -f /etc/ppp/peers/quectel-chat-connect\"\n" +
            "disconnect '/usr/sbin/chat -v -f /etc/ppp/peers/quectel-chat-disconnect'\n" +
            "hide-password\nnoipdefault\nusepeerdns\ndefaultroute\nreplacedefaultroute\npersist\nholdoff 5 maxfail 0\n" +
            "lcp-echo-interval 30\nlcp-echo-failure 4\nmru 1400\nasyncmap 0x0\ncrtscts\nlock\nipcp-accept-local\n"));
        Put(directory, "pppd-options", "server", Encoding.ASCII.GetBytes(
            "ttyUSB0 57600 local require-chap name isp 192.0.2.1:192.0.2.2 ms-dns 198.51.100.53 proxyarp\\\n nodetach debug\n"));
        Put(directory, "pppd-secrets", "chap-secrets", Encoding.ASCII.GetBytes(
            "# Secrets for authentication using CHAP\n# client\tserver\tsecret\t\t\tIP addresses\n" +
            "\"device 17\"\t*\t\"s3 cret\"\t\t*\ndevice-18 isp @/etc/ppp/device-18.secret 192.0.2.2 -198.51.100.0/24\n* * \"\" -\n"));

        // cmux: a mux opening as it crosses the UART (SABM/UA on 0, 1, 2; MSC both ways; AT on 1; the PPP
        // negotiation's line in UIH frames on 2; DISC), the first octet picking N1 and chunking.
        var mux = new List<byte>();
        void Frame(int dlci, bool command, CmuxFrameType type, ReadOnlySpan<byte> information) =>
            mux.AddRange(CmuxEncoder.Encode(dlci, command, type, pollFinal: type != CmuxFrameType.Uih, information));
        foreach (int dlci in new[] { 0, 1, 2 })
        {
            Frame(dlci, true, CmuxFrameType.Sabm, []);
            Frame(dlci, false, CmuxFrameType.Ua, []);
        }
        var ready = V24Signals.DataValid | V24Signals.ReadyToCommunicate | V24Signals.ReadyToReceive;
        Frame(0, true, CmuxFrameType.Uih, CmuxControlMessage.ModemStatus(2, ready, isCommand: true).Encode());
        Frame(0, false, CmuxFrameType.Uih, CmuxControlMessage.ModemStatus(2, ready, isCommand: false).Encode());
        Frame(0, true, CmuxFrameType.Uih, CmuxControlMessage.Test(new byte[] { 1, 2, 3, 4 }, isCommand: true).Encode());
        Frame(1, true, CmuxFrameType.Uih, "AT+CSQ\r"u8);
        Frame(1, false, CmuxFrameType.Uih, "\r\n+CSQ: 21,99\r\n\r\nOK\r\n"u8);
        foreach (var piece in line.Take(600).Chunk(100))
            Frame(2, true, CmuxFrameType.Uih, piece);
        Frame(0, true, CmuxFrameType.Uih, CmuxControlMessage.CloseDown(isCommand: true).Encode());
        Frame(2, true, CmuxFrameType.Disc, []);
        Put(directory, "cmux", "opening-and-data", [0x20, .. mux]);

        // fleet-report: reports as the daemon's reporter writes them.
        var report = new DeviceReport(1764700000000, "change",
            [new LinkFacts("wwan", "Network", true, "10.64.1.2", "10.64.1.1", 842.5, -97, "home", "Example", "nb-iot", 3152, 0, 2,
                new FailureFacts("dead-data-path", "IP sent, nothing received for 90 s"), "the data path is dead", "error", true, 4096)],
            [new CommandAck("c-17", "done", "redialed")],
            [new DeviceEvent(DateTimeOffset.UnixEpoch.AddSeconds(1764700000), "wwan", "failure", "dead data path")],
            new ReporterFacts(20480, 11556, 0, false));
        Put(directory, "fleet-report", "change", JsonSerializer.SerializeToUtf8Bytes(report, FleetJson.Options));
        Put(directory, "fleet-report", "heartbeat", Encoding.UTF8.GetBytes("{\"seq\":2,\"why\":\"heartbeat\",\"links\":[{\"name\":\"wwan\",\"phase\":\"Dead\",\"up\":false}]}"));
    }

    /// <summary>The BC66 modem side as it crossed the line: the fixture's answers, ^M as CR.</summary>
    private static string ModemSide() =>
        string.Concat(Bc66Session.ModemSide.Split('\n').Where(l => !l.StartsWith('>')).Select(l => l.Replace("^M", "\r", StringComparison.Ordinal) + "\n"));

    private static List<(ushort Protocol, byte[] Information)> Negotiate(string method)
    {
        var secrets = new SecretsTable([new SecretEntry("device-17", "*", "seed-secret")]);
        var client = new LinkNegotiation(new LinkNegotiationSettings { Name = "client", User = "device-17", Password = "seed-secret", Secrets = secrets, Ipv6cp = new Ipv6cpSettings() }, new Counter());
        var server = new LinkNegotiation(new LinkNegotiationSettings
        {
            Name = "server",
            Lcp = new LcpSettings { RequirePap = method == "pap", RequireChap = method == "chap" },
            Ipcp = new IpcpSettings { LocalAddress = IPAddress.Parse("192.0.2.1"), RemoteAddress = IPAddress.Parse("192.0.2.2") },
            Ipv6cp = new Ipv6cpSettings(),
            Secrets = secrets,
        }, new Counter());
        var sides = new[] { client, server };
        var seen = new List<(ushort, byte[])>();
        var wire = new Queue<(int To, ushort Protocol, byte[] Information)>();
        void Handle(int from, IEnumerable<LinkOutput> outputs)
        {
            foreach (var send in outputs.OfType<SendFrame>())
            {
                wire.Enqueue((1 - from, send.Protocol, send.Information));
                if (from == 1)
                    seen.Add((send.Protocol, send.Information));
            }
        }
        for (int side = 0; side < 2; side++)
        {
            Handle(side, sides[side].Open());
            Handle(side, sides[side].LowerUp());
        }
        for (int steps = 0; steps < 200 && wire.TryDequeue(out var frame); steps++)
            Handle(frame.To, sides[frame.To].Receive(frame.Protocol, frame.Information));
        return seen;
    }

    /// <summary>The packets of one authentication, both ways, as they cross the line.</summary>
    private static List<(ushort Protocol, byte[] Information)> Authenticate(IAuthMachine client, IAuthMachine server)
    {
        var seen = new List<(ushort, byte[])>();
        var wire = new Queue<(IAuthMachine To, byte[] Packet)>();
        void Handle(IAuthMachine from, IEnumerable<LinkActors.Ppp.Automaton.EngineOutput> outputs)
        {
            foreach (var send in outputs.OfType<LinkActors.Ppp.Automaton.SendControl>())
            {
                seen.Add((send.Protocol, send.Packet));
                wire.Enqueue((from == client ? server : client, send.Packet));
            }
        }
        Handle(server, server.Start());
        Handle(client, client.Start());
        for (int steps = 0; steps < 20 && wire.TryDequeue(out var packet); steps++)
            Handle(packet.To, packet.To.Receive(packet.Packet));
        return seen;
    }

    private static byte[] Framed(IEnumerable<(ushort Protocol, byte[] Information)> frames)
    {
        ushort[] selectors = [PppProtocol.Lcp, PppProtocol.Ipcp, PppProtocol.Ipv6cp, PppProtocol.Pap, PppProtocol.Chap, PppProtocol.Ccp];
        var bytes = new List<byte>();
        foreach (var (protocol, information) in frames)
        {
            if (information.Length > 255)
                continue;
            bytes.Add((byte)Array.IndexOf(selectors, protocol));
            bytes.Add((byte)information.Length);
            bytes.AddRange(information);
        }
        return [.. bytes];
    }

    private static void Put(string directory, string target, string name, byte[] bytes)
    {
        var folder = Directory.CreateDirectory(Path.Combine(directory, target));
        File.WriteAllBytes(Path.Combine(folder.FullName, name), bytes);
    }

    private sealed class Counter : IRandomSource
    {
        private byte _next = 1;

        public void Fill(Span<byte> destination)
        {
            for (int i = 0; i < destination.Length; i++)
                destination[i] = _next += 37;
        }
    }
}
