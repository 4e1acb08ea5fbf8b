using System.Text;
using LinkActors.Ppp.Chat;

namespace LinkActors.Ppp.Tests.Chat;

/// <summary>The interpreter's behaviour, one chat feature at a time; time moves only by Tick.</summary>
public class ChatInterpreterTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Run_NoAnswer_TimesOutExactlyAtTheDeadline()
    {
        var driver = ChatDriver.ForWords("TIMEOUT", "5", "", "AT", "OK", "ATZ");
        driver.Start();
        driver.Ack();
        Assert.Equal(5 * Second, driver.Interpreter.NextWakeUp);

        driver.Tick(TimeSpan.FromMilliseconds(4999));
        Assert.Null(driver.Interpreter.Outcome);

        driver.Tick(5 * Second);
        var outcome = driver.Interpreter.Outcome;
        Assert.NotNull(outcome);
        Assert.Equal(ChatOutcomeKind.Timeout, outcome.Kind);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal("OK", outcome.Expected);
        Assert.Null(driver.Interpreter.NextWakeUp);
        Assert.Equal(["AT\r"], driver.Commands);
    }

    [Fact]
    public void Run_NoTimeoutDirective_UsesFlagTimeoutElse45Seconds()
    {
        var byDefault = ChatDriver.ForWords("OK", "AT");
        byDefault.Start();
        Assert.Equal(45 * Second, byDefault.Interpreter.NextWakeUp);

        var byFlag = new ChatDriver(ChatScript.FromArguments(["OK", "AT"], ChatOptions.FromFlags(["-t", "7"])));
        byFlag.Start();
        Assert.Equal(7 * Second, byFlag.Interpreter.NextWakeUp);
    }

    [Fact]
    public void Run_TimeoutDirective_AppliesToTheExpectsThatFollow()
    {
        var driver = ChatDriver.ForWords("", "AT", "OK", "AT", "TIMEOUT", "10", "OK", "AT");
        driver.Start();
        driver.Ack();
        Assert.Equal(45 * Second, driver.Interpreter.NextWakeUp);

        driver.Now = 2 * Second;
        driver.Deliver("OK\r\n");
        driver.Ack();
        Assert.Equal(12 * Second, driver.Interpreter.NextWakeUp);
    }

    [Fact]
    public void Run_ReceivedAfterDeadline_TimeoutComesFirst()
    {
        var driver = ChatDriver.ForWords("TIMEOUT", "3", "OK", "AT");
        driver.Start();

        // The timer fired late: the bytes came after the deadline, so chat would have given up already.
        driver.Now = 4 * Second;
        driver.Deliver("OK");

        Assert.Equal(ChatOutcomeKind.Timeout, driver.Interpreter.Outcome?.Kind);
    }

    [Fact]
    public void Run_SubExpect_SendsSubSendOnTimeoutThenExpectsAgain()
    {
        var driver = ChatDriver.ForWords("TIMEOUT", "3", "ogin:-BREAK-ogin:", "ppp");
        driver.Start();
        Assert.Equal(3 * Second, driver.Interpreter.NextWakeUp);

        driver.Tick(3 * Second);
        Assert.IsType<ChatAction.SendBreak>(driver.Actions[^1]);
        driver.Ack();
        Assert.Equal(6 * Second, driver.Interpreter.NextWakeUp);

        driver.Deliver("\r\nlogin:");
        driver.Ack();
        Assert.Equal(ChatOutcomeKind.Success, driver.Interpreter.Outcome?.Kind);
        Assert.Equal(["ppp\r"], driver.Commands);
    }

    [Fact]
    public void Run_SubExpectsExhausted_TimesOutOnTheLast()
    {
        var driver = ChatDriver.ForWords("TIMEOUT", "2", "OK-AT-OK-AT-OK", "ATZ");

        var outcome = driver.Run();

        Assert.Equal(ChatOutcomeKind.Timeout, outcome?.Kind);
        Assert.Equal(["AT\r", "AT\r"], driver.Commands);
        Assert.Equal(6 * Second, driver.Now);
    }

    [Fact]
    public void Run_SubSendWithoutFollowingExpect_GoesOnAfterSending()
    {
        // "OK-AT": when OK does not come, send AT and go on as if it had (chat's reading of a-b).
        var driver = ChatDriver.ForWords("TIMEOUT", "1", "OK-AT", "ATZ");

        var outcome = driver.Run();

        Assert.Equal(ChatOutcomeKind.Success, outcome?.Kind);
        Assert.Equal(["AT\r", "ATZ\r"], driver.Commands);
    }

    [Fact]
    public void Run_EmptyExpect_SucceedsAtOnce()
    {
        var driver = ChatDriver.ForWords("", "AT");
        driver.Start();

        Assert.Equal(["AT\r"], driver.Commands);
    }

    [Fact]
    public void Run_ExpectSplitAcrossChunks_Matches()
    {
        var driver = ChatDriver.ForWords("CONNECT", "");
        driver.Start();
        foreach (var part in new[] { "\r\nCON", "N", "ECT" })
        {
            driver.Deliver(part);
        }

        Assert.Equal(["\r"], driver.Commands);
    }

    [Fact]
    public void Run_InputBeforeStartOrDuringSend_IsKeptForTheNextExpect()
    {
        var driver = ChatDriver.ForWords("RDY", "AT", "OK", "ATI");
        driver.Deliver("\r\nRDY\r\n");
        driver.Start();
        Assert.Equal(["AT\r"], driver.Commands);

        // The answer arrives before the write is acknowledged: chat reads it once it expects OK.
        driver.Deliver("\r\nOK\r\n");
        driver.Ack();

        Assert.Equal(["AT\r", "ATI\r"], driver.Commands);
    }

    [Fact]
    public void Run_MatchedBytes_AreNotSeenByTheNextExpect()
    {
        // Each expect reads only what comes after the previous match, as chat's get_string does.
        var driver = ChatDriver.ForWords("TIMEOUT", "5", "OK", "AT", "OK", "ATZ");
        driver.Start();
        driver.Deliver("OK");
        driver.Ack();

        var outcome = driver.Run();

        Assert.Equal(ChatOutcomeKind.Timeout, outcome?.Kind);
        Assert.Equal(["AT\r"], driver.Commands);
    }

    [Fact]
    public void Run_AbortAndExpectEndTogether_ExpectWins()
    {
        var driver = ChatDriver.ForWords("ABORT", "ERROR", "ERROR", "");
        driver.Start();
        driver.Deliver("ERROR");
        driver.Ack();

        Assert.Equal(ChatOutcomeKind.Success, driver.Interpreter.Outcome?.Kind);
    }

    [Fact]
    public void Run_ClearAbort_ForgetsTheStringAndMovesLaterOnesUp()
    {
        var driver = ChatDriver.ForWords(
            "ABORT", "BUSY", "ABORT", "NO CARRIER", "ABORT", "ERROR", "CLR_ABORT", "BUSY", "", "ATD123", "CONNECT");
        driver.Start();
        driver.Ack();

        driver.Deliver("\r\nBUSY\r\n");
        Assert.Null(driver.Interpreter.Outcome);
        driver.Deliver("\r\nERROR\r\n");

        var outcome = driver.Interpreter.Outcome;
        Assert.NotNull(outcome);
        Assert.Equal(ChatOutcomeKind.Abort, outcome.Kind);
        Assert.Equal("ERROR", outcome.AbortString);
        Assert.Equal(1, outcome.AbortIndex);
        Assert.Equal(5, outcome.ExitCode);
        Assert.Contains("clear abort on (BUSY)", driver.Interpreter.TranscriptText, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ReportString_ReportsItWithTheRestOfItsLine()
    {
        var driver = ChatDriver.ForWords("REPORT", "CONNECT", "", "ATD*99#", "CONNECT", "");
        driver.Start();
        driver.Ack();
        driver.Deliver("\r\nCONNECT 115200\r\n");
        driver.Run();

        Assert.Equal(ChatOutcomeKind.Success, driver.Interpreter.Outcome?.Kind);
        Assert.Equal(["CONNECT 115200"], driver.Interpreter.Reports);
        Assert.Equal("CONNECT 115200", Assert.Single(driver.ActionsOf<ChatAction.Report>()).Line);

        // The report ends at the CR, which it reads; the LF is left to the next reader, as in chat.
        Assert.Equal("\n"u8.ToArray(), driver.Interpreter.TakeUnreadInput());
    }

    [Fact]
    public void Run_ReportLineStillArrivingAtTheEnd_WaitsOneSecondForIt()
    {
        var driver = ChatDriver.ForWords("REPORT", "CONNECT", "", "ATD*99#", "CONNECT");
        driver.Start();
        driver.Ack();
        driver.Deliver("\r\nCONNECT 96");
        Assert.Null(driver.Interpreter.Outcome);
        Assert.Equal(Second, driver.Interpreter.NextWakeUp);

        driver.Deliver("00");
        driver.Tick(Second);

        Assert.Equal(["CONNECT 9600"], driver.Interpreter.Reports);
        Assert.Equal(ChatOutcomeKind.Success, driver.Interpreter.Outcome?.Kind);
    }

    [Fact]
    public void Run_ReportAtConnectFollowedByPpp_LeavesTheFrameUnread()
    {
        var driver = ChatDriver.ForWords("REPORT", "CONNECT", "", "ATD*99#", "CONNECT");
        driver.Start();
        driver.Ack();
        byte[] frameStart = [0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21];
        driver.Interpreter.Received([.. "\r\nCONNECT"u8, .. frameStart], driver.Now);

        Assert.Equal(["CONNECT"], driver.Interpreter.Reports);
        Assert.Equal(ChatOutcomeKind.Success, driver.Interpreter.Outcome?.Kind);
        Assert.Equal(frameStart, driver.Interpreter.TakeUnreadInput());
    }

    [Fact]
    public void Run_ReportString_ReportsOnlyOnceUnlessGivenAgain()
    {
        var driver = ChatDriver.ForWords("REPORT", "+CSQ:", "", "AT+CSQ", "OK", "AT+CSQ", "OK", "");
        driver.Start();
        driver.Ack();
        driver.Deliver("\r\n+CSQ: 8,0\r\n\r\nOK\r\n");
        driver.Ack();
        driver.Deliver("\r\n+CSQ: 9,0\r\n\r\nOK\r\n");
        driver.Run();

        Assert.Equal(["+CSQ: 8,0"], driver.Interpreter.Reports);
    }

    [Fact]
    public void Run_ClearReport_StopsReporting()
    {
        var driver = ChatDriver.ForWords("REPORT", "+CSQ:", "CLR_REPORT", "+CSQ:", "", "AT+CSQ", "OK", "");
        driver.Start();
        driver.Ack();
        driver.Deliver("\r\n+CSQ: 8,0\r\n\r\nOK\r\n");
        driver.Run();

        Assert.Empty(driver.Interpreter.Reports);
        Assert.Equal(ChatOutcomeKind.Success, driver.Interpreter.Outcome?.Kind);
    }

    [Fact]
    public void Run_QuietEscape_HidesTheSecretAndItsEchoEverywhere()
    {
        var driver = ChatDriver.ForFile("ECHO ON\n'' 'AT+CPIN=\\q4711\\q'\nOK ''");
        driver.Start();
        var send = Assert.IsType<ChatAction.Send>(driver.Actions[^1]);
        Assert.Equal("AT+CPIN=4711\r"u8.ToArray(), send.Bytes);
        Assert.Equal("AT+CPIN=??????^M", send.Display);
        Assert.DoesNotContain("4711", send.ToString(), StringComparison.Ordinal);
        driver.Ack();

        // The modem echoes the command, PIN and all.
        driver.Deliver("AT+CPIN=4711\r\r\nOK\r\n");
        driver.Run();

        var interpreter = driver.Interpreter;
        Assert.Equal(ChatOutcomeKind.Success, interpreter.Outcome?.Kind);
        Assert.Contains("send (AT+CPIN=??????^M)", interpreter.TranscriptText, StringComparison.Ordinal);
        Assert.Contains("AT+CPIN=??????^M^M", interpreter.TranscriptText, StringComparison.Ordinal);
        Assert.DoesNotContain("4711", interpreter.TranscriptText, StringComparison.Ordinal);
        Assert.DoesNotContain("4711", interpreter.ModemText, StringComparison.Ordinal);
        Assert.DoesNotContain(interpreter.Exchanges, e => e.Response.Contains("4711", StringComparison.Ordinal));
        Assert.DoesNotContain(driver.ActionsOf<ChatAction.Echo>(), e => e.Text.Contains("4711", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_QuietToEndOfString_HidesAllAfterIt()
    {
        var driver = ChatDriver.ForWords("", "\\qsecret");
        driver.Start();

        var send = Assert.IsType<ChatAction.Send>(driver.Actions[^1]);
        Assert.Equal("secret\r"u8.ToArray(), send.Bytes);
        Assert.Equal("??????^M", send.Display);
        Assert.Contains("send (??????^M)", driver.Interpreter.TranscriptText, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EchoOn_EchoesWhatTheModemSaysUntilEchoOff()
    {
        var driver = ChatDriver.ForWords("ECHO", "ON", "", "AT", "OK", "ATI", "ECHO", "OFF", "OK", "");
        driver.Start();
        driver.Ack();
        driver.Deliver("AT\r\r\nOK");
        driver.Ack();
        driver.Deliver("\r\nQuectel_BC66\r\nOK\r\n");
        driver.Run();

        var echoed = string.Concat(driver.ActionsOf<ChatAction.Echo>().Select(e => e.Text));
        Assert.Equal("AT\nOK", echoed);
    }

    [Fact]
    public void Run_EchoFlag_StartsWithEchoOn()
    {
        var script = ChatScript.FromArguments(["OK", ""], ChatOptions.FromFlags(["-e"]));
        var driver = new ChatDriver(script);
        driver.Start();
        driver.Deliver("\r\nOK");

        Assert.Equal("\nOK", string.Concat(driver.ActionsOf<ChatAction.Echo>().Select(e => e.Text)));
    }

    [Fact]
    public void Run_Say_EmitsTheTextWithEscapesApplied()
    {
        var driver = ChatDriver.ForFile("SAY 'Dialling...\\n'\n'' ATD");
        driver.Start();

        Assert.Equal("Dialling...\n", Assert.IsType<ChatAction.Say>(driver.Actions[0]).Text);
        Assert.IsType<ChatAction.Send>(driver.Actions[1]);
    }

    [Fact]
    public void Run_HangupOn_EndsTheScriptWithError()
    {
        var driver = ChatDriver.ForWords("OK", "");
        driver.Start();
        var output = driver.Interpreter.Hangup(Second);

        var finished = Assert.IsType<ChatAction.Finished>(Assert.Single(output.Actions));
        Assert.Equal(ChatOutcomeKind.Error, finished.Outcome.Kind);
        Assert.Equal(2, finished.Outcome.ExitCode);
    }

    [Fact]
    public void Run_HangupOff_IgnoresTheHangupUntilHangupOn()
    {
        var driver = ChatDriver.ForWords("HANGUP", "OFF", "", "ATD123", "RING", "ATA", "HANGUP", "ON", "CONNECT", "");
        driver.Start();
        Assert.False(Assert.IsType<ChatAction.SetHangup>(driver.Actions[0]).HangupIsError);
        driver.Ack();

        Assert.Empty(driver.Interpreter.Hangup(Second).Actions);
        driver.Deliver("\r\nRING\r\n");
        driver.Ack();
        Assert.True(driver.Interpreter.HangupIsError);

        var output = driver.Interpreter.Hangup(2 * Second);
        Assert.Equal(ChatOutcomeKind.Error, Assert.IsType<ChatAction.Finished>(output.Actions[^1]).Outcome.Kind);
    }

    [Fact]
    public void Run_EotAndBreak_SendControlDAndABreakWithoutReturn()
    {
        var driver = ChatDriver.ForWords("", "EOT", "", "BREAK");

        driver.Run();

        Assert.Equal(ChatOutcomeKind.Success, driver.Interpreter.Outcome?.Kind);
        var sends = driver.Actions.Where(a => a is ChatAction.Send or ChatAction.SendBreak).ToList();
        Assert.Equal(2, sends.Count);
        Assert.Equal(new byte[] { 0x04 }, Assert.IsType<ChatAction.Send>(sends[0]).Bytes);
        Assert.IsType<ChatAction.SendBreak>(sends[1]);
    }

    [Fact]
    public void Run_DelayAndPauseEscapes_WaitBeforeWritingOn()
    {
        var driver = ChatDriver.ForWords("", "+++\\dATH\\p0");
        driver.Start();
        Assert.Equal("+++", Encoding.Latin1.GetString(Assert.IsType<ChatAction.Send>(driver.Actions[^1]).Bytes));
        driver.Ack();
        var wait = Assert.IsType<ChatAction.Wait>(driver.Actions[^1]);
        Assert.Equal(Second, wait.Duration);
        Assert.Equal(Second, driver.Interpreter.NextWakeUp);

        driver.Tick(TimeSpan.FromMilliseconds(999));
        Assert.IsType<ChatAction.Wait>(driver.Actions[^1]);

        driver.Tick(Second);
        Assert.Equal("ATH", Encoding.Latin1.GetString(Assert.IsType<ChatAction.Send>(driver.Actions[^1]).Bytes));
        driver.Ack();
        Assert.Equal(TimeSpan.FromMilliseconds(1100), driver.Interpreter.NextWakeUp);

        driver.Tick(TimeSpan.FromMilliseconds(1100));
        Assert.Equal("0\r", Encoding.Latin1.GetString(Assert.IsType<ChatAction.Send>(driver.Actions[^1]).Bytes));
        driver.Ack();
        Assert.Equal(ChatOutcomeKind.Success, driver.Interpreter.Outcome?.Kind);
        Assert.Contains("send (+++\\dATH\\p0^M)", driver.Interpreter.TranscriptText, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_CharacterPacing_WritesEachCharacterAfterAPause()
    {
        var options = ChatOptions.Default with { CharacterPacing = ChatOptions.ChatCharacterPacing };
        var driver = new ChatDriver(ChatScript.FromArguments(["", "AT"], options));

        driver.Run();

        var sends = driver.ActionsOf<ChatAction.Send>().ToList();
        Assert.Equal(["A", "T", "\r"], sends.Select(s => Encoding.Latin1.GetString(s.Bytes)));
        Assert.Equal(3, driver.ActionsOf<ChatAction.Wait>().Count());
        Assert.Equal(TimeSpan.FromMilliseconds(30), driver.Now);
    }

    [Fact]
    public void Run_WriteNeverCompletes_EndsWithIoErrorAfterTheTimeout()
    {
        var driver = ChatDriver.ForWords("TIMEOUT", "4", "", "AT");
        driver.Start();
        Assert.Equal(4 * Second, driver.Interpreter.NextWakeUp);

        driver.Tick(4 * Second);

        var outcome = driver.Interpreter.Outcome;
        Assert.Equal(ChatOutcomeKind.IoError, outcome?.Kind);
        Assert.Equal(2, outcome?.ExitCode);

        // A completion that comes after the end is ignored.
        Assert.Empty(driver.Interpreter.WriteCompleted(5 * Second).Actions);
    }

    [Fact]
    public void Fail_WhileExpecting_EndsWithIoErrorAndTheReason()
    {
        var driver = ChatDriver.ForWords("OK", "");
        driver.Start();

        var output = driver.Interpreter.Fail("device vanished", Second);

        var outcome = Assert.IsType<ChatAction.Finished>(Assert.Single(output.Actions)).Outcome;
        Assert.Equal(ChatOutcomeKind.IoError, outcome.Kind);
        Assert.Equal("device vanished", outcome.Reason);
        Assert.Null(output.NextWakeUp);
        Assert.Empty(driver.Interpreter.Received("OK"u8, 2 * Second).Actions);
        Assert.Empty(driver.Interpreter.Tick(100 * Second).Actions);
    }

    [Fact]
    public void WriteCompleted_WithNoWriteInFlight_Throws()
    {
        var interpreter = new ChatInterpreter(ChatScript.FromArguments(["OK", ""]));
        interpreter.Start(TimeSpan.Zero);

        Assert.Throws<InvalidOperationException>(() => interpreter.WriteCompleted(TimeSpan.Zero));
        Assert.Throws<InvalidOperationException>(() => interpreter.Start(TimeSpan.Zero));
    }

    [Fact]
    public void Run_EmptyScript_SucceedsAtStart()
    {
        var interpreter = new ChatInterpreter(ChatScript.Parse("# nothing to do\n"));

        var output = interpreter.Start(TimeSpan.Zero);

        Assert.True(Assert.IsType<ChatAction.Finished>(Assert.Single(output.Actions)).Outcome.IsSuccess);
    }

    [Fact]
    public void Run_TimeGoingBackwards_IsTakenAsNoTimePassing()
    {
        var driver = ChatDriver.ForWords("TIMEOUT", "5", "OK", "");
        driver.Now = 10 * Second;
        driver.Start();

        driver.Tick(Second);

        Assert.Null(driver.Interpreter.Outcome);
        Assert.Equal(15 * Second, driver.Interpreter.NextWakeUp);
    }

    [Fact]
    public void Outcome_InvalidScript_HasExitCodeOne()
    {
        var error = Assert.Throws<ChatParseException>(() => ChatScript.Parse("ABORT"));

        var outcome = ChatOutcome.InvalidScript(error);

        Assert.Equal(ChatOutcomeKind.InvalidScript, outcome.Kind);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("line 1", outcome.Reason, StringComparison.Ordinal);
    }
}
