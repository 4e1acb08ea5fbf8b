using LinkActors.Actors.Configuration;
using LinkActors.Actors.Configuration.Pppd;

namespace LinkActors.Actors.Tests.Pppd;

/// <summary>A real user's setup: Quectel's peers file and chat scripts for a BC66 on a UART.</summary>
public class PppdQuectelTests : IDisposable
{
    private const string Peers = "/etc/ppp/peers/quectel-ppp";
    private readonly PppdTree _tree = PppdTree.Fixture("quectel");

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Call_QuectelPeers_ReadsTheFilesInPppdsOrder()
    {
        var result = _tree.Call("quectel-ppp");
        Assert.Equal(["/etc/ppp/options", Peers], result.Options.FilesRead);
        Assert.Empty(result.Unsupported);
        Assert.Null(result.UnsupportedMessage);
    }

    [Fact]
    public void Call_QuectelPeers_MapsTheLine()
    {
        var link = _tree.Call("quectel-ppp").Link;
        Assert.Equal("quectel-ppp", link.Name);
        Assert.Equal(LinkRole.Client, link.Role);
        Assert.Equal("/dev/ttyS0", link.Device);
        Assert.Equal(115200, link.Speed);
        Assert.Equal(FlowControl.None, link.FlowControl);   // nocrtscts, nocdtrcts
        Assert.True(link.Local);                            // local
        Assert.True(link.Lock);                             // lock
        Assert.Equal("/tmp/quectel.record", link.Record);   // record
        Assert.True(link.Passive);                          // passive
        Assert.False(link.Silent);
        Assert.False(link.Persist);
        Assert.Equal(TimeSpan.FromSeconds(30), link.Holdoff);   // pppd's default with a connect script
        Assert.Equal(10, link.MaxFail);
        Assert.Equal(TimeSpan.FromSeconds(1), link.ConnectDelay);
    }

    [Fact]
    public void Call_QuectelPeers_MapsAuthentication()
    {
        var auth = _tree.Call("quectel-ppp").Link.Auth;
        Assert.Equal(AuthRequirement.None, auth.Require);   // noauth
        Assert.True(auth.RefuseChap);                       // refuse-chap
        Assert.False(auth.RefusePap);                       // so PAP with * / * is what the network gets
        Assert.Equal("*", auth.User);
        Assert.Equal("*", auth.Password);
        Assert.Equal("3gppp", auth.RemoteName);
        Assert.Empty(auth.Secrets);
    }

    [Fact]
    public void Call_QuectelPeers_MapsLcpIpcpAndIpv6cp()
    {
        var link = _tree.Call("quectel-ppp").Link;
        Assert.False(link.Lcp.Accomp);                      // noaccomp
        Assert.False(link.Lcp.Pcomp);                       // nopcomp
        Assert.True(link.Lcp.Magic);
        Assert.Equal(1500, link.Lcp.Mru);
        Assert.Equal(0u, link.Lcp.Asyncmap);
        Assert.True(link.Ipcp.Enabled);
        Assert.True(link.Ipcp.NoIpDefault);                 // noipdefault
        Assert.True(link.Ipcp.AcceptLocal);                 // ipcp-accept-local
        Assert.True(link.Ipcp.AcceptRemote);                // ipcp-accept-remote
        Assert.True(link.Ipcp.NoRemoteIp);                  // noremoteip
        Assert.False(link.Ipcp.UsePeerDns);
        Assert.Null(link.Ipcp.Local);
        Assert.Null(link.Ipcp.Remote);
        Assert.Equal(100, link.Ipcp.Counters.MaxFailure);   // pppd's patience with IPCP Naks
        Assert.False(link.Ipv6cp.Enabled);                  // noipv6
    }

    [Fact]
    public void Call_QuectelPeers_MapsTheChatScriptsAndFlags()
    {
        var link = _tree.Call("quectel-ppp").Link;
        Assert.Equal("/etc/chatscripts/quectel-chat-connect", link.Connect.ChatFile);
        Assert.Empty(link.Connect.Script);
        Assert.True(link.Connect.Environment);              // chat -E
        Assert.Equal(TimeSpan.FromSeconds(45), link.Connect.Timeout);   // no -t: chat's default
        Assert.Equal("", link.Connect.Phone);
        Assert.Equal("/etc/chatscripts/quectel-chat-disconnect", link.Disconnect.ChatFile);
        Assert.True(link.Disconnect.Environment);
    }

    [Fact]
    public void Call_QuectelPeers_CompressionAndProcessOptionsAreNotesOrExtras()
    {
        var result = _tree.Call("quectel-ppp");
        Assert.Equal(new PppdExtras(DebugLevel: 1, Dump: true, IpParam: "3gppp", DefaultRoute: false), result.Extras);
        string Note(int line) => Assert.Single(result.Notes, n => n.Source == new PppdSource(Peers, line)).Text;
        Assert.StartsWith("accepted, no effect: Van Jacobson compression is not implemented", Note(33));   // novj
        Assert.StartsWith("accepted, no effect: compression is not implemented", Note(44));                // noccp
        Assert.StartsWith("accepted, no effect: BSD-Compress", Note(45));
        Assert.StartsWith("accepted, no effect: Predictor-1", Note(46));
        Assert.StartsWith("accepted, no effect: kernel tuning", Note(5));                                  // ktune
        Assert.StartsWith("accepted, no effect: MS-CHAP is not implemented", Note(10));
        Assert.StartsWith("kept aside (no default route through the link, for the data path", Note(40));
        Assert.Contains(result.Notes, n => n.Source == new PppdSource(Peers, 21) && n.Text.StartsWith("chat -v -s:", StringComparison.Ordinal));
    }

    [Fact]
    public void Dump_QuectelPeers_ListsEachOptionInEffectWithFileAndLine()
    {
        var lines = PppdDump.Lines(_tree.Call("quectel-ppp").Options);
        string[] expected =
        [
            "3 debug", "4 nodetach", "5 ktune", "6 dump", "8 noauth", "9 refuse-chap", "10 refuse-mschap",
            "11 refuse-mschap-v2", "12 refuse-eap", "13 user *", "14 password ??????", "15 remotename 3gppp",
            "17 /dev/ttyS0", "18 115200", "19 lock",
            "21 connect \"/usr/sbin/chat -E -s -v -f /etc/chatscripts/quectel-chat-connect\"",
            "22 disconnect \"/usr/sbin/chat -E -s -v -f /etc/chatscripts/quectel-chat-disconnect\"",
            "24 record /tmp/quectel.record",
            // nocrtscts (26) is not in effect: nocdtrcts (27) sets the same thing after it, as in pppd's dump.
            "27 nocdtrcts", "28 local", "29 noaccomp", "30 nopcomp", "31 passive", "32 hide-password", "33 novj",
            "34 novjccomp", "36 ipcp-accept-local", "37 ipcp-accept-remote", "38 ipparam 3gppp", "39 noipdefault",
            "40 nodefaultroute", "41 noremoteip", "42 noipv6", "44 noccp", "45 nobsdcomp", "46 nopredictor1",
        ];
        Assert.Equal(expected.Select(e => $"{Peers}:{e}"), lines);
    }

    [Fact]
    public void ToHocon_QuectelPeers_LoadsBackToAnEqualLink()
    {
        var result = _tree.Call("quectel-ppp");
        string hocon = PppdImport.ToHocon(result);
        var loaded = Assert.Single(Settings.Create(Settings.Parse(hocon, "imported.conf"), "imported.conf"));
        LinkSettingsAssert.Equal(result.Link, loaded);
        Assert.Contains("# This file holds secrets", hocon, StringComparison.Ordinal);
        Assert.Contains("linkactors.links.quectel-ppp {", hocon, StringComparison.Ordinal);
    }

    [Fact]
    public void Call_QuectelPeers_WatchesTheDataPathByDefaultAndImportSaysHowToTurnItOff()
    {
        var result = _tree.Call("quectel-ppp");
        Assert.Equal(TimeSpan.FromSeconds(90), result.Link.Watchdog.Window);
        Assert.Equal(20_000, result.Link.Watchdog.ProbeBudget);
        Assert.Equal(2, result.Link.Watchdog.MaxResetsPerHour);
        string hocon = PppdImport.ToHocon(result);
        Assert.Contains("#   data-path watchdog: on, window 90 s", hocon, StringComparison.Ordinal);
        Assert.Contains("Off: watchdog.window = 0s", hocon, StringComparison.Ordinal);
        Assert.Contains("idle-link probes: on, at most 20000 bytes a day", hocon, StringComparison.Ordinal);
        Assert.Contains("Off: watchdog.probe-budget = 0", hocon, StringComparison.Ordinal);
        var described = BeyondPppd.Describe(result.Link with { Persist = false }, "127.0.0.1:8558");
        Assert.Contains(described, l => l.Contains("exit code 32 (dead-data-path)", StringComparison.Ordinal));
        Assert.Contains(described, l => l.StartsWith("management endpoint on 127.0.0.1:8558", StringComparison.Ordinal) && l.EndsWith("--management off", StringComparison.Ordinal));
        var off = BeyondPppd.Describe(result.Link with { Watchdog = result.Link.Watchdog with { Window = TimeSpan.Zero } }, null);
        Assert.Equal(["data-path watchdog: off (watchdog.window = 0s)"], off);
    }

    [Fact]
    public void Call_WithUnsupportedOptions_ListsEachInOneMessageAndRefusesToStart()
    {
        var result = _tree.Call("quectel-multi");
        const string multi = "/etc/ppp/peers/quectel-multi";
        Assert.Equal(["multilink", "plugin", "nic-eth0"], result.Unsupported.Select(u => u.Option.Name));
        string expected = string.Join(Environment.NewLine,
            "link quectel-multi: LinkActors does not implement 3 of its pppd options; remove them, or start with --ignore-unsupported to run without them:",
            $"  {multi}:3 multilink: multilink (RFC 1990) is not implemented",
            $"  {multi}:4 plugin rp-pppoe.so: pppd plugins (PPPoE, PPPoL2TP, PPPoATM, RADIUS, ...) are not supported",
            $"  {multi}:5 nic-eth0: not a pppd option; perhaps an option of the plugin loaded before it");
        Assert.Equal(expected, result.UnsupportedMessage);
        var e = Assert.Throws<PppdUnsupportedOptionsException>(() => result.LinkToStart(ignoreUnsupported: false));
        Assert.Equal(expected, e.Message);
        Assert.Same(result.Link, result.LinkToStart(ignoreUnsupported: true));
    }

    [Fact]
    public void Call_FileInclude_GivesTheSameLinkAsTheIncludedPeersFile()
    {
        var direct = _tree.Call("quectel-ppp").Link;
        var included = _tree.Call("quectel-multi").Link;
        LinkSettingsAssert.Equal(direct with { Name = "quectel-multi" }, included);
        Assert.Equal(["/etc/ppp/options", "/etc/ppp/peers/quectel-multi", Peers], _tree.Call("quectel-multi").Options.FilesRead);
    }

    [Fact]
    public void Call_MoreOptionsOnTheCommandLine_ComeLastAndWin()
    {
        var result = _tree.Call("quectel-ppp", "crtscts", "mru", "1400");
        Assert.Equal(FlowControl.Crtscts, result.Link.FlowControl);
        Assert.Equal(1400, result.Link.Lcp.Mru);
        var dump = PppdDump.Lines(result.Options);
        Assert.Contains("command line crtscts", dump);
        Assert.DoesNotContain($"{Peers}:27 nocdtrcts", dump);
    }
}
