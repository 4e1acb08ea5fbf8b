using System.Net;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Configuration.Pppd;

namespace LinkActors.Actors.Tests.Pppd;

public class SecretsFileTests : IDisposable
{
    private readonly PppdTree _tree = PppdTree.Fixture("secrets");

    public void Dispose() => _tree.Dispose();

    private static SecretsFile Parse(string text) =>
        SecretsFile.Parse(text, "/etc/ppp/pap-secrets", f => throw new PppdConfigurationException(f.Where, "no files here"));

    [Fact]
    public void Parse_Entries_ClientServerSecretAddresses()
    {
        var file = Parse("# comment\nalice isp \"two words\" 10.0.0.1 10.0.0.2\n\n'bob' * '' -- debug\n");
        Assert.Equal(2, file.Entries.Count);
        var alice = file.Entries[0];
        Assert.Equal((2, "alice", "isp", "two words"), (alice.Line, alice.Entry.Client, alice.Entry.Server, alice.Entry.Secret));
        Assert.Equal(["10.0.0.1", "10.0.0.2"], alice.Entry.Addresses);
        var bob = file.Entries[1];
        Assert.Equal(("bob", "*", ""), (bob.Entry.Client, bob.Entry.Server, bob.Entry.Secret));
        Assert.Empty(bob.Entry.Addresses);   // words after "--" are options, not addresses
    }

    [Fact]
    public void Parse_IncompleteEntry_NamesTheLine()
    {
        var e = Assert.Throws<PppdConfigurationException>(() => Parse("alice isp secret\nbob isp\n"));
        Assert.Equal("/etc/ppp/pap-secrets:2: a secrets entry needs a client, a server and a secret", e.Message);
    }

    [Fact]
    public void Find_PrefersNamedOverWildcardAndClientOverServer()
    {
        var file = SecretsFile.Load(PppdEnvironment.PapSecretsPath, _tree.Environment);
        Assert.Equal(4, file.Find("alice", "isp")!.Line);    // alice isp beats alice * and * isp
        Assert.Equal(3, file.Find("alice", "other")!.Line);  // alice *
        Assert.Equal(2, file.Find("carol", "isp")!.Line);    // * isp
        Assert.Null(file.Find("carol", "other"));
        Assert.Equal(4, file.Find("alice", null)!.Line);     // no server: any matches, and a named one still counts more, as in pppd
    }

    [Fact]
    public void Load_IndirectSecret_IsTheFirstWordOfTheFile()
    {
        var file = SecretsFile.Load(PppdEnvironment.PapSecretsPath, _tree.Environment);
        Assert.Equal("bob-from-file", file.Find("bob", "isp")!.Entry.Secret);
        Assert.Equal("alice's \"isp\" secret", file.Find("alice", "isp")!.Entry.Secret);
    }

    [Fact]
    public void Load_MissingFile_HasNoEntries()
    {
        Assert.Empty(SecretsFile.Load("/etc/ppp/none-secrets", _tree.Environment).Entries);
    }

    [Fact]
    public void Call_WithoutPassword_TakesTheSecretForUserAndRemoteName()
    {
        var result = _tree.Call("isp");
        Assert.Equal("alice", result.Link.Auth.User);
        Assert.Equal("isp", result.Link.Auth.RemoteName);
        Assert.Equal("alice's \"isp\" secret", result.Link.Auth.Password);
        Assert.Equal(AuthRequirement.None, result.Link.Auth.Require);
        Assert.Empty(result.Link.Auth.Secrets);
        Assert.Contains(result.Notes, n => n.Source == new PppdSource(PppdEnvironment.PapSecretsPath, 4) && n.Option == "password");
        Assert.Contains(result.Notes, n => n.Option == "auth" && n.Text.StartsWith("neither auth nor noauth", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_SecretFromPapSecrets_HoconRefersToTheFileAndLoadsTheSameSecret()
    {
        var result = _tree.Call("isp");
        var hocon = PppdImport.ToHocon(result);

        Assert.DoesNotContain("alice's", hocon, StringComparison.Ordinal);
        Assert.Contains("password-from = [\"/etc/ppp/pap-secrets\"]", hocon, StringComparison.Ordinal);
        Assert.False(PppdImport.WritesSecrets(result));
        var loaded = Assert.Single(Settings.Create(Settings.Parse(hocon, "isp.conf"), "isp.conf", _tree.Environment));
        Assert.Equal("alice's \"isp\" secret", loaded.Auth.Password);
        Assert.Equal(["/etc/ppp/pap-secrets"], loaded.Auth.PasswordFrom);
    }

    [Theory]
    [InlineData("user = alice, password = pw, password-from = [\"/etc/ppp/pap-secrets\"]", "not both")]
    [InlineData("password-from = [\"/etc/ppp/pap-secrets\"]", "needs auth.user")]
    [InlineData("user = nobody-here, remote-name = nowhere, password-from = [\"/etc/ppp/pap-secrets\"]", "no secret for user nobody-here")]
    [InlineData("user = alice, password-from = [\"etc/ppp/pap-secrets\"]", "absolute path")]
    public void PasswordFrom_Unusable_IsAnErrorNamingTheKey(string auth, string reason)
    {
        var hocon = $"linkactors.links.wwan {{ device = \"/dev/ttyUSB2\", auth {{ {auth} }} }}";
        var error = Assert.Throws<SettingsException>(() => Settings.Create(Settings.Parse(hocon, "t.conf"), "t.conf", _tree.Environment));
        Assert.Equal("linkactors.links.wwan.auth.password-from", error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Call_RequireChap_ChecksThePeerWithChapSecrets()
    {
        var link = _tree.Call("server").Link;
        Assert.Equal(AuthRequirement.Chap, link.Auth.Require);
        Assert.Equal("gateway", link.Auth.User);   // name, with no user
        Assert.Equal(["peer1", "peer2"], link.Auth.Secrets.Select(s => s.Client));
        Assert.Equal(["192.168.7.2"], link.Auth.Secrets[0].Addresses);
        Assert.Equal("peer1-secret", link.Auth.Secrets[0].Secret);
        Assert.Equal(["-"], link.Auth.Secrets[1].Addresses);

        // As pppd: with no remotename, an entry for any server is ours, here "* isp".
        Assert.Equal("star secret", link.Auth.Password);
        Assert.Null(link.Ipcp.Local);
        Assert.Equal(IPAddress.Parse("192.168.7.2"), link.Ipcp.Remote);
    }

    [Fact]
    public void Call_Isp_ReadsOptionsPpprcPeersInOrder()
    {
        var result = _tree.Call("isp");
        var link = result.Link;
        Assert.Equal(["/etc/ppp/options", "/root/.ppprc", "/etc/ppp/peers/isp"], result.Options.FilesRead);
        Assert.True(link.Lock);                                          // /etc/ppp/options
        Assert.Equal(4, link.Lcp.EchoFailure);                           // ~/.ppprc
        Assert.Equal(TimeSpan.FromSeconds(10), link.Lcp.EchoInterval);   // peers file overrides ~/.ppprc
        Assert.Equal("/dev/ttyUSB2", link.Device);                       // a bare name is under /dev
        Assert.Equal(460800, link.Speed);
        Assert.Equal(FlowControl.Crtscts, link.FlowControl);
        Assert.False(link.Local);                                        // modem
        Assert.Equal([IPAddress.Parse("10.0.0.54"), IPAddress.Parse("10.0.0.55")], link.Ipcp.MsDns);   // the last two
        Assert.Equal(IPAddress.Parse("10.1.1.1"), link.Ipcp.Local);
        Assert.Equal(IPAddress.Parse("10.1.1.2"), link.Ipcp.Remote);
        Assert.True(link.Persist);
        Assert.Equal(TimeSpan.FromSeconds(5), link.Holdoff);
        Assert.Equal(0, link.MaxFail);
    }

    [Fact]
    public void Call_InlineChat_BecomesTheScriptWithPhoneAndTimeout()
    {
        var connect = _tree.Call("isp").Link.Connect;
        Assert.Null(connect.ChatFile);
        Assert.Equal(["", "ATZ", "OK", "ATDT\\T", "CONNECT", ""], connect.Script);
        Assert.Equal("5551234", connect.Phone);
        Assert.Equal(TimeSpan.FromSeconds(30), connect.Timeout);
        Assert.False(connect.Environment);
    }

    [Theory]
    [InlineData("isp")]
    [InlineData("server")]
    public void ToHocon_WithSecrets_LoadsBackToAnEqualLink(string name)
    {
        var result = _tree.Call(name);
        var loaded = Assert.Single(Settings.Create(Settings.Parse(PppdImport.ToHocon(result), "imported.conf"), "imported.conf", _tree.Environment));
        LinkSettingsAssert.Equal(result.Link, loaded);
    }

    [Fact]
    public void Secrets_AreNeverInToStringDumpNotesOrComments()
    {
        var result = _tree.Call("server");
        var isp = _tree.Call("isp");
        string[] secrets = ["peer1-secret", "peer2-secret", "star secret", "alice's", "bob-from-file"];
        var file = SecretsFile.Load(PppdEnvironment.PapSecretsPath, _tree.Environment);
        string comments = string.Join('\n', PppdImport.ToHocon(isp).Split('\n').Where(l => l.StartsWith('#')));
        string[] texts =
        [
            result.ToString(), result.Link.ToString(), result.Link.Auth.ToString(), isp.Link.ToString(),
            string.Join('\n', result.Notes), string.Join('\n', isp.Notes), PppdDump.Format(isp.Options),
            file.ToString(), string.Join('\n', file.Entries), comments,
        ];
        foreach (var text in texts)
            foreach (var secret in secrets)
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }
}
