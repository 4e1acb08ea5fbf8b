using LinkActors.Actors.Chat;
using LinkActors.Actors.Configuration;
using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Tests.Chat;

public class ChatScriptLoaderTests
{
    [Fact]
    public void Load_InlineScriptWithPhone_SubstitutesBackslashT()
    {
        var settings = new ChatSettings(null, ["", "ATD\\T", "CONNECT"], TimeSpan.FromSeconds(30), Environment: false, Phone: "*99#", Phone2: "");

        var script = ChatScriptLoader.Load(settings);

        Assert.Equal(TimeSpan.FromSeconds(30), script.Options.Timeout);
        Assert.Equal("*99#", script.Options.PhoneNumber);
        Assert.Null(script.Options.PhoneNumber2);
        Assert.Equal(3, script.Steps.Count);
    }

    [Fact]
    public void Load_EnvironmentOn_TakesTheGivenVariables()
    {
        var settings = new ChatSettings(null, ["", "AT+CGDCONT=1,\"IP\",\"$APN\"", "OK"], TimeSpan.FromSeconds(45), Environment: true, Phone: "", Phone2: "");

        var script = ChatScriptLoader.Load(settings, new Dictionary<string, string> { ["APN"] = "iot.1nce.net" });

        var send = Assert.IsType<ChatStep.Send>(script.Steps[1]);
        Assert.Contains("iot.1nce.net", send.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsChatParseExceptionNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"linkactors-missing-{Guid.NewGuid():N}.chat");
        var settings = new ChatSettings(path, [], TimeSpan.FromSeconds(45), Environment: false, Phone: "", Phone2: "");

        var error = Assert.Throws<ChatParseException>(() => ChatScriptLoader.Load(settings));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
