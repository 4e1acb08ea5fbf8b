using CsCheck;
using LinkActors.Ppp.Chat;
using LinkActors.Tests.Shared;

namespace LinkActors.Ppp.Tests.Chat;

/// <summary>The script language: file syntax, word lists, flags, -E, and errors that name their place.</summary>
public class ChatScriptTests
{
    [Fact]
    public void Parse_Bc66ConnectScript_GivesDirectivesThenExpectSendPairs()
    {
        var script = ChatScript.Parse(Bc66Session.ConnectScript);

        Assert.Equal(5, script.Steps.OfType<ChatStep.Abort>().Count());
        Assert.Equal(["BUSY", "NO CARRIER", "NO DIALTONE", "ERROR", "NO ANSWER"], script.Steps.OfType<ChatStep.Abort>().Select(a => a.Text));
        Assert.Equal(new ChatStep.Timeout(7, TimeSpan.FromSeconds(120)), script.Steps.OfType<ChatStep.Timeout>().Single());
        Assert.Equal(11, script.Steps.OfType<ChatStep.Expect>().Count());
        Assert.Equal(10, script.Steps.OfType<ChatStep.Send>().Count());
        Assert.Equal("AT+CGDCONT=1,\"IP\",\"iot.1nce.net\",,0,0", script.Steps.OfType<ChatStep.Send>().ElementAt(8).Text);
        Assert.Equal("CONNECT", Assert.IsType<ChatStep.Expect>(script.Steps[^1]).Text);
        Assert.Equal(18, script.Steps[^1].Line);
    }

    [Fact]
    public void Parse_FileSyntax_QuotesCommentsTabsAndLineEnds()
    {
        const string text = "# a comment line\r\n"
            + "ABORT \"NO CARRIER\"\tABORT 'it''s'\r\n"
            + "  # not a comment: '#' is a word here\n"
            + "'' \"AT\\\"Q\\\"\" OK 'a b'\n"
            + "\n"
            + "'#' x";

        var script = ChatScript.Parse(text);

        Assert.Collection(
            script.Steps,
            s => Assert.Equal(new ChatStep.Abort(2, "NO CARRIER"), s),
            s => Assert.Equal(new ChatStep.Abort(2, "it"), s),

            // chat ends a quoted word at its closing quote: 's' is a word of its own, an expect.
            s => Assert.Equal("s", Assert.IsType<ChatStep.Expect>(s).Text),
            s => Assert.Equal(new ChatStep.Send(3, "#"), s),
            s => Assert.Equal("not", Assert.IsType<ChatStep.Expect>(s).Text),
            s => Assert.Equal(new ChatStep.Send(3, "a"), s),
            s => Assert.Equal("comment:", Assert.IsType<ChatStep.Expect>(s).Text),
            s => Assert.Equal(new ChatStep.Send(3, "#"), s),
            s => Assert.Equal("is", Assert.IsType<ChatStep.Expect>(s).Text),
            s => Assert.Equal(new ChatStep.Send(3, "a"), s),
            s => Assert.Equal("word", Assert.IsType<ChatStep.Expect>(s).Text),
            s => Assert.Equal(new ChatStep.Send(3, "here"), s),
            s => Assert.Equal(string.Empty, Assert.IsType<ChatStep.Expect>(s).Text),
            s => Assert.Equal(new ChatStep.Send(4, "AT\\\"Q\\\""), s),
            s => Assert.Equal("OK", Assert.IsType<ChatStep.Expect>(s).Text),
            s => Assert.Equal(new ChatStep.Send(4, "a b"), s),
            s => Assert.Equal("#", Assert.IsType<ChatStep.Expect>(s).Text),
            s => Assert.Equal(new ChatStep.Send(6, "x"), s));
    }

    [Fact]
    public void Parse_UnterminatedQuote_NamesTheLine()
    {
        var error = Assert.Throws<ChatParseException>(() => ChatScript.Parse("ABORT BUSY\n'' AT\nOK 'AT+CGDCONT=1,\"IP\"\nOK ATD"));

        Assert.Equal(3, error.Line);
        Assert.StartsWith("line 3: unterminated quote", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'' AT\nOK ATZ\nTIMEOUT soon", 3, "TIMEOUT needs a number of seconds")]
    [InlineData("'' AT\nABORT", 2, "ABORT at the end of the script needs an argument")]
    [InlineData("ECHO YES", 1, "ECHO needs ON or OFF")]
    [InlineData("\n\nABORT ''", 3, "ABORT needs a non-empty string")]
    [InlineData("'' ATD\\T", 1, "\\T needs a phone number (-T)")]
    [InlineData("OK-\\U ATD", 1, "\\U needs a second phone number (-U)")]
    public void Parse_InvalidScript_NamesTheLineAndTheReason(string text, int line, string reason)
    {
        var error = Assert.Throws<ChatParseException>(() => ChatScript.Parse(text));

        Assert.Equal(line, error.Line);
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"line {line}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExpectLongerThanChatsBuffer_IsRefused()
    {
        var error = Assert.Throws<ChatParseException>(() => ChatScript.Parse("'' AT\n" + new string('x', 1025) + " AT"));

        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void FromArguments_ErrorNamesTheWordNumber()
    {
        var error = Assert.Throws<ChatParseException>(() => ChatScript.FromArguments(["ABORT", "BUSY", "TIMEOUT", "x"]));

        Assert.Equal(4, error.Position);
        Assert.Equal(ChatSourceKind.Argument, error.SourceKind);
        Assert.StartsWith("argument 4: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromArguments_EachStringIsOneWord()
    {
        var script = ChatScript.FromArguments(["ABORT", "NO CARRIER", "", "AT+CGDCONT=1,\"IP\",\"iot.1nce.net\"", "OK", "ATD*99#"]);

        Assert.Equal(new ChatStep.Abort(2, "NO CARRIER"), script.Steps[0]);
        Assert.Equal(new ChatStep.Send(4, "AT+CGDCONT=1,\"IP\",\"iot.1nce.net\""), script.Steps[2]);
        Assert.Equal(ChatSourceKind.Argument, script.SourceKind);
    }

    [Theory]
    [InlineData("ogin:-BREAK-ogin:", "ogin:|BREAK;ogin:|")]
    [InlineData("OK", "OK|")]
    [InlineData("OK-AT", "OK|AT")]
    [InlineData("OK-", "OK|")]                 // nothing after the dash: no sub-send
    [InlineData("OK--OK", "OK|;OK|")]          // an empty sub-send sends a lone CR
    [InlineData("OK--", "OK|")]
    [InlineData("a\\-b", "a\\-b|")]            // an escaped dash belongs to the string
    [InlineData("", "|")]
    public void Parse_SubExpects_SplitAsChatDoes(string word, string expected)
    {
        var script = ChatScript.FromArguments([word, "x"]);

        var expect = Assert.IsType<ChatStep.Expect>(script.Steps[0]);
        var shown = string.Join(';', expect.Alternatives.Select(a => a.Expect + "|" + (a.SubSend ?? string.Empty)));
        Assert.Equal(expected, shown);
        if (word == "OK--OK")
        {
            Assert.Equal(string.Empty, expect.Alternatives[0].SubSend);
        }
    }

    [Fact]
    public void Parse_EnvironmentFlag_SubstitutesVariablesLiterally()
    {
        var environment = new Dictionary<string, string> { ["APN"] = "iot.1nce.net", ["PIN"] = "12-4\\", ["N"] = "*99#" };
        var options = ChatOptions.FromFlags(["-E"], environment);

        var script = ChatScript.Parse("'' 'AT+CGDCONT=1,\"IP\",\"${APN}\"'\nOK ATD$N\nOK 'AT+CPIN=\\q$PIN\\q'\n$PIN-\\$5 '$ 1$'", options);

        var sends = script.Steps.OfType<ChatStep.Send>().Select(s => s.Text).ToList();
        Assert.Equal("AT+CGDCONT=1,\"IP\",\"iot.1nce.net\"", sends[0]);
        Assert.Equal("ATD*99#", sends[1]);

        // The value's dash and backslash are escaped: they stay characters, not a sub-expect or an escape.
        Assert.Equal("AT+CPIN=\\q12\\-4\\\\\\q", sends[2]);
        var bytes = ChatEscapes.CompileReply(sends[2], options).Parts.OfType<SendPart.Write>().SelectMany(w => w.Bytes).ToArray();
        Assert.Equal("AT+CPIN=12-4\\\r"u8.ToArray(), bytes);
        var expect = script.Steps.OfType<ChatStep.Expect>().Last();
        var alternative = Assert.Single(expect.Alternatives);
        Assert.Equal("12\\-4\\\\", alternative.Expect);
        Assert.Equal("\\$5", alternative.SubSend);
        Assert.Equal("$ 1$", sends[3]);
    }

    [Fact]
    public void Parse_WithoutEnvironmentFlag_KeepsDollarsAsWritten()
    {
        var script = ChatScript.Parse("'' ATD$N", ChatOptions.Default with { Environment = new Dictionary<string, string> { ["N"] = "1" } });

        Assert.Equal("ATD$N", script.Steps.OfType<ChatStep.Send>().Single().Text);
    }

    [Fact]
    public void Parse_UnsetVariable_NamesTheLine()
    {
        var options = ChatOptions.FromFlags(["-E"]);

        var error = Assert.Throws<ChatParseException>(() => ChatScript.Parse("'' AT\nOK AT+CPIN=$PIN", options));

        Assert.Equal(2, error.Line);
        Assert.Contains("$PIN is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChatCommandLine_PppdConnectLine_GivesOptionsAndScript()
    {
        var line = ChatCommandLine.Parse(["/usr/sbin/chat", "-vs", "-E", "-T", "5551234", "-U*99#", "-t30", "-r", "/var/log/chat.report", "ABORT", "BUSY", "", "ATD\\T", "CONNECT"]);

        Assert.True(line.Options.Verbose);
        Assert.True(line.Options.LogToStandardError);
        Assert.True(line.Options.SubstituteEnvironment);
        Assert.Equal("5551234", line.Options.PhoneNumber);
        Assert.Equal("*99#", line.Options.PhoneNumber2);
        Assert.Equal(TimeSpan.FromSeconds(30), line.Options.Timeout);
        Assert.Equal("/var/log/chat.report", line.Options.ReportFile);
        Assert.Null(line.ScriptFile);
        Assert.Equal(["ABORT", "BUSY", "", "ATD\\T", "CONNECT"], line.ScriptArguments);

        var script = ChatScript.FromCommandLine(line);
        var send = ChatEscapes.CompileReply(script.Steps.OfType<ChatStep.Send>().Single().Text, script.Options);
        Assert.Equal("ATD5551234^M", send.Display);
    }

    [Fact]
    public void ChatCommandLine_ScriptFile_IsNamedNotRead()
    {
        var line = ChatCommandLine.Parse(["chat", "-v", "-f", "/etc/chatscripts/bc66"]);

        Assert.Equal("/etc/chatscripts/bc66", line.ScriptFile);
        Assert.Empty(line.ScriptArguments);
        Assert.Throws<ChatParseException>(() => ChatScript.FromCommandLine(line));
    }

    [Theory]
    [InlineData("-x")]
    [InlineData("-t")]
    [InlineData("-t", "soon")]
    [InlineData("-v", "OK")]
    public void ChatOptions_FromBadFlags_Throws(params string[] flags)
    {
        Assert.Throws<ChatParseException>(() => ChatOptions.FromFlags(flags));
    }

    [Fact]
    public void ChatOptions_ZeroTimeout_FallsBackTo45SecondsAsChatDoes()
    {
        Assert.Equal(TimeSpan.FromSeconds(45), ChatOptions.FromFlags(["-t", "0"]).Timeout);
        Assert.Equal(TimeSpan.FromSeconds(45), ChatScript.Parse("TIMEOUT 0").Steps.OfType<ChatStep.Timeout>().Single().Value);
    }

    [Fact]
    public void Parse_RandomText_EitherParsesOrThrowsChatParseException()
    {
        var alphabet = Gen.OneOf(Gen.Char["'\"\\^$-# \t\r\nATOK{}"], Gen.Char);
        Gen.Select(alphabet.Array[0, 200].Select(c => new string(c)), Gen.Bool).Sample((text, environment) =>
        {
            var options = environment ? ChatOptions.FromFlags(["-E", "-T", "1"], new Dictionary<string, string> { ["A"] = "-\\^" }) : ChatOptions.Default;
            try
            {
                var script = ChatScript.Parse(text, options);
                Assert.NotNull(new ChatInterpreter(script).Start(TimeSpan.Zero).Actions);
            }
            catch (ChatParseException e)
            {
                Assert.False(string.IsNullOrEmpty(e.Reason));
            }
        }, iter: 2000);
    }
}
