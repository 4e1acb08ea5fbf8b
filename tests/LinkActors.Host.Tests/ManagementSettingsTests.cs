using LinkActors.Actors.Configuration;
using LinkActors.Host.Management;

namespace LinkActors.Host.Tests;

public sealed class ManagementSettingsTests
{
    private static ManagementSettings Read(string hocon, string? environmentToken = null) =>
        ManagementSettings.Create(Settings.Parse(hocon, "test"), "test", name => name == ManagementSettings.TokenVariable ? environmentToken : null);

    [Fact]
    public void Defaults_AreLoopbackOn8558_WithoutAToken()
    {
        var settings = Read("");
        Assert.Equal(new ManagementSettings(true, "127.0.0.1", 8558, "", ControlSocket.DefaultPath(_ => null)), settings);
        Assert.True(settings.IsLoopbackOnly);
        Assert.False(settings.ReadsNeedToken);
    }

    [Fact]
    public void NonLoopbackBind_WithoutAToken_RefusesToStart()
    {
        var error = Assert.Throws<SettingsException>(() => Read("linkactors.management { bind = \"0.0.0.0\" }"));
        Assert.Equal("linkactors.management.token", error.Key);
        Assert.Contains("not loopback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonLoopbackBind_WithATokenFromTheEnvironment_Starts()
    {
        var settings = Read("linkactors.management { bind = \"0.0.0.0\", token = \"from-file\" }", "from-env");
        Assert.Equal("from-env", settings.Token);
        Assert.True(settings.ReadsNeedToken);
        Assert.DoesNotContain("from-env", settings.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("linkactors.management { port = 70000 }", "linkactors.management.port")]
    [InlineData("linkactors.management { bind = \"eth0\" }", "linkactors.management.bind")]
    public void BadValues_NameTheKey(string hocon, string key) =>
        Assert.Equal(key, Assert.Throws<SettingsException>(() => Read(hocon)).Key);

    [Fact]
    public void UnknownKey_IsAnError() =>
        Assert.Throws<SettingsException>(() => Settings.Create(Settings.Parse("linkactors.management { tokn = \"x\" }", "test"), "test"));
}
