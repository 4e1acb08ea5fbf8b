using System.Net;
using LinkActors.Actors.Configuration;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Actors.Tests.AlwaysOn;

public sealed class AlwaysOnSettingsTests
{
    private static LinkSettings Read(string extra) =>
        Assert.Single(Settings.Create(Settings.Parse($"linkactors.links.a {{\n device = \"/dev/ttyUSB2\"\n {extra}\n}}", "test"), "test"));

    [Fact]
    public void Defaults_WaitForRegistration_WatchdogOnFor90s_BudgetedProbes_BoundedFullLadder()
    {
        var link = Read("");
        Assert.Equal(new RegistrationLinkSettings(true, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(2)), link.Registration);
        Assert.Null(link.Watchdog.PingTarget);
        Assert.Equal(TimeSpan.Zero, link.Watchdog.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(90), link.Watchdog.Window);
        Assert.Equal(20_000, link.Watchdog.ProbeBudget);
        Assert.Equal(2, link.Watchdog.MaxResetsPerHour);
        Assert.Equal(WatchdogLinkSettings.Default.Window, link.Watchdog.Window);
        Assert.Equal([EscalationStep.Renegotiate, EscalationStep.Redial, EscalationStep.ModemReset, EscalationStep.PowerCycle], link.Watchdog.Ladder);
        Assert.Equal("AT+CFUN=1,1", link.Watchdog.ModemResetCommand);
        Assert.Null(link.Watchdog.PowerCycleCommand);
        Assert.Equal(TimeSpan.FromMinutes(30), link.Watchdog.GoodServiceReset);
    }

    [Fact]
    public void Watchdog_AllKeys_AreRead()
    {
        var link = Read("""
            watchdog { ping-target = "8.8.8.8", ping-interval = 10s, window = 60s, ladder = [redial, modem-reset],
              power-cycle-command = "/usr/local/bin/usb-power 'hub 1' off-on", good-service-reset = 10m }
            registration { wait = false, timeout = 30s, poll = 1s }
            """);
        Assert.Equal(IPAddress.Parse("8.8.8.8"), link.Watchdog.PingTarget);
        Assert.Equal(TimeSpan.FromSeconds(60), link.Watchdog.Window);
        Assert.Equal([EscalationStep.Redial, EscalationStep.ModemReset], link.Watchdog.Ladder);
        Assert.Equal(0, Read("watchdog { probe-budget = 0, max-resets-per-hour = 0 }").Watchdog.ProbeBudget);
        Assert.Throws<SettingsException>(() => Read("watchdog.probe-budget = -1"));
        Assert.Equal(["/usr/local/bin/usb-power", "hub 1", "off-on"], link.Watchdog.PowerCycleCommand);
        Assert.False(link.Registration.Wait);
    }

    [Theory]
    [InlineData("watchdog.ladder = [renegotiate, reboot]", "watchdog.ladder[1]")]
    [InlineData("watchdog.ladder = []", "watchdog.ladder")]
    [InlineData("watchdog.power-cycle-command = \"usb-power off-on\"", "watchdog.power-cycle-command")]
    [InlineData("watchdog.power-cycle-command = \"/bin/x | tee\"", "watchdog.power-cycle-command")]
    [InlineData("watchdog.ping-target = \"modem\"", "watchdog.ping-target")]
    [InlineData("registration.timeout = 10ms", "registration.timeout")]
    public void BadValue_NamesTheKey(string extra, string key)
    {
        var error = Assert.Throws<SettingsException>(() => Read(extra));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
