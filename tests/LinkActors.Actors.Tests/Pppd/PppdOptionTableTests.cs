using LinkActors.Actors.Configuration.Pppd;

namespace LinkActors.Actors.Tests.Pppd;

public class PppdOptionTableTests
{
    [Fact]
    public void Table_NamesAreUniqueAndAliasesPointAtRows()
    {
        var names = PppdOptionTable.All.Select(s => s.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        foreach (var spec in PppdOptionTable.All)
        {
            Assert.InRange(spec.Arguments, 0, 1);
            Assert.NotNull(PppdOptionTable.Find(spec.Canonical));
            Assert.False(string.IsNullOrWhiteSpace(spec.Meaning), spec.Name);
        }
    }

    public static TheoryData<string> MappedOrRecorded() =>
        new(PppdOptionTable.All.Where(s => s.Kind is PppdOptionKind.Mapped or PppdOptionKind.Recorded).Select(s => s.Name));

    /// <summary>Each option the table calls mapped or recorded is handled by the mapper (it throws on one that is not).</summary>
    [Theory]
    [MemberData(nameof(MappedOrRecorded))]
    public void Mapper_HandlesEveryMappedOption(string name)
    {
        using var tree = PppdTree.Empty();
        tree.Write("/etc/ppp/chap-secrets", "peer * secret\n").Write("/etc/ppp/pap-secrets", "peer * secret\n")
            .Write("/etc/ppp/ua", "u\np\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var spec = PppdOptionTable.Find(name)!;
        string argument = spec.Canonical switch
        {
            "connect" or "disconnect" => "chat '' AT OK",
            "socket" => "localhost:2000",
            "+ua" => "/etc/ppp/ua",
            "ms-dns" => "10.0.0.1",
            "asyncmap" => "a0000",
            "mru" or "mtu" => "1400",
            "user" or "password" or "name" or "remotename" or "record" or "ipparam" or "linkname" or "ifname" => "x",
            _ => "3",
        };
        string text = spec.Arguments == 0 ? name : $"{name} \"{argument}\"";
        tree.Write("/etc/ppp/peers/x", $"/dev/ttyS0\n{text}\n");
        var result = tree.Call("x");
        Assert.Empty(result.Unsupported);
    }

    [Fact]
    public void Table_CoversTheOptionsOfTheIssue()
    {
        string[] mapped =
        [
            "crtscts", "nocrtscts", "xonxoff", "nocdtrcts", "local", "modem", "lock", "nolock", "connect", "disconnect", "noauth", "auth",
            "require-pap", "require-chap", "refuse-pap", "refuse-chap", "user", "password", "remotename", "name", "mru", "mtu",
            "asyncmap", "default-asyncmap", "noaccomp", "nopcomp", "nomagic", "passive", "silent", "lcp-echo-interval",
            "lcp-echo-failure", "lcp-echo-adaptive", "lcp-restart", "lcp-max-configure", "lcp-max-terminate", "lcp-max-failure",
            "ipcp-restart", "ipcp-max-configure", "ipcp-max-terminate", "ipcp-max-failure", "noipdefault", "ipcp-accept-local",
            "ipcp-accept-remote", "noremoteip", "usepeerdns", "ms-dns", "noipv6", "+ipv6", "persist", "nopersist", "holdoff",
            "maxfail", "connect-delay", "maxconnect", "record",
        ];
        string[] accepted = ["novj", "novjccomp", "noccp", "nobsdcomp", "nodeflate", "nopredictor1", "refuse-mschap", "refuse-mschap-v2", "refuse-eap", "kdebug", "ktune", "noktune", "nodetach", "updetach", "hide-password", "show-password"];
        string[] recorded = ["ipparam", "linkname", "debug", "dump", "defaultroute", "nodefaultroute", "replacedefaultroute"];
        foreach (var name in mapped)
            Assert.Equal((name, PppdOptionKind.Mapped), (name, PppdOptionTable.Find(name)!.Kind));
        foreach (var name in accepted)
            Assert.Equal((name, PppdOptionKind.Accepted), (name, PppdOptionTable.Find(name)!.Kind));
        foreach (var name in recorded)
            Assert.Equal((name, PppdOptionKind.Recorded), (name, PppdOptionTable.Find(name)!.Kind));
        Assert.Equal(PppdOptionKind.Unsupported, PppdOptionTable.Find("multilink")!.Kind);
        Assert.Equal(PppdOptionKind.Unsupported, PppdOptionTable.Find("plugin")!.Kind);
    }
}
