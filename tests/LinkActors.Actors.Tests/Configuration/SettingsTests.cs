using System.Net;
using LinkActors.Actors.Configuration;

namespace LinkActors.Actors.Tests.Configuration;

public class SettingsTests
{
    private static string HoconDir => Path.Combine(RepositoryRoot(), "hocon");

    /// <summary>The folder holding LinkActors.sln, found from the test output or, when that lives elsewhere, this source file.</summary>
    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LinkActors.sln")))
                    return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("LinkActors.sln not found above the test output or the test sources");
    }

    private static LinkSettings One(string hocon) => Assert.Single(Settings.Create(Settings.Parse(hocon, "test.conf"), "test.conf"));

    [Fact]
    public void Create_MinimalLink_TakesPppdDefaults()
    {
        var link = One("linkactors.links.a { device = \"/dev/ttyS0\" }");
        Assert.Equal("a", link.Name);
        Assert.Equal(LinkRole.Client, link.Role);
        Assert.Equal(1500, link.Lcp.Mru);
        Assert.Equal(TimeSpan.FromSeconds(3), link.Lcp.Counters.Restart);
        Assert.Equal(10, link.Lcp.Counters.MaxConfigure);
        Assert.Equal(2, link.Lcp.Counters.MaxTerminate);
        Assert.Equal(5, link.Lcp.Counters.MaxFailure);
        Assert.Equal(TimeSpan.FromSeconds(30), link.Holdoff);
        Assert.Equal(10, link.MaxFail);
        Assert.True(link.Lcp.Accomp);
        Assert.True(link.Lcp.Magic);
        Assert.Null(link.Record);
        Assert.True(link.Connect.IsEmpty);
    }

    [Fact]
    public void Create_UnknownKey_NamesSourceAndKey()
    {
        var e = Assert.Throws<SettingsException>(() => One("linkactors.links.a { device = x\n lcp { mruu = 1400 } }"));
        Assert.Equal("test.conf: linkactors.links.a.lcp.mruu: unknown key", e.Message);
    }

    [Fact]
    public void Create_UnknownTopLevelKey_IsRejected()
    {
        var e = Assert.Throws<SettingsException>(() => Settings.Create(Settings.Parse("linkactors.lnks.a { device = x }", "t"), "t"));
        Assert.Equal("linkactors.lnks", e.Key);
    }

    [Theory]
    [InlineData("lcp.mru = 64", "linkactors.links.a.lcp.mru", "out of range")]
    [InlineData("lcp.mru = big", "linkactors.links.a.lcp.mru", "not a whole number")]
    [InlineData("lcp.asyncmap = 0xZZ", "linkactors.links.a.lcp.asyncmap", "32-bit")]
    [InlineData("role = dialer", "linkactors.links.a.role", "not one of")]
    [InlineData("flow-control = rtscts", "linkactors.links.a.flow-control", "not one of")]
    [InlineData("persist = maybe", "linkactors.links.a.persist", "not true or false")]
    [InlineData("holdoff = soon", "linkactors.links.a.holdoff", "not a duration")]
    [InlineData("ipcp.local = 300.1.1.1", "linkactors.links.a.ipcp.local", "not an IPv4 address")]
    [InlineData("ipcp.ms-dns = [192.0.2.1, 192.0.2.2, 192.0.2.3]", "linkactors.links.a.ipcp.ms-dns", "at most two")]
    [InlineData("auth.require = pap", "linkactors.links.a.auth.secrets", "needs at least one secret")]
    [InlineData("device = \"socket:nohost\"", "linkactors.links.a.device", "socket:HOST:PORT")]
    [InlineData("connect { chat-file = x.chat, script = [a, b] }", "linkactors.links.a.connect.chat-file", "not both")]
    [InlineData("auth.secrets = [ { client = a, secert = b } ]", "linkactors.links.a.auth.secrets[0].secert", "unknown key")]
    public void Create_BadValue_NamesKeyAndReason(string line, string key, string reason)
    {
        var e = Assert.Throws<SettingsException>(() => One($"linkactors.links.a {{ device = \"/dev/ttyS0\"\n {line} }}"));
        Assert.Equal(key, e.Key);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MissingDevice_IsAnError()
    {
        var e = Assert.Throws<SettingsException>(() => One("linkactors.links.a { role = server }"));
        Assert.Equal("linkactors.links.a.device", e.Key);
    }

    [Theory]
    [InlineData("linkactors { links { a { device = x }", "line 1: '{' is never closed")]
    [InlineData("linkactors {\n links { a { s = [1, 2 } }\n}", "line 2: '}' closes the '[' opened on line 2")]
    [InlineData("linkactors {\n a = \"x\n}", "line 2: unclosed quoted string")]
    [InlineData("a = 1 }", "line 1: '}' without a matching '{'")]
    // Found by the hocon fuzz target: the parser looped (5 s and 400 MB until our bound) on these.
    [InlineData("a = [ b = c ]", "line 1: '=' inside a list: a list holds values; write an object in a list as { key = value }")]
    [InlineData("linkactors.links.wwan {\n connect {\n script = [\n local = fa\",\\\"internet\\\"ATD*99#\", CONNECT, \"\"\n ]\n }\n}",
        "line 4: '=' inside a list: a list holds values; write an object in a list as { key = value }")]
    [InlineData("a = [ b : c ]", "line 1: ':' inside a list: a list holds values; write an object in a list as { key = value }")]
    [InlineData("a = [ \"\", @AT ]", "line 1: '@' in a list must be inside quotes (\"...\")")]
    [InlineData("a {\n b = [ x\\y ] }", "line 2: '\\' in a list must be inside quotes (\"...\")")]
    [InlineData("a = [ [ b^c ] ]", "line 1: '^' in a list must be inside quotes (\"...\")")]
    [InlineData("a = [ b$c ]", "line 1: '$' in a list must be inside quotes (\"...\")")]
    public void Parse_SyntaxError_NamesSourceAndLine(string text, string reason)
    {
        var e = Assert.Throws<SettingsException>(() => Settings.Parse(text.Replace("\\n", "\n", StringComparison.Ordinal), "broken.conf"));
        Assert.Equal($"broken.conf: (syntax): {reason}", e.Message);
    }

    [Fact]
    public void Parse_ObjectsAndQuotedSeparatorsInsideAList_AreFine()
    {
        var config = Settings.Parse("x = 1\na = [ { b = c }, \"d = e\", \"f:g\", \"ATD*99#\", ${x}, b+c ]", "t");
        Assert.Equal(6, config.GetValue("a").GetArray().Count);
    }

    [Fact]
    public void Parse_BracketsInsideStringsAndComments_AreNotCounted()
    {
        var config = Settings.Parse("# a { comment\nlinkactors.links.a { device = \"/dev/x{[\" }\n// ]", "t");
        Assert.Equal("/dev/x{[", Assert.Single(Settings.Create(config, "t")).Device);
    }

    [Fact]
    public void Load_MissingFile_NamesPath()
    {
        var e = Assert.Throws<SettingsException>(() => Settings.Load("/nonexistent/links.conf"));
        Assert.StartsWith("/nonexistent/links.conf: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SeveralLinks_AreAllRead()
    {
        var links = Settings.Create(Settings.Parse("linkactors.links { a { device = /dev/x }\n b { device = /dev/y, role = server } }", "t"), "t");
        Assert.Equal(["a", "b"], links.Select(l => l.Name).Order());
        Assert.Equal(LinkRole.Server, links.Single(l => l.Name == "b").Role);
    }

    [Fact]
    public void Bc66Example_ReproducesTheUsersPppdOptions()
    {
        var link = Assert.Single(Settings.Create(Settings.Load(Path.Combine(HoconDir, "bc66-nbiot.conf")), "bc66-nbiot.conf"));
        Assert.Equal("/dev/ttyS0", link.Device);
        Assert.Equal(115200, link.Speed);
        Assert.Equal(FlowControl.None, link.FlowControl);
        Assert.True(link.Local);
        Assert.Equal(AuthRequirement.None, link.Auth.Require);
        Assert.True(link.Auth.RefuseChap);
        Assert.Equal("*", link.Auth.User);
        Assert.Equal("*", link.Auth.Password);
        Assert.True(link.Ipcp.NoIpDefault);
        Assert.True(link.Ipcp.AcceptLocal);
        Assert.True(link.Ipcp.AcceptRemote);
        Assert.True(link.Ipcp.NoRemoteIp);
        Assert.False(link.Lcp.Accomp);
        Assert.False(link.Lcp.Pcomp);
        Assert.False(link.Ipv6cp.Enabled);
        Assert.True(link.Persist);
        Assert.Equal(TimeSpan.FromSeconds(120), link.Connect.Timeout);
        Assert.Contains("AT+CGDCONT=1,\"IP\",\"iot.1nce.net\",,0,0", link.Connect.Script);
        Assert.Contains("ATDT*99#", link.Connect.Script);
        foreach (var abort in new[] { "BUSY", "NO CARRIER", "NO DIALTONE", "ERROR", "NO ANSWER" })
            Assert.Contains(abort, link.Connect.Script);
        Assert.Contains("+++ATH", link.Disconnect.Script);
    }

    [Theory]
    [InlineData("modem-client.conf")]
    [InlineData("server.conf")]
    [InlineData("bc66-nbiot.conf")]
    public void Examples_AllValidate(string file)
    {
        Assert.NotEmpty(Settings.Create(Settings.Load(Path.Combine(HoconDir, file)), file));
    }

    [Fact]
    public void ServerExample_AssignsAddressesAndDns()
    {
        var link = Assert.Single(Settings.Create(Settings.Load(Path.Combine(HoconDir, "server.conf")), "server.conf"));
        Assert.Equal(LinkRole.Server, link.Role);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), link.Ipcp.Local);
        Assert.Equal(IPAddress.Parse("192.0.2.2"), link.Ipcp.Remote);
        Assert.Equal(2, link.Ipcp.MsDns.Count);
        Assert.Equal(AuthRequirement.Chap, link.Auth.Require);
        Assert.DoesNotContain("change-me", link.Auth.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Modem_Defaults_CmuxOff_PollEveryMinute()
    {
        var modem = One("linkactors.links.a { device = \"/dev/ttyUSB2\" }").Modem;
        Assert.False(modem.Cmux);
        Assert.Equal("AT+CMUX=0,0,5,1509", modem.CmuxCommand);
        Assert.Equal(1509, modem.N1);
        Assert.Equal(TimeSpan.FromSeconds(60), modem.PollInterval);
    }

    [Theory]
    [InlineData("cmux-n1 = 0", "modem.cmux-n1")]
    [InlineData("cmux-n1 = 40000", "modem.cmux-n1")]
    [InlineData("cmux-n1 = 127", "modem.cmux-n1")]
    [InlineData("cmux-command = \"CMUX=0\"", "modem.cmux-command")]
    [InlineData("poll-interval = 10ms", "modem.poll-interval")]
    public void Modem_BadValues_NameTheKey(string line, string key)
    {
        var e = Assert.Throws<SettingsException>(() => One($"linkactors.links.a {{ device = \"/dev/ttyUSB2\", modem {{ {line} }} }}"));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }
}
