using System.Text;
using LinkActors.Ppp.Chat;

namespace LinkActors.Ppp.Tests.Chat;

/// <summary>chat(8)'s escapes, send and expect side, as a table.</summary>
public class ChatEscapesTests
{
    private static readonly ChatOptions Phones = ChatOptions.Default with { PhoneNumber = "5551234", PhoneNumber2 = "*99#" };

    [Theory]
    [InlineData("AT", "AT\r", "AT^M")]                  // a CR is added
    [InlineData("AT\\c", "AT", "AT")]                   // ... unless the string ends in \c
    [InlineData("a\\cb", "acb\r", "acb^M")]             // \c elsewhere is the letter
    [InlineData("", "\r", "^M")]                        // '' sends a lone CR
    [InlineData("\\b", "\b\r", "^H^M")]
    [InlineData("\\n\\r\\s\\t", "\n\r \t\r", "^J^M ^I^M")]
    [InlineData("\\N", "\0\r", "^@^M")]                 // \N sends a NUL
    [InlineData("\\\\", "\\\r", "\\^M")]
    [InlineData("\\101\\0", "A\0\r", "A^@^M")]          // octal, one to three digits
    [InlineData("\\7x", "\ax\r", "^Gx^M")]
    [InlineData("\\1011", "A1\r", "A1^M")]              // at most three digits
    [InlineData("^C", "\u0003\r", "^C^M")]
    [InlineData("^c^[", "\u0003\u001b\r", "^C^[^M")]    // ^ takes the low five bits
    [InlineData("^@x", "x\r", "x^M")]                   // ^@ sends nothing, as in chat
    [InlineData("x^", "x^\r", "x^^M")]                  // a trailing ^ is itself
    [InlineData("x\\", "x\\\r", "x\\^M")]               // a trailing \ is itself
    [InlineData("\\-\\'\\$", "-'$\r", "-'$^M")]         // other escapes give the character
    [InlineData("ATD\\T", "ATD5551234\r", "ATD5551234^M")]
    [InlineData("ATD\\U", "ATD*99#\r", "ATD*99#^M")]
    [InlineData("EOT", "\u0004", "^D")]                 // the word EOT is ^D\c
    [InlineData("\\177\\341", "\u007f\u00e1\r", "^?M-a^M")]
    public void CompileReply_EscapeTable_GivesBytesAndDisplay(string raw, string bytes, string display)
    {
        var compiled = ChatEscapes.CompileReply(raw, Phones);

        var written = compiled.Parts.OfType<SendPart.Write>().SelectMany(w => w.Bytes).ToArray();
        Assert.Equal(Encoding.Latin1.GetBytes(bytes), written);
        Assert.Equal(display, compiled.Display);
        Assert.All(compiled.Parts, p => Assert.IsType<SendPart.Write>(p));
    }

    [Theory]
    [InlineData("\\d", "Pause(1000)", "\\d^M")]
    [InlineData("\\p", "Pause(100)", "\\p^M")]
    [InlineData("\\K", "Break", "\\K^M")]
    [InlineData("BREAK", "Break", "\\K")]
    public void CompileReply_TimingAndBreakEscapes_BecomeParts(string raw, string part, string display)
    {
        var compiled = ChatEscapes.CompileReply(raw, Phones);

        var first = compiled.Parts[0] switch
        {
            SendPart.Pause pause => $"Pause({pause.Duration.TotalMilliseconds})",
            SendPart.Break => "Break",
            _ => "Write",
        };
        Assert.Equal(part, first);
        Assert.Equal(display, compiled.Display);
    }

    [Fact]
    public void CompileReply_QuietPairs_HideOnlyWhatLiesBetween()
    {
        var compiled = ChatEscapes.CompileReply("AT+CPWD=\"SC\",\\q1234\\q,\\q5678\\q", Phones);

        Assert.Equal("AT+CPWD=\"SC\",??????,??????^M", compiled.Display);
        Assert.Equal(["1234", "5678"], compiled.Secrets.Select(s => Encoding.Latin1.GetString(s)));
        var written = compiled.Parts.OfType<SendPart.Write>().SelectMany(w => w.Bytes).ToArray();
        Assert.Equal("AT+CPWD=\"SC\",1234,5678\r"u8.ToArray(), written);
    }

    [Theory]
    [InlineData("OK", "OK")]
    [InlineData("^M", "\r")]
    [InlineData("\\r\\n", "\r\n")]
    [InlineData("\\d\\p\\K\\c\\N", "dpKcN")]       // send-only escapes are the letters here, as in chat
    [InlineData("a\\000b", "ab")]                   // chat cannot look for a NUL
    [InlineData("\\q", "")]
    [InlineData("NO\\sCARRIER", "NO CARRIER")]
    [InlineData("ATD\\T", "ATD5551234")]           // unlike chat: the echoed dial string can be matched
    [InlineData("x\\", "x")]
    public void CompileExpect_EscapeTable_GivesBytesToMatch(string raw, string expected)
    {
        Assert.Equal(Encoding.Latin1.GetBytes(expected), ChatEscapes.CompileExpect(raw, Phones));
    }

    [Fact]
    public void CompileReply_PhoneEscapeWithoutNumber_IsAFormatError()
    {
        Assert.Throws<FormatException>(() => ChatEscapes.CompileReply("ATD\\T", ChatOptions.Default));
        Assert.Throws<FormatException>(() => ChatEscapes.CompileExpect("\\U", ChatOptions.Default));
    }

    [Fact]
    public void Render_ShowsControlsDelAndHighBitAsChatLogsThem()
    {
        Assert.Equal("AT^M^J^?M-AM-^@", ChatEscapes.Render([(byte)'A', (byte)'T', 0x0D, 0x0A, 0x7F, 0xC1, 0x80]));
    }
}
