using LinkActors.Actors.Configuration.Pppd;

namespace LinkActors.Actors.Tests.Pppd;

public class PppdWordReaderTests
{
    private static List<string> Words(string text) => PppdWordReader.Read(text, "/f").Select(w => w.Text).ToList();

    [Fact]
    public void Read_CommentsAndWhiteSpace_SeparateWords()
    {
        Assert.Equal(["noauth", "user", "bob", "lock"], Words("# a comment\nnoauth   user\tbob # trailing comment\n\n  lock\n"));
    }

    [Fact]
    public void Read_HashInsideAWord_EndsTheWordAndStartsAComment()
    {
        // As pppd's getword: an unquoted '#' ends the word (it is pushed back) and comments out the rest.
        Assert.Equal(["ATDT*99", "lock"], Words("ATDT*99#comment\nlock"));
        Assert.Equal(["ATDT*99#"], Words("'ATDT*99#'"));
    }

    [Fact]
    public void Read_Quotes_GroupAndJoinParts()
    {
        Assert.Equal(["/usr/sbin/chat -v -f x", "ab cd\"e", "", "it's"], Words("'/usr/sbin/chat -v -f x' ab' 'cd'\"'e \"\" \"it's\""));
    }

    [Theory]
    [InlineData(@"a\sb", "a b")]
    [InlineData(@"\x41\x4a", "AJ")]
    [InlineData(@"\101\102", "AB")]
    [InlineData(@"\t\n", "\t\n")]
    [InlineData(@"\#\'\""", "#'\"")]
    [InlineData(@"""in \""quotes\"" here""", "in \"quotes\" here")]
    [InlineData("join\\\ned", "joined")]
    public void Read_Escapes_AsPppd(string text, string expected)
    {
        Assert.Equal([expected], Words(text));
    }

    [Fact]
    public void Read_LineNumbers_AreWhereEachWordStarts()
    {
        var words = PppdWordReader.Read("# c\nuser\n  bob\n\n'two\nlines' x", "/f");
        Assert.Equal([2, 3, 5, 6], words.Select(w => w.Line));
        Assert.Equal([true, true, true, false], words.Select(w => w.StartsLine));
    }

    [Fact]
    public void Read_BackslashNewlineBeforeAWord_JoinsLines()
    {
        var words = PppdWordReader.Read("a \\\nb\nc", "/f");
        Assert.Equal(["a", "b", "c"], words.Select(w => w.Text));
        Assert.Equal([true, false, true], words.Select(w => w.StartsLine));
    }

    [Fact]
    public void Read_UnclosedQuote_IsAnErrorNamingTheLine()
    {
        var e = Assert.Throws<PppdConfigurationException>(() => Words("lock\nconnect 'chat -v\n"));
        Assert.Equal("/f:2: the quote (') opened here is never closed", e.Message);
    }
}
