using System.Net;
using System.Text;
using System.Text.Json;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Configuration.Pppd;
using LinkActors.Fleet.Service;
using LinkActors.Fleet.Wire;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Chat;
using LinkActors.Ppp.Cmux;
using LinkActors.Ppp.Framing;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;
using LinkActors.Ppp.Trace;

namespace LinkActors.Fuzz;

/// <summary>
/// One target per parser. Each takes arbitrary bytes; the errors a parser documents (a settings or
/// chat error with its reason) are the answer to bad input and are caught, anything else escapes
/// and is a crash: an exception, a stack overflow, a hang (afl-fuzz's timeout).
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["hdlc"] = Hdlc,
        ["control"] = Control,
        ["negotiation"] = Negotiation,
        ["auth"] = Auth,
        ["chat-script"] = ChatScriptText,
        ["chat-input"] = ChatInput,
        ["modem-answers"] = ModemAnswers,
        ["hocon"] = Hocon,
        ["pppd-options"] = PppdOptions,
        ["pppd-secrets"] = PppdSecrets,
        ["cmux"] = Cmux,
        ["fleet-report"] = FleetReport,
    };

    // Lazy: instrumented code must not run before SharpFuzz has set up the coverage map.
    private static readonly Lazy<PppdEnvironment> s_emptyPppd = new(() => new(Directory.CreateTempSubdirectory("linkactors-fuzz-").FullName, null));

    /// <summary>HDLC decoder: the first octet picks the MRU and the chunk size, the rest is the line.</summary>
    public static void Hdlc(byte[] input)
    {
        if (input.Length == 0)
            return;
        var decoder = new HdlcDecoder(mru: 128 + input[0] * 8) { ReceiveAccm = input[0] % 2 == 0 ? 0u : 0xFFFFFFFFu };
        var sink = new CountingSink();
        int chunk = 1 + input[0] % 17;
        for (int offset = 1; offset < input.Length; offset += chunk)
            decoder.Decode(input.AsSpan(offset, Math.Min(chunk, input.Length - offset)), sink);
    }

    /// <summary>Control packet, option list (both readings), every option reader, the packet trace.</summary>
    public static void Control(byte[] input)
    {
        if (ControlPacket.TryParse(input, out var packet))
        {
            _ = OptionList.TryParse(packet.Data.Span, out _);
            OptionList.ParseWellFormed(packet.Data.Span, out var options);
            foreach (var option in options)
                ReadEvery(option.Data.Span);
        }
        ReadEvery(input);
        foreach (var protocol in Protocols)
            _ = PppTrace.Format(sent: false, protocol, input);
    }

    /// <summary>LCP, authentication and network frames into a whole negotiation: the engine, every policy and their option readers.</summary>
    public static void Negotiation(byte[] input)
    {
        var link = new LinkNegotiation(new LinkNegotiationSettings
        {
            Name = "fuzz",
            User = "device-17",
            Password = "fuzz-secret",
            Ipv6cp = new Ipv6cpSettings(),
        }, new FixedRandom());
        link.Open();
        link.LowerUp();
        foreach (var (protocol, frame) in Frames(input))
            link.Receive(protocol, frame);
    }

    /// <summary>PAP and CHAP, both roles, fed the same packets.</summary>
    public static void Auth(byte[] input)
    {
        var secrets = new SecretsTable([new LinkActors.Ppp.Auth.SecretEntry("device-17", "*", "fuzz-secret")]);
        IAuthMachine[] machines =
        [
            new PapServer(new PapServerSettings("fuzz", secrets)),
            new PapClient(new PapClientSettings("device-17", "fuzz-secret")),
            new ChapServer(new ChapServerSettings("fuzz", secrets), new FixedRandom()),
            new ChapClient(new ChapClientSettings("device-17", secrets)),
        ];
        foreach (var machine in machines)
        {
            machine.Start();
            foreach (var (_, frame) in Frames(input))
                machine.Receive(frame);
            machine.Timeout();
        }
    }

    /// <summary>chat(8) script text.</summary>
    public static void ChatScriptText(byte[] input)
    {
        try
        {
            ChatScript.Parse(Encoding.UTF8.GetString(input));
        }
        catch (ChatParseException)
        {
        }
    }

    /// <summary>What a modem answers, in chunks, to the BC66 connect script (with ABORT, REPORT, TIMEOUT and SAY in it).</summary>
    public static void ChatInput(byte[] input)
    {
        var interpreter = new ChatInterpreter(s_bc66Script.Value);
        var now = TimeSpan.Zero;
        interpreter.Start(now);
        int chunk = input.Length == 0 ? 1 : 1 + input[0] % 31;
        for (int offset = 0; offset < input.Length && !interpreter.IsFinished; offset += chunk)
        {
            now += TimeSpan.FromMilliseconds(input[offset] * 40);
            interpreter.Received(input.AsSpan(offset, Math.Min(chunk, input.Length - offset)), now);
            interpreter.Tick(now);
        }
        _ = interpreter.ModemText;
        _ = interpreter.Exchanges;
    }

    /// <summary>Modem answers to the queries doctor and the watchdog ask (signal, registration, operator, identity).</summary>
    public static void ModemAnswers(byte[] input)
    {
        var text = Encoding.Latin1.GetString(input);
        foreach (var command in new[] { "AT+CSQ", "AT+CEREG?", "AT+CGREG?", "AT+COPS?", "ATI", "AT+CPIN?", "AT+CGPADDR", "AT+CGDCONT?", "AT+QENG=\"servingcell\"" })
        {
            var parser = new ModemInfoParser();
            parser.Command(command);
            parser.Lines(text);
            _ = parser.Result.ToString();
        }
    }

    /// <summary>HOCON settings: parsed, checked and read as `run` reads them.</summary>
    public static void Hocon(byte[] input)
    {
        try
        {
            Settings.Create(Settings.Parse(Encoding.UTF8.GetString(input), "fuzz.conf"), "fuzz.conf");
        }
        catch (SettingsException)
        {
        }
    }

    /// <summary>A pppd options file: words as pppd reads them, then the options mapped to a link.</summary>
    public static void PppdOptions(byte[] input)
    {
        try
        {
            var words = PppdWordReader.Read(Encoding.Latin1.GetString(input), "/etc/ppp/peers/fuzz");
            var options = new PppdOptionParser(s_emptyPppd.Value).Parse([.. words.Select(w => w.Text)]);
            PppdImport.FromOptions("fuzz", options, s_emptyPppd.Value);
        }
        catch (Exception e) when (e is PppdConfigurationException or PppdUnsupportedOptionsException or SettingsException)
        {
        }
    }

    /// <summary>pap-secrets / chap-secrets text.</summary>
    public static void PppdSecrets(byte[] input)
    {
        try
        {
            SecretsFile.Parse(Encoding.Latin1.GetString(input), "/etc/ppp/chap-secrets", _ => "secret-from-file");
        }
        catch (PppdConfigurationException)
        {
        }
    }

    /// <summary>27.010 basic-option decoder: the first octet picks N1 and the chunk size, the rest is the line;
    /// every control-channel frame is read as control messages (MSC, CLD, PSC, Test, NSC).</summary>
    public static void Cmux(byte[] input)
    {
        if (input.Length == 0)
            return;
        var decoder = new CmuxDecoder(n1: 1 + input[0] * 4);
        var sink = new ControlReadingSink();
        int chunk = 1 + input[0] % 13;
        for (int offset = 1; offset < input.Length; offset += chunk)
            decoder.Decode(input.AsSpan(offset, Math.Min(chunk, input.Length - offset)), sink);
        _ = decoder.Counters;
    }

    /// <summary>A device report as the fleet service reads it: JSON into the wire records, then the fleet's rules.</summary>
    public static void FleetReport(byte[] input)
    {
        DeviceReport? report;
        try
        {
            report = JsonSerializer.Deserialize<DeviceReport>(input, FleetJson.Options);
        }
        catch (JsonException)
        {
            return;
        }
        _ = ReportRules.Check(report);
    }

    private static readonly ushort[] Protocols = [PppProtocol.Lcp, PppProtocol.Ipcp, PppProtocol.Ipv6cp, PppProtocol.Pap, PppProtocol.Chap, 0x80FD];

    private static readonly Lazy<ChatScript> s_bc66Script = new(() => ChatScript.Parse(Seeds.Bc66ConnectScript));

    /// <summary>Splits the input into frames: [protocol selector][length][information...]...</summary>
    private static IEnumerable<(ushort Protocol, byte[] Frame)> Frames(byte[] input)
    {
        int offset = 0;
        while (offset + 2 <= input.Length)
        {
            ushort protocol = Protocols[input[offset] % Protocols.Length];
            int length = Math.Min(input[offset + 1], input.Length - offset - 2);
            yield return (protocol, input.AsSpan(offset + 2, length).ToArray());
            offset += 2 + length;
        }
    }

    private static void ReadEvery(ReadOnlySpan<byte> data)
    {
        LcpOption.TryReadMru(data, out _);
        LcpOption.TryReadAccm(data, out _);
        LcpOption.TryReadMagicNumber(data, out _);
        LcpOption.TryReadAuthProtocol(data, out _, out _);
        LcpOption.TryReadQualityProtocol(data, out _, out _);
        LcpOption.TryReadPfc(data);
        LcpOption.TryReadAcfc(data);
        LcpOption.TryReadMrru(data, out _);
        IpcpOption.TryReadIpCompressionProtocol(data, out _, out _);
        IpcpOption.TryReadVjCompression(data, out _, out _);
        IpcpOption.TryReadIpAddress(data, out IPAddress _);
        IpcpOption.TryReadIpAddress(data, out uint _);
        IpcpOption.TryReadAddress(data, out _);
        Ipv6cpOption.TryReadInterfaceIdentifier(data, out _);
        Ipv6cpOption.TryReadIpv6CompressionProtocol(data, out _, out _);
    }

    private sealed class ControlReadingSink : ICmuxFrameSink
    {
        public void OnFrame(int dlci, bool commandResponse, CmuxFrameType type, bool pollFinal, ReadOnlySpan<byte> information)
        {
            if (dlci != 0 || type != CmuxFrameType.Uih)
                return;
            while (CmuxControlMessage.TryDecode(information, out var message, out int consumed) && consumed > 0)
            {
                _ = message!.TryGetModemStatus(out _, out _);
                _ = message.Encode();
                _ = message.ToString();
                information = information[consumed..];
            }
        }
    }

    private sealed class CountingSink : IHdlcFrameSink
    {
        public int Frames { get; private set; }

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => Frames++;
    }

    /// <summary>Deterministic "random" octets: the same input always takes the same path.</summary>
    private sealed class FixedRandom : IRandomSource
    {
        private byte _next = 0x5A;

        public void Fill(Span<byte> destination)
        {
            for (int i = 0; i < destination.Length; i++)
                destination[i] = _next++;
        }
    }
}
