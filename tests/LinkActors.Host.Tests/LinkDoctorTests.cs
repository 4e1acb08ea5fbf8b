using System.Text.Json;
using LinkActors.Host.Doctor;
using LinkActors.Host.Management;

namespace LinkActors.Host.Tests;

/// <summary>Each rule of the doctor from hand-made facts.</summary>
public sealed class LinkDoctorTests
{
    private static readonly ModemView GoodModem = new(20, -73, 0, "registered home", "RegisteredHome", true, false, "26201", "LTE", "READY",
        "Quectel_Ltd", "Quectel_BC66", "BC66NBR01A10", "866425030000001", "signal -73 dBm (CSQ 20), registered home on 26201 (LTE)");

    private static LinkView Link(string phase = "Network", FailureView? failure = null, FailureView? last = null, ModemView? modem = null,
        TrafficView? traffic = null, bool running = true, string? gaveUp = null, Dictionary<string, string>? layers = null) => new(
        "wan", true, running, phase, layers ?? new Dictionary<string, string> { ["LCP"] = "Opened", ["IPCP"] = phase == "Network" ? "Opened" : "ReqSent" },
        phase == "Network" ? "10.0.0.2" : null, phase == "Network" ? "10.0.0.1" : null, [], null, null, 60, 1, 0, 0, null,
        failure, last, gaveUp, traffic, null, null, modem ?? GoodModem, null);

    private static EventView Event(string type, string summary) => new(1, DateTimeOffset.UnixEpoch, "wan", type, summary, JsonSerializer.SerializeToElement(new { }));

    [Fact]
    public void DeadDataPath_FromCounters_TxGrowingRxFlat()
    {
        var facts = new DoctorFacts(Link(traffic: new TrafficView(40, 4000, 3, 300, 0)), [], new TrafficView(20, 2000, 3, 300, 0), TimeSpan.FromSeconds(5));
        var diagnosis = LinkDoctor.Examine(facts);
        Assert.Equal("dead-data-path", diagnosis.Findings[0].Code);
        Assert.Contains(diagnosis.Findings[0].Evidence, e => e.Contains("from 20 to 40 in 5 s", StringComparison.Ordinal));
        Assert.Contains(diagnosis.Findings[0].Evidence, e => e.Contains("LCP is Opened", StringComparison.Ordinal));
    }

    [Fact]
    public void DeadDataPath_FromTheWatchdogsFailureCode()
    {
        var diagnosis = LinkDoctor.Examine(new DoctorFacts(Link("Dead", running: false, last: new FailureView(32, "dead-data-path", "no IP received for 60 s")), []));
        Assert.Equal("dead-data-path", diagnosis.Findings[0].Code);
        Assert.DoesNotContain(diagnosis.Findings, f => f.Code == "up");
    }

    [Fact]
    public void DeadDataPath_FromTheWatchdogsEvent_WhileTheLadderRenegotiates()
    {
        // The first rung renegotiates LCP in the same attempt: no failure on the link yet, only the watchdog's event.
        var summary = LinkEventLog.Summarize(new Actors.Link.LinkProtocol.DataPathDead("wan",
            Actors.Link.LinkFailure.DeadDataPath("PPP is up and we sent 40 packets in 20 s but received none"), TimeSpan.Zero));
        var diagnosis = LinkDoctor.Examine(new DoctorFacts(Link("Network"), [Event("DataPathDead", summary)]));
        Assert.Equal("dead-data-path", diagnosis.Findings[0].Code);
        Assert.Contains("dead data path", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Contains(diagnosis.Findings[0].Evidence, e => e.Contains("sent 40 packets", StringComparison.Ordinal));
    }

    [Fact]
    public void DeadDataPath_NeverSuggestsWhatIsAlreadyInEffect_AndReportsTheProbeBudget()
    {
        var settings = Actors.Configuration.Settings.Create(Actors.Configuration.Settings.Parse(
            "linkactors.links.wan { device = \"/dev/ttyUSB2\"\n lcp { accomp = false, pcomp = false } }", "test"), "test")[0];
        var configured = LinkFactsReader.Configured(settings);
        var link = Link("Dead", running: false, last: new FailureView(32, "dead-data-path", "no IP received for 90 s")) with { Configured = configured, ProbeBytes = 450 };
        var finding = LinkDoctor.Examine(new DoctorFacts(link, [])).Findings[0];
        Assert.Equal("dead-data-path", finding.Code);
        var conservative = Assert.Single(finding.NextSteps, s => s.Contains("conservative", StringComparison.Ordinal));
        Assert.DoesNotContain("accomp", conservative, StringComparison.Ordinal);
        Assert.DoesNotContain("pcomp", conservative, StringComparison.Ordinal);
        Assert.Contains("default-asyncmap = true", conservative, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e == "the watchdog: window 90s, idle-link probe budget 20000 bytes a day, 450 bytes spent so far");

        var allSet = configured.ToDictionary(c => c.Key, c => c.Value);
        allSet["lcp.default-asyncmap"] = "true";
        finding = LinkDoctor.Examine(new DoctorFacts(link with { Configured = allSet }, [])).Findings[0];
        Assert.DoesNotContain(finding.NextSteps, s => s.Contains("conservative", StringComparison.Ordinal));
        // Without settings (an older daemon) the whole suggestion stays.
        finding = LinkDoctor.Examine(new DoctorFacts(link with { Configured = null }, [])).Findings[0];
        Assert.Contains(finding.NextSteps, s => s.Contains("accomp = false, pcomp = false, default-asyncmap = true", StringComparison.Ordinal));
    }

    [Fact]
    public void TrafficBothWays_IsNotADeadDataPath()
    {
        var facts = new DoctorFacts(Link(traffic: new TrafficView(40, 4000, 38, 3800, 0)), [], new TrafficView(20, 2000, 19, 1900, 0), TimeSpan.FromSeconds(5));
        var diagnosis = LinkDoctor.Examine(facts);
        Assert.Equal(Severity.Ok, diagnosis.Severity);
        Assert.Equal("up", diagnosis.Findings[0].Code);
    }

    [Theory]
    [InlineData("NotRegistered", "not registered", "not-registered")]
    [InlineData("Searching", "searching", "not-registered")]
    [InlineData("Denied", "registration denied", "registration-denied")]
    public void Registration_IsNamed(string status, string words, string code)
    {
        var modem = GoodModem with { Registered = false, Roaming = false, RegistrationStatus = status, Registration = words };
        var failure = new FailureView(8, "connect-failed", "connect script failed: Abort (exit 5): aborted on (NO CARRIER) while expecting (CONNECT)");
        var diagnosis = LinkDoctor.Examine(new DoctorFacts(Link("Dead", running: false, last: failure, modem: modem), []));
        Assert.Equal(code, diagnosis.Findings[0].Code);
        Assert.Contains(diagnosis.Findings, f => f.Code == "chat-failed");
    }

    [Fact]
    public void ChatTimeout_SaysWhichStep()
    {
        var failure = new FailureView(8, "connect-failed", "connect script failed: Timeout (exit 3): no (OK) within 10 s");
        var diagnosis = LinkDoctor.Examine(new DoctorFacts(Link("Dial", failure: failure), []));
        var chat = diagnosis.Findings[0];
        Assert.Equal("chat-failed", chat.Code);
        Assert.Contains("waiting for OK", chat.Title, StringComparison.Ordinal);
        Assert.Contains(chat.LikelyCauses, c => c.Contains("wrong device", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(8, -97, "weak-signal", Severity.Info)]
    [InlineData(3, -107, "weak-signal", Severity.Warning)]
    [InlineData(99, null, "no-signal", Severity.Problem)]
    public void Signal_Thresholds(int rssi, int? dbm, string code, Severity severity)
    {
        var diagnosis = LinkDoctor.Examine(new DoctorFacts(Link(modem: GoodModem with { Rssi = rssi, SignalDbm = dbm }), []));
        var finding = Assert.Single(diagnosis.Findings, f => f.Code == code);
        Assert.Equal(severity, finding.Severity);
    }

    [Fact]
    public void GoodSignal_SaysNothingAboutIt() =>
        Assert.DoesNotContain(LinkDoctor.Examine(new DoctorFacts(Link(), [])).Findings, f => f.Code.Contains("signal", StringComparison.Ordinal));

    [Theory]
    [InlineData("auth-to-peer-failed", 19, "auth-refused")]
    [InlineData("peer-dead", 15, "peer-dead")]
    [InlineData("open-failed", 7, "device")]
    [InlineData("hangup", 16, "hangup")]
    [InlineData("loopback", 17, "loopback")]
    public void Failures_AreExplained(string code, int exit, string finding)
    {
        var diagnosis = LinkDoctor.Examine(new DoctorFacts(Link("Dead", running: false, last: new FailureView(exit, code, "details")), []));
        Assert.Equal(finding, diagnosis.Findings[0].Code);
        Assert.NotEmpty(diagnosis.Findings[0].NextSteps);
    }

    [Fact]
    public void NegotiationFailure_NamesTheLayer()
    {
        var failure = new FailureView(10, "negotiation-failed", "IPCP: max-configure reached");
        var diagnosis = LinkDoctor.Examine(new DoctorFacts(Link("Dead", running: false, last: failure), []));
        Assert.Equal("negotiation-stuck", diagnosis.Findings[0].Code);
        Assert.Contains("IPCP", diagnosis.Findings[0].Title, StringComparison.Ordinal);
    }

    [Fact]
    public void NegotiationLooping_IsSeenInTheEvents_BeforeTheLinkGivesUp()
    {
        var events = Enumerable.Range(0, 5).Select(_ => Event("LayerChanged", "IPCP AckRcvd -> ReqSent")).ToList();
        var diagnosis = LinkDoctor.Examine(new DoctorFacts(Link("Network") with { Local = null, Layers = new Dictionary<string, string> { ["LCP"] = "Opened", ["IPCP"] = "ReqSent" } }, events));
        Assert.Equal("negotiation-stuck", diagnosis.Findings[0].Code);
        Assert.Contains("IPCP", diagnosis.Findings[0].Title, StringComparison.Ordinal);
    }

    [Fact]
    public void GaveUp_SaysHowToStartAgain()
    {
        var diagnosis = LinkDoctor.Examine(new DoctorFacts(Link("Dead", running: false, gaveUp: "10 consecutive failed attempts"), []));
        var finding = Assert.Single(diagnosis.Findings, f => f.Code == "gave-up");
        Assert.Contains(finding.NextSteps, s => s.Contains("linkactors up wan", StringComparison.Ordinal));
    }

    [Fact]
    public void SimNeedingPin_IsAProblem()
    {
        var diagnosis = LinkDoctor.Examine(new DoctorFacts(Link("Dial", modem: GoodModem with { Sim = "SIM PIN" }), []));
        Assert.Equal("sim", diagnosis.Findings[0].Code);
    }

    [Fact]
    public void ModemCheck_AddressMismatch_IsTheFirstFinding_WithTheModemsAnswers()
    {
        var check = new ModemCheckView(DateTimeOffset.UnixEpoch, "registered home, attached for data, PDP context 1 active, 10.64.0.99",
            ["AT+CGPADDR: answered", "AT+CGCONTRDP: ERROR"], "10.0.0.2",
            [new ModemFindingView("pdp-address-mismatch", "the modem's data context is not the one PPP uses: IPCP gave PPP 10.0.0.2, but context 1 (active) has 10.64.0.99")]);
        var link = Link("Dead", running: false, last: new FailureView(32, "dead-data-path", "no IP received for 60 s")) with { ModemCheck = check };

        var diagnosis = LinkDoctor.Examine(new DoctorFacts(link, []));

        var top = diagnosis.Findings[0];
        Assert.Equal("pdp-address-mismatch", top.Code);
        Assert.Equal("wan: the modem's data context is not the one PPP uses", diagnosis.Summary);
        Assert.StartsWith("IPCP gave PPP 10.0.0.2, but context 1 (active) has 10.64.0.99.", top.Explanation, StringComparison.Ordinal);
        Assert.Contains(top.Evidence, e => e.Contains("PDP context 1 active, 10.64.0.99", StringComparison.Ordinal));
        Assert.Contains(top.Evidence, e => e == "asked AT+CGCONTRDP: ERROR");
        Assert.Contains(top.NextSteps, s => s.Contains("AT+CGACT=0,1", StringComparison.Ordinal));
        // The dead data path is still named, with what the modem said.
        var dead = Assert.Single(diagnosis.Findings, f => f.Code == "dead-data-path");
        Assert.Contains(dead.Evidence, e => e.StartsWith("asked after the hang-up, the modem said:", StringComparison.Ordinal));
    }

    [Fact]
    public void ModemCheck_WithoutFindings_AddsNoFinding()
    {
        var check = new ModemCheckView(DateTimeOffset.UnixEpoch, "registered home", ["AT+CGPADDR: answered"], "10.0.0.2", []);
        var diagnosis = LinkDoctor.Examine(new DoctorFacts(Link() with { ModemCheck = check }, []));

        Assert.DoesNotContain(diagnosis.Findings, f => f.Code is "pdp-address-mismatch" or "not-attached");
    }

    [Fact]
    public void FleetFacts_CarryRsrpAndThePdpContexts()
    {
        var modem = GoodModem with { RsrpDbm = -96, PdpContexts = ["context 1 active, 10.64.12.7"] };

        var facts = LinkActors.Host.Fleet.DaemonFleetFacts.From(Link(modem: modem), null);

        Assert.Equal(-96, facts.Rsrp);
        Assert.Equal("context 1 active, 10.64.12.7", facts.Pdp);
    }
}
