using LinkActors.Emulator.Commands;
using LinkActors.Emulator.Faults;
using LinkActors.Emulator.Tests.Support;

namespace LinkActors.Emulator.Tests;

public sealed class ParserAndControlTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("E0V1&D2", "E0 V1 &D2")]
    [InlineData("+CSQ;+CPIN?", "+CSQ +CPIN?")]
    [InlineData("+cgdcont=1,\"IP\",\"iot.1nce.net\",,0,0", "+CGDCONT=1,\"IP\",\"iot.1nce.net\",,0,0")]
    [InlineData("+CGDCONT=?", "+CGDCONT=?")]
    [InlineData("S0=1S3?", "S0=1 S3?")]
    [InlineData("DT*99#", "DT*99#")]
    [InlineData("Z E0 D*99***1#", "Z E0 D*99***1#")]
    public void Parse_SplitsCommandLines(string body, string expected)
    {
        Assert.True(AtCommandParser.TryParse(body, out var commands));
        Assert.Equal(expected, string.Join(" ", commands));
    }

    [Theory]
    [InlineData("!")]
    [InlineData("+")]
    [InlineData("&")]
    [InlineData("S")]
    [InlineData("+CSQ+CPIN?")]
    public void Parse_RejectsMalformedLines(string body) => Assert.False(AtCommandParser.TryParse(body, out _));

    [Theory]
    [InlineData("200ms", 200)]
    [InlineData("1s", 1000)]
    [InlineData("1.5s", 1500)]
    [InlineData("250", 250)]
    public void TryParseDuration_ReadsMillisecondsAndSeconds(string text, double milliseconds)
    {
        Assert.True(ControlCommand.TryParseDuration(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    [Fact]
    public async Task ControlLines_SetAndClearFaults()
    {
        await using var session = Session.Start();
        var modem = session.Modem;

        Assert.StartsWith("ok", ControlCommand.Execute("garbage 0.01", modem), StringComparison.Ordinal);
        Assert.StartsWith("ok", ControlCommand.Execute("latency 200ms", modem), StringComparison.Ordinal);
        Assert.StartsWith("ok", ControlCommand.Execute("baud 9600", modem), StringComparison.Ordinal);
        Assert.StartsWith("ok", ControlCommand.Execute("black-hole on", modem), StringComparison.Ordinal);
        Assert.Equal(0.01, modem.Faults.GarbageRate);
        Assert.Equal(TimeSpan.FromMilliseconds(200), modem.Faults.ExtraLatency);
        Assert.Equal(9600, modem.Faults.BaudRate);
        Assert.True(modem.Faults.BlackHoleEnabled);
        Assert.Contains("black-hole=on", ControlCommand.Execute("status", modem), StringComparison.Ordinal);

        Assert.StartsWith("error", ControlCommand.Execute("garbage lots", modem), StringComparison.Ordinal);
        Assert.StartsWith("error", ControlCommand.Execute("explode", modem), StringComparison.Ordinal);

        ControlCommand.Execute("hang", modem);
        Assert.True(modem.Faults.IsHung);
        ControlCommand.Execute("clear", modem);
        Assert.False(modem.Faults.IsHung);
        Assert.Equal(0, modem.Faults.GarbageRate);
        Assert.Equal(0, modem.Faults.BaudRate);
        Assert.False(modem.Faults.BlackHoleEnabled);
    }

    [Fact]
    public async Task ControlLines_PeerIgnoresIcmp_AndDnsServerAnswers()
    {
        await using var session = Session.Start();
        var modem = session.Modem;
        Assert.Equal("ok: 10.0.0.1 ignores ICMP echo", ControlCommand.Execute("ignore-icmp 10.0.0.1", modem));
        Assert.Equal("ok: DNS server 10.0.0.2 answers", ControlCommand.Execute("dns 10.0.0.2", modem));
        Assert.StartsWith("error", ControlCommand.Execute("ignore-icmp somewhere", modem), StringComparison.Ordinal);
        Assert.StartsWith("error", ControlCommand.Execute("dns", modem), StringComparison.Ordinal);
        Assert.Equal(System.Net.IPAddress.Parse("10.0.0.1"), modem.Faults.Peer.IgnoresIcmp);
        Assert.Equal("ok: every address answers ICMP", ControlCommand.Execute("ignore-icmp off", modem));
        Assert.Null(modem.Faults.Peer.IgnoresIcmp);
    }

    [Fact]
    public void NetworkPeer_IgnoresEchoToThePeer_AnswersDns_CountsProbeBytes()
    {
        var peer = new LinkActors.Emulator.DataPath.NetworkPeer
        {
            IgnoresIcmp = System.Net.IPAddress.Parse("10.0.0.1"),
            DnsServer = System.Net.IPAddress.Parse("10.0.0.2"),
        };
        // IPv4 header (20), then ICMP echo request (type 8) to 10.0.0.1 from 10.43.124.1.
        byte[] echo = [0x45, 0, 0, 30, 0, 0, 0, 0, 64, 1, 0, 0, 10, 43, 124, 1, 10, 0, 0, 1, 8, 0, 0, 0, 0, 1, 0, 1, 0x41, 0x42];
        Assert.True(peer.FromClient(0x0021, echo, blackHole: false, out var none));
        Assert.Null(none);
        // UDP 49152 -> 53 to 10.0.0.2 with a DNS header (id 0x1234, RD) and nothing more.
        byte[] query = [0x45, 0, 0, 40, 0, 0, 0, 0, 64, 17, 0, 0, 10, 43, 124, 1, 10, 0, 0, 2, 0xC0, 0x00, 0, 53, 0, 20, 0xAB, 0xCD,
            0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
        Assert.True(peer.FromClient(0x0021, query, blackHole: false, out var answer));
        Assert.NotNull(answer);
        Assert.Equal(query[16..20], answer[12..16]);       // from the server
        Assert.Equal(query[12..16], answer[16..20]);       // to us
        Assert.Equal(new byte[] { 0, 53, 0xC0, 0x00 }, answer[20..24]);  // ports swapped
        Assert.Equal(0, answer[26] | answer[27]);          // no UDP checksum (RFC 768)
        Assert.Equal(0x80, answer[30] & 0x80);             // QR: a response
        // Echo to another address passes on; in the black hole nothing is answered, but all are counted.
        echo[19] = 9;
        Assert.False(peer.FromClient(0x0021, echo, blackHole: false, out _));
        Assert.True(peer.FromClient(0x0021, query, blackHole: true, out var lost));
        Assert.Null(lost);
        Assert.Equal(4, peer.ProbePacketsSeen);
        Assert.Equal(30 + 40 + 30 + 40, peer.ProbeBytesSeen);
    }

    [Fact]
    public async Task ControlFifo_AppliesLinesWrittenToIt()
    {
        await using var session = Session.Start();
        string path = Path.Combine(Path.GetTempPath(), "linkactors-control-" + Guid.NewGuid().ToString("N"));
        var replies = new List<string>();
        using (var fifo = ControlFifo.Open(path, line =>
        {
            lock (replies)
                replies.Add(ControlCommand.Execute(line, session.Modem));
        }))
        {
            await File.AppendAllTextAsync(path, "black-hole on\nbaud 2400\n");
            var deadline = DateTime.UtcNow + PtyClient.DefaultTimeout;
            while (session.Modem.Faults.BaudRate != 2400 && DateTime.UtcNow < deadline)
                await Task.Delay(10);
        }
        Assert.True(session.Modem.Faults.BlackHoleEnabled);
        Assert.Equal(2400, session.Modem.Faults.BaudRate);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task EmulatorCommand_RunsUntilQuit_ApplyingControlInput()
    {
        var output = new StringWriter();
        var options = new EmulatorCommandOptions
        {
            Modem = Fixture.FastOptions(Profiles.ModemProfile.GenericLte),
            ControlInput = new StringReader("garbage 0.5\nstatus\nquit\n"),
            Output = output,
        };

        int exit = await EmulatorCommand.RunAsync(options, CancellationToken.None).WaitAsync(PtyClient.DefaultTimeout);

        Assert.Equal(0, exit);
        string text = output.ToString();
        Assert.Contains("modem generic-lte", text, StringComparison.Ordinal);
        Assert.Contains("/dev/pts/", text, StringComparison.Ordinal);
        Assert.Contains("ok: garbage 0.5", text, StringComparison.Ordinal);
        Assert.Contains("mode=Command", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Profiles_AreFoundByName()
    {
        Assert.Same(Profiles.ModemProfile.Bc66, EmulatorCommand.ParseProfile("BC66"));
        Assert.Same(Profiles.ModemProfile.GenericLte, EmulatorCommand.ParseProfile("generic-lte"));
        Assert.Throws<FormatException>(() => EmulatorCommand.ParseProfile("nokia"));
        Assert.NotNull(EmulatorCommand.ParseServer("tcp:127.0.0.1:3000"));
        Assert.Null(EmulatorCommand.ParseServer(null));
        Assert.Throws<FormatException>(() => EmulatorCommand.ParseServer("udp:1"));
    }
}
