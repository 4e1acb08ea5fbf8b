using Akka.TestKit.Xunit2;
using LinkActors.Actors.Cmux;
using LinkActors.Actors.Link;
using LinkActors.Actors.Tests.AlwaysOn;
using LinkActors.Emulator.Profiles;
using LinkActors.Ppp.Chat;
using Xunit.Abstractions;

namespace LinkActors.Actors.Tests.Cmux;

/// <summary>
/// `modem.cmux = true` against the emulator over a real pty: the link is multiplexed, carries IP on the data
/// channel, and the modem monitor asks the modem on the AT channel while PPP runs.
/// </summary>
[Collection("always-on")]
public sealed class CmuxOverPtyTests : TestKit
{
    private const double PollSeconds = 2;
    private readonly ITestOutputHelper _output;

    public CmuxOverPtyTests(ITestOutputHelper output) : base("akka.loglevel = INFO\nakka.stdout-loglevel = INFO", output: output) => _output = output;

    private AlwaysOnRig Rig(ModemProfile profile) =>
        new(Sys, _output, $"modem {{ cmux = true, poll-interval = {PollSeconds}s }}", profile: profile);

    [Fact]
    public async Task CmuxOn_LinkComesUpMultiplexed_CarriesIp_AndStatusRefreshesEveryPoll()
    {
        await using var rig = Rig(ModemProfile.GenericLte);
        var (muxAt, mux) = await rig.WaitFor<CmuxProtocol.Multiplexed>(m => m.Link == "client", TimeSpan.FromSeconds(30), 0, "multiplexer up");
        Assert.Equal(1509, mux.N1);
        Assert.True(rig.Modem.Multiplexed);
        var (pingAt, _) = await rig.WaitForPingAnswered(TimeSpan.FromSeconds(30), muxAt);
        // The monitor's answers while PPP is up: signal and registration, one report per poll.
        var polls = new List<double>();
        double since = pingAt;
        for (int i = 0; i < 3; i++)
        {
            var (at, update) = await rig.WaitFor<LinkProtocol.ModemInfoUpdated>(
                m => m.Link == "client" && m.Modem.Rssi == ModemProfile.GenericLte.SignalRssi && m.Modem.EpsRegistration is { IsRegistered: true },
                TimeSpan.FromSeconds(PollSeconds + 5), since, $"modem report {i + 1} while PPP is up");
            polls.Add(at);
            since = at + 0.001;
            Assert.Equal(-73, update.Modem.SignalDbm);
        }
        rig.Log($"multiplexed at {muxAt:0.0} s, ping answered at {pingAt:0.0} s, polls at {string.Join(", ", polls.Select(p => p.ToString("0.0")))}");
        Assert.True(polls[2] - polls[0] <= 2 * PollSeconds + 2, "the monitor did not poll every interval");
        // Meanwhile IP still flows on the data channel, and nothing ended the link.
        await rig.WaitForPingAnswered(TimeSpan.FromSeconds(5), polls[2]);
        Assert.Empty(rig.EventsOf<LinkProtocol.Ended>());
    }

    [Fact]
    public async Task DeregisteredWhilePppUp_IsNamedWithinOnePollPlus5s()
    {
        await using var rig = Rig(ModemProfile.GenericLte);
        var (muxAt, _) = await rig.WaitFor<CmuxProtocol.Multiplexed>(m => m.Link == "client", TimeSpan.FromSeconds(30), 0, "multiplexer up");
        await rig.WaitForPingAnswered(TimeSpan.FromSeconds(30), muxAt);
        double fault = rig.Now;
        rig.Modem.Faults.DeregisterKeepingCall();
        var (namedAt, dead) = await rig.WaitFor<LinkProtocol.DataPathDead>(d => d.Link == "client",
            TimeSpan.FromSeconds(PollSeconds + 5), fault, "detached finding");
        rig.Log($"deregistered at {fault:0.0} s, named after {namedAt - fault:0.0} s: {dead.Failure.Message}");
        Assert.Equal("not-registered", dead.Failure.Code);
        Assert.Contains("detached from the network while PPP is up", dead.Failure.Message, StringComparison.Ordinal);
        // The data path was never silent: no dead-data-path window could have said it (window 5 s, pings answered).
        Assert.True(namedAt - fault <= PollSeconds + 5);
    }

    [Fact]
    public async Task CmuxOn_ModemRefusesCmux_LinkComesUpThePlainWay()
    {
        await using var rig = Rig(ModemProfile.Bc66);
        var (at, plain) = await rig.WaitFor<CmuxProtocol.NotMultiplexed>(m => m.Link == "client", TimeSpan.FromSeconds(30), 0, "the plain way chosen");
        Assert.Contains("AT+CMUX", plain.Reason, StringComparison.Ordinal);
        await rig.WaitForPingAnswered(TimeSpan.FromSeconds(30), at);
        Assert.False(rig.Modem.Multiplexed);
        Assert.Contains(rig.Commands, c => c.StartsWith("AT+CMUX", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CmuxOn_DeadDataPathWithStalePdp_TheModemIsAskedOnItsAtChannel_AndTheMismatchNamed()
    {
        var asked = CreateTestProbe();
        Sys.EventStream.Subscribe(asked.Ref, typeof(LinkActors.Actors.Modem.ModemQueryProtocol.ModemAsked));
        await using var rig = new AlwaysOnRig(Sys, _output, $"modem {{ cmux = true, poll-interval = 60s }}\nwatchdog.ladder = [redial]", profile: ModemProfile.GenericLte);
        var (muxAt, _) = await rig.WaitFor<CmuxProtocol.Multiplexed>(m => m.Link == "client", TimeSpan.FromSeconds(30), 0, "multiplexer up");
        await rig.WaitForPingAnswered(TimeSpan.FromSeconds(30), muxAt);
        double fault = rig.Now;
        rig.Modem.Faults.StalePdp(System.Net.IPAddress.Parse("198.51.100.99"));
        rig.Modem.Faults.BlackHole(true);

        // Window 5 s (pings every second), then the redial's hang-up, before which the modem is asked.
        var answer = await asked.ExpectMsgAsync<LinkActors.Actors.Modem.ModemQueryProtocol.ModemAsked>(TimeSpan.FromSeconds(20));
        rig.Log($"fault at {fault:0.0} s, the modem asked by {rig.Now:0.0} s: {answer}");

        Assert.Equal("client", answer.Link);
        Assert.Equal(System.Net.IPAddress.Parse("192.0.2.2"), answer.IpcpAddress);
        var finding = Assert.Single(answer.Findings);
        Assert.Equal(ModemDataCheck.AddressMismatch, finding.Code);
        Assert.Contains("the modem's data context is not the one PPP uses", finding.Text, StringComparison.Ordinal);
        // On the AT channel the modem answers at once: no escape to command mode was needed.
        Assert.DoesNotContain(answer.Answered, a => a.Contains("escape", StringComparison.Ordinal));
        Assert.All(answer.Answered, a => Assert.EndsWith("answered", a, StringComparison.Ordinal));
        Assert.Contains(rig.Commands, c => c == "AT+CGPADDR");
    }
}
