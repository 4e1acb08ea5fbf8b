using System.Diagnostics;
using System.Text;
using LinkActors.Emulator.Modem;
using LinkActors.Emulator.Tests.Support;

namespace LinkActors.Emulator.Tests;

public sealed class DataModeTests
{
    [Fact]
    public async Task AfterConnect_BytesAreBridgedBothWays()
    {
        await using var session = Session.Start();
        var connected = new TaskCompletionSource();
        session.Modem.Connected += (_, _) => connected.TrySetResult();
        Stream server = await session.DialAsync();
        await connected.Task.WaitAsync(PtyClient.DefaultTimeout);

        byte[] up = [0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21, 0x00, 0x0D, 0x0A, 0x7E];
        session.Client.Write(up);
        Assert.Equal(up, await Session.ReadServerAsync(server, up.Length));

        byte[] down = [.. Enumerable.Range(0, 3000).Select(i => (byte)i)];
        await server.WriteAsync(down);
        Assert.Equal(down, await session.Client.ReadExactlyAsync(down.Length));

        // Every octet value, control characters included, crosses the pty untouched (raw mode).
        byte[] all = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        session.Client.Write(all);
        Assert.Equal(all, await Session.ReadServerAsync(server, all.Length));

        var counters = session.Modem.Counters;
        Assert.Equal(up.Length + all.Length, counters.BytesFromClient);
        Assert.Equal(up.Length + all.Length, counters.BytesToServer);
        Assert.Equal(down.Length, counters.BytesFromServer);
        Assert.Equal(down.Length, counters.BytesToClient);
        Assert.Equal(1, counters.Calls);
    }

    [Fact]
    public async Task PlusPlusPlus_WithoutGuardTime_IsData()
    {
        await using var session = Session.Start();
        Stream server = await session.DialAsync();

        session.Client.Write("a+++b");
        Assert.Equal("a+++b", Encoding.ASCII.GetString(await Session.ReadServerAsync(server, 5)));
        Assert.True(await session.Client.StaysSilentAsync(TimeSpan.FromMilliseconds(400)));
        Assert.Equal(ModemMode.Data, session.Modem.Mode);
    }

    [Fact]
    public async Task PlusPlusPlus_WithGuardTime_EscapesToCommandMode_AtoResumes_AthHangsUp()
    {
        await using var session = Session.Start();
        Stream server = await session.DialAsync();
        var guard = TimeSpan.FromMilliseconds(200);
        await Task.Delay(guard + TimeSpan.FromMilliseconds(50));

        var escaped = Stopwatch.StartNew();
        session.Client.Write("+++");
        Assert.Equal("\r\nOK\r\n", await session.Client.ExpectAsync("\r\nOK\r\n"));
        Assert.True(escaped.Elapsed >= guard - TimeSpan.FromMilliseconds(20), $"OK after {escaped.Elapsed}, before the guard time");
        Assert.Equal(ModemMode.OnlineCommand, session.Modem.Mode);

        // Data from the server waits while the modem is in command mode, and arrives after ATO.
        await server.WriteAsync("held"u8.ToArray());
        Assert.Equal("AT+CSQ\r\r\n+CSQ: 8,0\r\n\r\nOK\r\n", await session.Client.CommandAsync("AT+CSQ"));
        Assert.Equal("ATO\r\r\nCONNECT\r\n", await session.Client.CommandAsync("ATO"));
        Assert.Equal("held", Encoding.ASCII.GetString(await session.Client.ReadExactlyAsync(4)));

        await Task.Delay(guard + TimeSpan.FromMilliseconds(50));
        session.Client.Write("+++");
        await session.Client.ExpectAsync("\r\nOK\r\n");
        Assert.Equal("ATH\r\r\nOK\r\n", await session.Client.CommandAsync("ATH"));
        Assert.True(await Session.ServerSeesHangUpAsync(server));
        Assert.Equal(ModemMode.Command, session.Modem.Mode);
    }

    [Fact]
    public async Task DropCarrier_ClientSeesNoCarrier_AndBridgingStops()
    {
        await using var session = Session.Start();
        var dropped = new TaskCompletionSource<string>();
        session.Modem.CarrierDropped += (_, e) => dropped.TrySetResult(e.Reason);
        Stream server = await session.DialAsync();

        session.Modem.Faults.DropCarrier();
        Assert.Equal("\r\nNO CARRIER\r\n", await session.Client.ExpectAsync("\r\nNO CARRIER\r\n"));
        Assert.Contains("carrier", await dropped.Task.WaitAsync(PtyClient.DefaultTimeout), StringComparison.Ordinal);
        Assert.True(await Session.ServerSeesHangUpAsync(server));

        // What the client sends now is a command again, and goes nowhere else.
        Assert.Equal("AT\r\r\nOK\r\n", await session.Client.CommandAsync("AT"));
        Assert.Equal(0, session.Modem.Counters.BytesFromClient);
    }

    [Fact]
    public async Task ServerHangsUp_ClientSeesNoCarrier()
    {
        await using var session = Session.Start();
        Stream server = await session.DialAsync();

        await server.DisposeAsync();
        await session.Client.ExpectAsync("\r\nNO CARRIER\r\n");
        Assert.Equal(ModemMode.Command, session.Modem.Mode);
    }

    [Fact]
    public async Task Reboot_DropsTheCallSilently_SendsRdy_LosesContext_AndRegistersAgain()
    {
        await using var session = Session.Start(o => o with { RegistrationDelay = TimeSpan.FromMilliseconds(200) });
        await session.Client.CommandAsync("AT+CGDCONT=1,\"IP\",\"iot.1nce.net\"");
        Stream server = await session.DialAsync("ATD*99***1#");
        session.Client.TakeAll();

        session.Modem.Faults.Reboot();
        Assert.True(await Session.ServerSeesHangUpAsync(server));
        Assert.Equal("\r\nRDY\r\n", Encoding.ASCII.GetString(await session.Client.ReadExactlyAsync(7)));
        Assert.Equal(Profiles.RegistrationStatus.Searching, session.Modem.Registration);
        Assert.Null(session.Modem.GetApn(1));
        Assert.Equal("AT+CGDCONT?\r\r\nOK\r\n", await session.Client.CommandAsync("AT+CGDCONT?"));
        await Fixture.WaitForRegistrationAsync(session.Modem, Profiles.RegistrationStatus.Roaming);
    }

    [Fact]
    public async Task Reboot_RecoversAHungModem()
    {
        await using var session = Session.Start();
        session.Modem.Faults.Hang();
        session.Modem.Faults.Reboot();
        await session.Client.ExpectAsync("\r\nRDY\r\n");
        Assert.Equal("AT\r\r\nOK\r\n", await session.Client.CommandAsync("AT"));
    }

    [Fact]
    public async Task Hang_InDataMode_BridgesNothing_UntilCleared()
    {
        await using var session = Session.Start();
        Stream server = await session.DialAsync();

        session.Modem.Faults.Hang();
        await server.WriteAsync("lost"u8.ToArray());
        Assert.True(await session.Client.StaysSilentAsync(TimeSpan.FromMilliseconds(200)));

        session.Modem.Faults.Clear();
        await server.WriteAsync("back"u8.ToArray());
        Assert.Equal("back", Encoding.ASCII.GetString(await session.Client.ReadExactlyAsync(4)));
    }

    [Fact]
    public async Task Garbage_ChangesOctetsAtAboutTheGivenRate()
    {
        await using var session = Session.Start();
        Stream server = await session.DialAsync();
        session.Modem.Faults.Garbage(0.1);

        byte[] sent = new byte[20_000];
        new Random(7).NextBytes(sent);
        await server.WriteAsync(sent);
        byte[] got = await session.Client.ReadExactlyAsync(sent.Length);

        int changed = sent.Zip(got).Count(p => p.First != p.Second);
        Assert.InRange(changed / (double)sent.Length, 0.08, 0.12);
        Assert.Equal(changed, session.Modem.Counters.OctetsCorrupted);

        session.Modem.Faults.Clear();
        await server.WriteAsync(sent);
        Assert.Equal(sent, await session.Client.ReadExactlyAsync(sent.Length));
    }

    [Fact]
    public async Task Baud_BoundsThroughput()
    {
        await using var session = Session.Start();
        Stream server = await session.DialAsync();
        session.Modem.Faults.Baud(19_200);

        // 960 octets at 19200 bit/s, ten bits an octet: half a second on the wire.
        byte[] sent = [.. Enumerable.Range(0, 960).Select(i => (byte)i)];
        var elapsed = Stopwatch.StartNew();
        await server.WriteAsync(sent);
        Assert.Equal(sent, await session.Client.ReadExactlyAsync(sent.Length));
        Assert.True(elapsed.Elapsed >= TimeSpan.FromMilliseconds(450), $"took only {elapsed.Elapsed}");

        elapsed.Restart();
        session.Client.Write(sent.AsSpan(0, 480));
        Assert.Equal(sent[..480], await Session.ReadServerAsync(server, 480));
        Assert.True(elapsed.Elapsed >= TimeSpan.FromMilliseconds(200), $"took only {elapsed.Elapsed}");
    }

    [Fact]
    public async Task Latency_DelaysEachDirection()
    {
        await using var session = Session.Start();
        Stream server = await session.DialAsync();
        session.Modem.Faults.Latency(TimeSpan.FromMilliseconds(250));

        var elapsed = Stopwatch.StartNew();
        await server.WriteAsync("ping"u8.ToArray());
        await session.Client.ReadExactlyAsync(4);
        Assert.True(elapsed.Elapsed >= TimeSpan.FromMilliseconds(230), $"took only {elapsed.Elapsed}");

        elapsed.Restart();
        session.Client.Write("pong");
        await Session.ReadServerAsync(server, 4);
        Assert.True(elapsed.Elapsed >= TimeSpan.FromMilliseconds(230), $"took only {elapsed.Elapsed}");
    }
}
