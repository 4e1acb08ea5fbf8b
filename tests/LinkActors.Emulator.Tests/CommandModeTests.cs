using System.Diagnostics;
using LinkActors.Emulator.Modem;
using LinkActors.Emulator.Profiles;
using LinkActors.Emulator.Tests.Support;

namespace LinkActors.Emulator.Tests;

public sealed class CommandModeTests
{
    [Fact]
    public async Task Echo_OnByDefault_OffAfterAte0_OnAgainAfterAte1()
    {
        await using var session = Session.Start();
        var client = session.Client;

        Assert.Equal("AT\r\r\nOK\r\n", await client.CommandAsync("AT"));
        Assert.Equal("ATE0\r\r\nOK\r\n", await client.CommandAsync("ATE0"));
        Assert.Equal("\r\nOK\r\n", await client.CommandAsync("AT"));
        Assert.False(session.Modem.EchoEnabled);
        Assert.Equal("\r\nOK\r\n", await client.CommandAsync("ATE1"));
        Assert.Equal("AT\r\r\nOK\r\n", await client.CommandAsync("AT"));
    }

    [Fact]
    public async Task UnknownCommands_AnswerError_AndCommandsAreReported()
    {
        await using var session = Session.Start();
        var seen = new List<string>();
        session.Modem.CommandReceived += (_, text) =>
        {
            lock (seen)
                seen.Add(text);
        };
        var client = session.Client;
        await client.CommandAsync("ATE0");

        Assert.Equal("\r\nERROR\r\n", await client.CommandAsync("AT+FOO"));
        Assert.Equal("\r\nERROR\r\n", await client.CommandAsync("AT+CGDCONT=99,\"IP\",\"x\""));
        Assert.Equal("\r\nERROR\r\n", await client.CommandAsync("ATI9"));
        Assert.Equal("\r\n+CSQ: 8,0\r\n\r\n+CPIN: READY\r\n\r\nOK\r\n", await client.CommandAsync("AT+CSQ;+CPIN?"));
        Assert.Equal("\r\nOK\r\n", await client.CommandAsync("at&d2"));
        lock (seen)
            Assert.Equal(["ATE0", "AT+FOO", "AT+CGDCONT=99,\"IP\",\"x\"", "ATI9", "AT+CSQ;+CPIN?", "at&d2"], seen);
        Assert.Equal(6, session.Modem.Counters.CommandsSeen);
    }

    [Fact]
    public async Task NumericResults_AfterAtv0()
    {
        await using var session = Session.Start();
        var client = session.Client;
        await client.CommandAsync("ATE0");

        client.Write("ATV0\r");
        Assert.Equal("0\r", PtyClientText(await client.ReadExactlyAsync(2)));
        client.Write("AT+FOO\r");
        Assert.Equal("4\r", PtyClientText(await client.ReadExactlyAsync(2)));
        client.Write("ATV1\r");
        Assert.Equal("\r\nOK\r\n", PtyClientText(await client.ReadExactlyAsync(6)));
    }

    private static string PtyClientText(byte[] data) => System.Text.Encoding.ASCII.GetString(data);

    [Fact]
    public async Task GenericLteProfile_ReportsItsIdentityAndHomeLteRegistration()
    {
        await using var session = Session.Start(o => o with { Profile = ModemProfile.GenericLte });
        await Fixture.WaitForRegistrationAsync(session.Modem, RegistrationStatus.Home);
        var client = session.Client;
        await client.CommandAsync("ATE0");

        Assert.Equal("\r\nLinkActors\r\nLinkActors Generic LTE\r\nRevision: 1.0\r\n\r\nOK\r\n", await client.CommandAsync("ATI"));
        Assert.Equal("\r\n+COPS: 0,2,\"00101\",7\r\n\r\nOK\r\n", await client.CommandAsync("AT+COPS?"));
        Assert.Equal("\r\n+CEREG: 0,1\r\n\r\nOK\r\n", await client.CommandAsync("AT+CEREG?"));
    }

    [Fact]
    public async Task Cgdcont_StoresTheApn_AndReadsItBack()
    {
        await using var session = Session.Start();
        var client = session.Client;
        await client.CommandAsync("ATE0");

        Assert.Equal("\r\nOK\r\n", await client.CommandAsync("AT+CGDCONT=1,\"IP\",\"iot.1nce.net\",,0,0"));
        Assert.Equal("\r\n+CGDCONT: 1,\"IP\",\"iot.1nce.net\",,0,0\r\n\r\nOK\r\n", await client.CommandAsync("AT+CGDCONT?"));
        Assert.Equal("iot.1nce.net", session.Modem.GetApn(1));
        Assert.Equal("\r\n+CGACT: 1,0\r\n\r\nOK\r\n", await client.CommandAsync("AT+CGACT?"));
    }

    [Fact]
    public async Task Dial_BeforeRegistration_FailsWithNoCarrier_AfterRegistration_Connects()
    {
        var delay = TimeSpan.FromMilliseconds(600);
        var started = Stopwatch.StartNew();
        await using var session = Session.Start(o => o with { RegistrationDelay = delay });
        var client = session.Client;
        await client.CommandAsync("ATE0");

        Assert.Equal("\r\n+CGREG: 0,2\r\n\r\nOK\r\n", await client.CommandAsync("AT+CGREG?"));
        Assert.Equal("\r\n+COPS: 0\r\n\r\nOK\r\n", await client.CommandAsync("AT+COPS?"));
        Assert.Equal("\r\nNO CARRIER\r\n", await client.CommandAsync("ATD*99#"));
        Assert.True(started.Elapsed < delay, "the dial must have happened before registration for this test to mean anything");

        await Fixture.WaitForRegistrationAsync(session.Modem, RegistrationStatus.Roaming);
        Assert.Equal("\r\n+CGREG: 0,5\r\n\r\nOK\r\n", await client.CommandAsync("AT+CGREG?"));
        Assert.Equal("\r\nCONNECT\r\n", await client.CommandAsync("ATD*99#"));
    }

    [Fact]
    public async Task DialWithContext_NeedsTheContextDefined()
    {
        await using var session = Session.Start();
        await Fixture.WaitForRegistrationAsync(session.Modem, RegistrationStatus.Roaming);
        var client = session.Client;
        await client.CommandAsync("ATE0");

        Assert.Equal("\r\nERROR\r\n", await client.CommandAsync("ATD*99***1#"));
        await client.CommandAsync("AT+CGDCONT=1,\"IP\",\"internet\"");
        Assert.Equal("\r\nCONNECT\r\n", await client.CommandAsync("ATD*99***1#"));
        await session.AcceptAsync();
    }

    [Fact]
    public async Task Deregister_WithUrcsEnabled_SendsUnsolicitedStatus_AndClearRegistersAgain()
    {
        await using var session = Session.Start();
        await Fixture.WaitForRegistrationAsync(session.Modem, RegistrationStatus.Roaming);
        var client = session.Client;
        await client.CommandAsync("ATE0");
        await client.CommandAsync("AT+CEREG=1");

        session.Modem.Faults.Deregister();
        Assert.Equal("\r\n+CEREG: 0\r\n", await client.ExpectAsync("\r\n+CEREG: 0\r\n"));
        Assert.Equal("\r\n+CEREG: 1,0\r\n\r\nOK\r\n", await client.CommandAsync("AT+CEREG?"));
        Assert.Equal("\r\nNO CARRIER\r\n", await client.CommandAsync("ATD*99#"));

        session.Modem.Faults.Clear();
        await client.ExpectAsync("\r\n+CEREG: 5\r\n");
        Assert.Equal("\r\nCONNECT\r\n", await client.CommandAsync("ATD*99#"));
    }

    [Fact]
    public async Task CfunReset_AnswersOk_ThenRdy_AndLosesContextAndSettings()
    {
        await using var session = Session.Start();
        var ready = new TaskCompletionSource();
        session.Modem.Ready += (_, _) => ready.TrySetResult();
        var client = session.Client;
        await client.CommandAsync("ATE0");
        await client.CommandAsync("AT+CGDCONT=1,\"IP\",\"iot.1nce.net\"");

        Assert.Equal("\r\nOK\r\n", await client.CommandAsync("AT+CFUN=1,1"));
        Assert.Equal(ModemMode.Booting, session.Modem.Mode);
        Assert.Equal("\r\nRDY\r\n", await client.ExpectAsync("\r\nRDY\r\n"));
        await ready.Task.WaitAsync(PtyClient.DefaultTimeout);

        Assert.Null(session.Modem.GetApn(1));
        // Echo is back on after the reset, as after power-up.
        Assert.Equal("AT+CGDCONT?\r\r\nOK\r\n", await client.CommandAsync("AT+CGDCONT?"));
    }

    [Fact]
    public async Task Cfun0_TurnsTheRadioOff_Cfun1_RegistersAgain()
    {
        await using var session = Session.Start();
        await Fixture.WaitForRegistrationAsync(session.Modem, RegistrationStatus.Roaming);
        var client = session.Client;
        await client.CommandAsync("ATE0");

        await client.CommandAsync("AT+CFUN=0");
        Assert.Equal("\r\n+CSQ: 99,99\r\n\r\nOK\r\n", await client.CommandAsync("AT+CSQ"));
        Assert.Equal("\r\n+CGREG: 0,0\r\n\r\nOK\r\n", await client.CommandAsync("AT+CGREG?"));
        await client.CommandAsync("AT+CFUN=1");
        await Fixture.WaitForRegistrationAsync(session.Modem, RegistrationStatus.Roaming);
    }

    [Fact]
    public async Task Hang_AnswersNothing_UntilCleared()
    {
        await using var session = Session.Start();
        var client = session.Client;
        Assert.Equal("AT\r\r\nOK\r\n", await client.CommandAsync("AT"));

        session.Modem.Faults.Hang();
        client.Write("AT\r");
        Assert.True(await client.StaysSilentAsync(TimeSpan.FromMilliseconds(300)));

        session.Modem.Faults.Clear();
        Assert.Equal("AT\r\r\nOK\r\n", await client.CommandAsync("AT"));
    }

    [Fact]
    public async Task LinkPath_PointsAtTheSlave_AndIsRemovedOnDispose()
    {
        string dir = Path.Combine(Path.GetTempPath(), "linkactors-emulator-" + Guid.NewGuid().ToString("N"));
        string link = Path.Combine(dir, "modem");
        try
        {
            await using (var session = Session.Start(o => o with { LinkPath = link }))
            {
                Assert.Equal(link, session.Modem.PortPath);
                Assert.Equal(session.Modem.SlavePath, new FileInfo(link).LinkTarget);
                Assert.StartsWith("/dev/pts/", session.Modem.SlavePath, StringComparison.Ordinal);
                Assert.Equal("AT\r\r\nOK\r\n", await session.Client.CommandAsync("AT"));
            }
            Assert.False(File.Exists(link) || new FileInfo(link).LinkTarget is not null);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
