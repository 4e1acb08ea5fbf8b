using LinkActors.Actors.Configuration;
using LinkActors.Actors.Network;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Actors.Tests.Network;

public sealed class NetworkSettingsTests
{
    private static LinkSettings Link(string network) => Assert.Single(Settings.Create(Settings.Parse(
        $"linkactors.links.lte {{ device = \"/dev/ttyS0\"\n network {{ {network} }} }}", "test"), "test"));

    [Fact]
    public void Defaults_ArePppds()
    {
        var network = Link("").Network;
        Assert.Equal(NetworkMode.Auto, network.Mode);
        Assert.Equal("ppp%d", network.Interface);
        Assert.False(network.DefaultRoute);
        Assert.Equal("/etc/ppp/resolv.conf", network.UsePeerDnsFile);
        Assert.Equal("/run/linkactors", network.StateDirectory);
        Assert.Null(network.IpUp);
        Assert.Equal(TimeSpan.FromSeconds(30), network.ScriptTimeout);
    }

    [Fact]
    public void AllKeys_Read()
    {
        var network = Link("mode = endpoint, interface = wwan%d, defaultroute = true, defaultroute-metric = 100, replacedefaultroute = true\n" +
            "routes = [\"198.51.100.0/24\"], ip-up = /etc/ppp/ip-up, ipparam = lte, script-timeout = 5s").Network;
        Assert.Equal(NetworkMode.Endpoint, network.Mode);
        Assert.Equal("wwan%d", network.Interface);
        Assert.Equal(100u, network.DefaultRouteMetric);
        Assert.True(network.ReplaceDefaultRoute);
        Assert.Equal("198.51.100.0/24", Assert.Single(network.Routes).ToString());
        Assert.Equal("/etc/ppp/ip-up", network.IpUp);
        Assert.Equal(TimeSpan.FromSeconds(5), network.ScriptTimeout);
    }

    [Theory]
    [InlineData("mode = kernel", "network.mode")]
    [InlineData("interface = \"a-name-that-is-too-long\"", "network.interface")]
    [InlineData("interface = \"ppp/0\"", "network.interface")]
    [InlineData("replacedefaultroute = true", "network.replacedefaultroute")]
    [InlineData("routes = [\"198.51.100.1/24\"]", "network.routes[0]")]
    [InlineData("routes = [\"2001:db8::/32\"]", "network.routes[0]")]
    [InlineData("ip-up = ip-up.sh", "network.ip-up")]
    [InlineData("state-directory = run", "network.state-directory")]
    [InlineData("script-timeout = 10ms", "network.script-timeout")]
    [InlineData("colour = blue", "network.colour")]
    public void Invalid_FailsNamingTheKey(string network, string key)
    {
        var e = Assert.Throws<SettingsException>(() => Link(network));
        Assert.Contains($"linkactors.links.lte.{key}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_ExplicitModes_AreKept()
    {
        Assert.Equal(NetworkMode.Tun, NetworkFactory.Resolve(NetworkMode.Tun));
        Assert.Equal(NetworkMode.Endpoint, NetworkFactory.Resolve(NetworkMode.Endpoint));
        Assert.Equal(Environment.IsPrivilegedProcess ? NetworkMode.Tun : NetworkMode.Endpoint, NetworkFactory.Resolve(NetworkMode.Auto));
    }
}
