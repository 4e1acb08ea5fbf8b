using System.Net;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Configuration.Pppd;

namespace LinkActors.Actors.Tests.Pppd;

public class PppdOptionParserTests : IDisposable
{
    private readonly PppdTree _tree = PppdTree.Empty();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Parse_Order_OptionsPpprcTtyFileThenCommandLine()
    {
        _tree.Write("/etc/ppp/options", "mru 1400\n")
            .Write("/root/.ppprc", "mru 1300\n")
            .Write("/etc/ppp/options.ttyS0", "mru 1000\nlcp-echo-interval 7\n")
            .Write("/etc/ppp/peers/x", "/dev/ttyS0\nmru 1200\n");
        var fromPeers = _tree.Call("x");
        Assert.Equal(1200, fromPeers.Link.Lcp.Mru);   // the peers file (command-line priority) beats options.ttyS0
        Assert.Equal(TimeSpan.FromSeconds(7), fromPeers.Link.Lcp.EchoInterval);
        Assert.Equal(["/etc/ppp/options", "/root/.ppprc", "/etc/ppp/peers/x", "/etc/ppp/options.ttyS0"], fromPeers.Options.FilesRead);
        Assert.Equal(["/etc/ppp/options:1 mru 1400", "/root/.ppprc:1 mru 1300", "/etc/ppp/options.ttyS0:1 mru 1000", "/etc/ppp/peers/x:2 mru 1200"],
            fromPeers.Options.Options.Where(o => o.Name == "mru").Select(o => o.ToString()));

        var fromCommandLine = _tree.Call("x", "mru", "1100");
        Assert.Equal(1100, fromCommandLine.Link.Lcp.Mru);
        Assert.Contains("command line mru 1100", PppdDump.Lines(fromCommandLine.Options));
        Assert.DoesNotContain(PppdDump.Lines(fromCommandLine.Options), l => l.EndsWith("mru 1200", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MissingSystemFiles_AreSkipped()
    {
        File.Delete(Path.Join(_tree.Root, "/etc/ppp/options"));
        _tree.Write("/etc/ppp/peers/x", "/dev/ttyS0\n");
        Assert.Equal(["/etc/ppp/peers/x"], _tree.Call("x").Options.FilesRead);
    }

    [Theory]
    [InlineData("/dev/ttyUSB2", "/dev/ttyUSB2")]
    [InlineData("ttyAMA0", "/dev/ttyAMA0")]
    [InlineData("/dev/serial/by-id/usb-Quectel-if02", "/dev/serial/by-id/usb-Quectel-if02")]
    public void Parse_DeviceWords(string word, string device)
    {
        _tree.Write("/etc/ppp/peers/x", word + "\n");
        Assert.Equal(device, _tree.Call("x").Link.Device);
    }

    [Fact]
    public void Parse_BareNameThatExistsInDev_IsADevice()
    {
        _tree.Write("/dev/serial0", "").Write("/etc/ppp/peers/x", "serial0\n");
        Assert.Equal("/dev/serial0", _tree.Call("x").Link.Device);
    }

    [Theory]
    [InlineData("10.0.0.1:10.0.0.2", "10.0.0.1", "10.0.0.2")]
    [InlineData(":10.0.0.2", null, "10.0.0.2")]
    [InlineData("10.0.0.1:", "10.0.0.1", null)]
    [InlineData("0.0.0.0:10.0.0.2", null, "10.0.0.2")]
    public void Parse_Addresses(string word, string? local, string? remote)
    {
        _tree.Write("/etc/ppp/peers/x", $"/dev/ttyS0 {word}\n");
        var ipcp = _tree.Call("x").Link.Ipcp;
        Assert.Equal(local is null ? null : IPAddress.Parse(local), ipcp.Local);
        Assert.Equal(remote is null ? null : IPAddress.Parse(remote), ipcp.Remote);
    }

    [Fact]
    public void Parse_Numbers_AsPppdDecimalHexOctal()
    {
        _tree.Write("/etc/ppp/peers/x", "/dev/ttyS0 9600 mru 0x578 mtu 02734 asyncmap 20a0000 asyncmap 1 connect-delay 500 lcp-restart 2\n");
        var link = _tree.Call("x").Link;
        Assert.Equal(9600, link.Speed);
        Assert.Equal(1400, link.Lcp.Mru);
        Assert.Equal(1500, link.Lcp.Mtu);
        Assert.Equal(0x020A0001u, link.Lcp.Asyncmap);   // asyncmap options are OR-ed
        Assert.Equal(TimeSpan.FromMilliseconds(500), link.ConnectDelay);
        Assert.Equal(TimeSpan.FromSeconds(2), link.Lcp.Counters.Restart);
    }

    [Fact]
    public void Parse_FlowControl_LastOneWins()
    {
        _tree.Write("/etc/ppp/peers/x", "/dev/ttyS0 crtscts nocrtscts xonxoff\n");
        var link = _tree.Call("x").Link;
        Assert.Equal(FlowControl.Xonxoff, link.FlowControl);
        Assert.Equal(0x000A0000u, link.Lcp.Asyncmap);   // xonxoff asks the peer to escape ^Q and ^S
        Assert.Equal(["/etc/ppp/peers/x:1 xonxoff"], PppdDump.Lines(_tree.Call("x").Options).Where(l => l.Contains("x:1 ", StringComparison.Ordinal) && !l.Contains("ttyS0", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_Aliases_ActAsTheirOption()
    {
        _tree.Write("/etc/ppp/peers/x", "/dev/ttyS0 -ac -pc -mn -am -p -d -d -vj -ccp +ipv6 -chap\n");
        var result = _tree.Call("x");
        var link = result.Link;
        Assert.False(link.Lcp.Accomp);
        Assert.False(link.Lcp.Pcomp);
        Assert.False(link.Lcp.Magic);
        Assert.True(link.Lcp.DefaultAsyncmap);
        Assert.True(link.Passive);
        Assert.True(link.Ipv6cp.Enabled);
        Assert.True(link.Auth.RefuseChap);
        Assert.Equal(2, result.Extras.DebugLevel);
    }

    [Fact]
    public void Parse_NoConnectScript_HoldoffIsZeroAsPppd()
    {
        _tree.Write("/etc/ppp/peers/x", "/dev/ttyS0\n");
        Assert.Equal(TimeSpan.Zero, _tree.Call("x").Link.Holdoff);
    }

    [Fact]
    public void Parse_ExternalConnectProgram_IsUnsupportedAndKept()
    {
        _tree.Write("/etc/ppp/peers/x", "/dev/ttyS0\nconnect \"/usr/local/bin/dial | logger\"\ndisconnect /bin/true\n");
        var result = _tree.Call("x");
        var unsupported = Assert.Single(result.Unsupported);
        Assert.Equal("/etc/ppp/peers/x:2 connect \"/usr/local/bin/dial | logger\": only chat is run by LinkActors; another connect program is not supported yet", unsupported.ToString());
        Assert.Equal("/usr/local/bin/dial | logger", result.Extras.ConnectCommand);
        Assert.True(result.Link.Connect.IsEmpty);
        Assert.True(result.Link.Disconnect.IsEmpty);   // /bin/true: no script
    }

    [Fact]
    public void Parse_SocketAndNotty_AreDevices()
    {
        _tree.Write("/etc/ppp/peers/s", "socket 192.168.1.5:4000\n").Write("/etc/ppp/peers/n", "notty\n");
        Assert.Equal("socket:192.168.1.5:4000", _tree.Call("s").Link.Device);
        Assert.Equal("stdio", _tree.Call("n").Link.Device);
    }

    [Fact]
    public void Parse_UserFile_GivesUserAndPassword()
    {
        _tree.Write("/etc/ppp/ua", "carol\ncarols-password\n", UnixFileMode.UserRead | UnixFileMode.UserWrite)
            .Write("/etc/ppp/peers/x", "/dev/ttyS0 +ua /etc/ppp/ua\n");
        var auth = _tree.Call("x").Link.Auth;
        Assert.Equal(("carol", "carols-password"), (auth.User, auth.Password));
    }

    [Fact]
    public void Parse_RecordedOptions_GoToExtras()
    {
        _tree.Write("/etc/ppp/peers/x", "/dev/ttyS0 defaultroute replacedefaultroute defaultroute-metric 300 ifname wwan-ppp unit 3 linkname lte dryrun\n");
        var extras = _tree.Call("x").Extras;
        Assert.Equal(new PppdExtras(DryRun: true, LinkName: "lte", DefaultRoute: true, ReplaceDefaultRoute: true, DefaultRouteMetric: 300, InterfaceName: "wwan-ppp", Unit: 3), extras);
    }
}
