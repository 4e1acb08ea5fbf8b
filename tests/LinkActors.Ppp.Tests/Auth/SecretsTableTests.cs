using System.Net;
using LinkActors.Ppp.Auth;

namespace LinkActors.Ppp.Tests.Auth;

public class SecretsTableTests
{
    [Fact]
    public void Find_ExactClientBeatsExactServerBeatsWildcards()
    {
        var table = new SecretsTable(
        [
            new SecretEntry("*", "*", "any"),
            new SecretEntry("*", "server", "server-only"),
            new SecretEntry("modem", "*", "client-only"),
            new SecretEntry("modem", "server", "both"),
        ]);

        Assert.Equal("both", table.Find("modem", "server")!.Secret);
        Assert.Equal("client-only", table.Find("modem", "elsewhere")!.Secret);
        Assert.Equal("server-only", table.Find("other", "server")!.Secret);
        Assert.Equal("any", table.Find("other", "elsewhere")!.Secret);
    }

    [Fact]
    public void Find_EqualMatches_FirstEntryWins()
    {
        var table = new SecretsTable([new SecretEntry("modem", "*", "first"), new SecretEntry("modem", "*", "second")]);

        Assert.Equal("first", table.Find("modem", "server")!.Secret);
    }

    [Fact]
    public void Find_NamesAreCaseSensitiveAndNullMatchesAny()
    {
        var table = new SecretsTable([new SecretEntry("modem", "server", "s")]);

        Assert.Null(table.Find("Modem", "server"));
        Assert.NotNull(table.Find("modem", null));
        Assert.NotNull(table.Find(null, "server"));
    }

    [Fact]
    public void AllowedAddresses_FirstMatchDecidesAndRestIsForbidden()
    {
        var allowed = AllowedAddresses.Parse(["!192.0.2.9", "192.0.2.0/24", "198.51.100.7"]);

        Assert.False(allowed.Permits(IPAddress.Parse("192.0.2.9")));
        Assert.True(allowed.Permits(IPAddress.Parse("192.0.2.10")));
        Assert.True(allowed.Permits(IPAddress.Parse("198.51.100.7")));
        Assert.False(allowed.Permits(IPAddress.Parse("203.0.113.1")));
        Assert.Equal(0xC6336407u, allowed.SuggestedAddress);
    }

    [Fact]
    public void AllowedAddresses_StarDashAndEmpty()
    {
        Assert.True(AllowedAddresses.Parse(["*"]).Permits(IPAddress.Parse("203.0.113.1")));
        Assert.False(AllowedAddresses.Parse(["-", "192.0.2.1"]).Permits(IPAddress.Parse("192.0.2.1")));
        Assert.False(AllowedAddresses.Parse([]).PermitsSome);
    }

    [Theory]
    [InlineData("192.0.2.1/33")]
    [InlineData("192.0.2")]
    [InlineData("modem.example")]
    [InlineData("::1")]
    public void AllowedAddresses_BadWord_ThrowsNamingIt(string word)
    {
        var error = Assert.Throws<FormatException>(() => AllowedAddresses.Parse([word]));
        Assert.Contains(word, error.Message, StringComparison.Ordinal);
    }
}
