using System.Text;
using CsCheck;
using LinkActors.Ppp.Chat;
using LinkActors.Tests.Shared;

namespace LinkActors.Ppp.Tests.Chat;

/// <summary>The BC66 setup's scripts replayed against the modem's real answers.</summary>
public class Bc66ScriptTests
{
    private const string Bc66Description =
        "signal -97 dBm (CSQ 8), registered roaming on 26201 (NB-IoT), SIM ready, Quectel BC66 rev BC66NBR01A10";

    [Fact]
    public void Run_Bc66Transcript_FedByteByByte_ConnectsAndReportsModemInfo()
    {
        var driver = Bc66Driver(chunkSize: () => 1);

        var outcome = driver.Run();

        Assert.NotNull(outcome);
        Assert.Equal(ChatOutcomeKind.Success, outcome.Kind);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(Bc66Session.ConnectCommands, driver.Commands);
        Assert.Equal(string.Concat(Bc66Session.ConnectCommands), Encoding.Latin1.GetString([.. driver.Written]));
        AssertBc66Info(ModemInfo.Parse(driver.Interpreter.Exchanges));
        AssertBc66Info(ModemInfo.Parse(driver.Interpreter.ModemText));
    }

    [Fact]
    public void Run_Bc66Transcript_WholeAnswers_LeavesWhatFollowsConnectUnread()
    {
        var driver = Bc66Driver(chunkSize: () => int.MaxValue);

        var outcome = driver.Run();

        Assert.Equal(ChatOutcomeKind.Success, outcome?.Kind);
        Assert.Equal(Bc66Session.ConnectCommands, driver.Commands);

        // chat stops reading at CONNECT: the CR LF after it is left for whoever reads next (PPP).
        Assert.Equal("\r\n"u8.ToArray(), driver.Interpreter.TakeUnreadInput());
        Assert.Empty(driver.Interpreter.TakeUnreadInput());
    }

    [Fact]
    public void Run_Bc66Transcript_RandomChunkings_SameCommandsAndModemInfo()
    {
        Gen.Select(Gen.Int[1, 48].Array[1, 64], Gen.Int[0, 2000]).Sample((sizes, millisecondsPerChunk) =>
        {
            var next = 0;
            var driver = Bc66Driver(chunkSize: () => sizes[next++ % sizes.Length]);
            driver.TimePerChunk = TimeSpan.FromMilliseconds(millisecondsPerChunk);

            var outcome = driver.Run();

            Assert.Equal(ChatOutcomeKind.Success, outcome?.Kind);
            Assert.Equal(Bc66Session.ConnectCommands, driver.Commands);
            Assert.Equal(Bc66Description, ModemInfo.Parse(driver.Interpreter.Exchanges).Describe());
            Assert.Equal(Bc66Session.LoggedLines(), ReceivedLines(driver.Interpreter));
        }, iter: 300);
    }

    [Fact]
    public void Run_Bc66Transcript_ReceivedLinesMatchChatsOwnLog()
    {
        var driver = Bc66Driver(chunkSize: () => 7);

        driver.Run();

        // The fixture is what chat -v logged; reading as chat reads, the transcript says the same.
        Assert.Equal(Bc66Session.LoggedLines(), ReceivedLines(driver.Interpreter));
        Assert.Contains("send (AT+CGDCONT=1,\"IP\",\"iot.1nce.net\",,0,0^M)", driver.Interpreter.TranscriptText, StringComparison.Ordinal);
        Assert.Contains("abort on (NO CARRIER)", driver.Interpreter.TranscriptText, StringComparison.Ordinal);
        Assert.Contains("timeout set to 120 seconds", driver.Interpreter.TranscriptText, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Bc66ModemSilent_TimesOutAfter120Seconds()
    {
        var driver = ChatDriver.ForFile(Bc66Session.ConnectScript);

        var outcome = driver.Run();

        Assert.Equal(ChatOutcomeKind.Timeout, outcome?.Kind);
        Assert.Equal(3, outcome?.ExitCode);
        Assert.Equal("OK", outcome?.Expected);
        Assert.Equal(TimeSpan.FromSeconds(120), driver.Now);
        Assert.Equal(["AT\r"], driver.Commands);
    }

    [Theory]
    [InlineData("BUSY", 0)]
    [InlineData("NO CARRIER", 1)]
    [InlineData("NO DIALTONE", 2)]
    [InlineData("ERROR", 3)]
    [InlineData("NO ANSWER", 4)]
    public void Run_Bc66DialAnsweredWithAbortString_AbortsWithThatStringAndIndex(string abortString, int index)
    {
        var answers = Bc66Session.Answers().ToDictionary(a => a.Command, a => a.Answer);
        answers["ATDT*99#\r"] = $"ATDT*99#\r\r\n{abortString}\r\n";
        var driver = ChatDriver.ForFile(Bc66Session.ConnectScript, modem: c => answers.GetValueOrDefault(c), chunkSize: () => 1);

        var outcome = driver.Run();

        Assert.NotNull(outcome);
        Assert.Equal(ChatOutcomeKind.Abort, outcome.Kind);
        Assert.Equal(abortString, outcome.AbortString);
        Assert.Equal(index, outcome.AbortIndex);
        Assert.Equal(4 + index, outcome.ExitCode);
        Assert.Equal("CONNECT", outcome.Expected);
        Assert.Contains($" -- failed ({abortString})", driver.Interpreter.TranscriptText, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Bc66ContextRefused_AbortsOnErrorWhileExpectingOk()
    {
        var answers = Bc66Session.Answers().ToDictionary(a => a.Command, a => a.Answer);
        answers["AT+CGDCONT=1,\"IP\",\"iot.1nce.net\",,0,0\r"] = "AT+CGDCONT=1,\"IP\",\"iot.1nce.net\",,0,0\r\r\nERROR\r\n";
        var driver = ChatDriver.ForFile(Bc66Session.ConnectScript, modem: c => answers.GetValueOrDefault(c));

        var outcome = driver.Run();

        Assert.Equal(ChatOutcomeKind.Abort, outcome?.Kind);
        Assert.Equal("ERROR", outcome?.AbortString);
        Assert.Equal(7, outcome?.ExitCode);
        Assert.Equal("OK", outcome?.Expected);
        Assert.DoesNotContain("ATDT*99#\r", driver.Commands);
    }

    [Fact]
    public void Run_Bc66DisconnectScript_SaysThenSendsBreakAndHangupAndSaysGoodbye()
    {
        var driver = ChatDriver.ForFile(Bc66Session.DisconnectScript, modem: c => c == "+++ATH\r" ? "\r\nOK\r\n" : null);

        var outcome = driver.Run();

        Assert.Equal(ChatOutcomeKind.Success, outcome?.Kind);
        var actions = driver.Actions.Where(a => a is not ChatAction.Wait).ToList();
        Assert.Collection(
            actions,
            a => Assert.Equal("\nSending break to the modem\n", Assert.IsType<ChatAction.Say>(a).Text),
            a => Assert.IsType<ChatAction.SendBreak>(a),
            a => Assert.Equal("\r"u8.ToArray(), Assert.IsType<ChatAction.Send>(a).Bytes),
            a => Assert.Equal("+++ATH\r"u8.ToArray(), Assert.IsType<ChatAction.Send>(a).Bytes),
            a => Assert.Equal("\nGoodbye from modem\n", Assert.IsType<ChatAction.Say>(a).Text),
            a => Assert.True(Assert.IsType<ChatAction.Finished>(a).Outcome.IsSuccess));

        // The script ends with the last send: the modem's OK after ATH is never read, so ABORT OK cannot fire.
        Assert.DoesNotContain(driver.Interpreter.Transcript, e => e.Kind == ChatTranscriptKind.Received);
    }

    private static ChatDriver Bc66Driver(Func<int> chunkSize)
    {
        var answers = new Queue<(string Command, string Answer)>(Bc66Session.Answers());
        return ChatDriver.ForFile(
            Bc66Session.ConnectScript,
            modem: command =>
            {
                var (expected, answer) = answers.Dequeue();
                Assert.Equal(expected, command);
                return answer;
            },
            chunkSize: chunkSize);
    }

    private static List<string> ReceivedLines(ChatInterpreter interpreter) =>
        interpreter.Transcript.Where(e => e.Kind == ChatTranscriptKind.Received).Select(e => e.Text).ToList();

    private static void AssertBc66Info(ModemInfo info)
    {
        Assert.Equal(8, info.Rssi);
        Assert.Equal(0, info.BitErrorRate);
        Assert.Equal(-97, info.SignalDbm);
        Assert.NotNull(info.GprsRegistration);
        Assert.Equal(0, info.GprsRegistration.Mode);
        Assert.Equal(RegistrationStatus.RegisteredRoaming, info.GprsRegistration.Status);
        Assert.True(info.GprsRegistration.IsRegistered);
        Assert.Equal(new OperatorSelection(0, 2, "26201", AccessTechnology.NbIot), info.Operator);
        Assert.Equal("READY", info.SimStatus);
        Assert.Equal("Quectel_Ltd", info.Manufacturer);
        Assert.Equal("Quectel_BC66", info.Model);
        Assert.Equal("BC66NBR01A10", info.Revision);
        Assert.Equal(Bc66Description, info.Describe());
    }
}
