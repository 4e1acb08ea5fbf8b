using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using LinkActors.Actors.Chat;
using LinkActors.Actors.Configuration;
using LinkActors.Tests.Shared;
using LinkActors.Actors.Tests.Support;
using LinkActors.Ppp.Chat;
using static LinkActors.Actors.Chat.ChatProtocol;
using Port = LinkActors.Actors.Serial.SerialPort;

namespace LinkActors.Actors.Tests.Chat;

/// <summary>The chat actor against a probe that plays the port, with the BC66's real answers.</summary>
public class ChatActorTests : ManualTimeTestKit
{
    private const string Bc66Description =
        "signal -97 dBm (CSQ 8), registered roaming on 26201 (NB-IoT), SIM ready, Quectel BC66 rev BC66NBR01A10";

    // The first bytes of PPP after CONNECT: a flag and the start of an LCP frame.
    private static readonly byte[] PppStart = [0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21];

    private readonly TestProbe _port;
    private readonly TestProbe _parent;

    public ChatActorTests()
    {
        _port = CreateTestProbe("port");
        _parent = CreateTestProbe("parent");
    }

    [Fact]
    public void Connect_Bc66Answers_CompletesWithModemInfoAndLeavesPppBytesUnread()
    {
        var chat = StartChat(ChatScript.Parse(Bc66Session.ConnectScript));

        PlayBc66(chat, answers => answers[^1] = (answers[^1].Command, answers[^1].Answer + Encoding.Latin1.GetString(PppStart)));

        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.Equal(ChatOutcomeKind.Success, completed.Outcome.Kind);
        Assert.Equal("connect", completed.Script);
        Assert.NotNull(completed.Modem);
        Assert.Equal(Bc66Description, completed.Modem.Describe());

        // chat stops reading at CONNECT: its CR LF and all that follows belong to the next reader.
        Assert.Equal([.. "\r\n"u8, .. PppStart], completed.Unread.ToArray());
        Assert.Contains("send (ATDT*99#^M)", completed.Transcript, StringComparison.Ordinal);
        Assert.Contains("abort on (NO CARRIER)", completed.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("7E", completed.ToString(), StringComparison.Ordinal);
        Watch(chat);
        ExpectTerminated(chat);
    }

    [Fact]
    public void Connect_FromChatFile_ReadsTheFileAndConnects()
    {
        var path = Path.Combine(Path.GetTempPath(), $"linkactors-chat-{Guid.NewGuid():N}.chat");
        File.WriteAllText(path, Bc66Session.ConnectScript);
        try
        {
            var settings = new ChatSettings(path, [], TimeSpan.FromSeconds(45), Environment: false, Phone: "", Phone2: "");
            var chat = Sys.ActorOf(ChatActor.Props(_port.Ref, settings, "connect", _parent.Ref));
            _port.ExpectMsg<Port.SetReader>(m => Assert.Equal(chat, m.Reader));

            PlayBc66(chat);

            var completed = _parent.ExpectMsg<ChatCompleted>();
            Assert.True(completed.Outcome.IsSuccess, completed.Outcome.ToString());
            Assert.Equal(Bc66Description, completed.Modem?.Describe());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Connect_ModemSilentAfterDial_TimesOutWhenTheSchedulerReaches120Seconds()
    {
        var chat = StartChat(ChatScript.Parse(Bc66Session.ConnectScript));
        var answers = Bc66Session.Answers();
        foreach (var (command, answer) in answers.Take(answers.Count - 1))
        {
            AnswerNext(chat, command, answer);
        }

        // The dial command is written and acknowledged; the modem never answers it.
        var dial = _port.ExpectMsg<Port.Write>();
        Assert.Equal("ATDT*99#\r", Encoding.Latin1.GetString(dial.Data.Span));
        _port.Reply(dial.Ack);
        Sync(chat);

        Advance(TimeSpan.FromSeconds(119));
        _parent.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Advance(TimeSpan.FromSeconds(1));
        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.Equal(ChatOutcomeKind.Timeout, completed.Outcome.Kind);
        Assert.Equal(3, completed.Outcome.ExitCode);
        Assert.Equal("CONNECT", completed.Outcome.Expected);
        Assert.Contains(" -- timed out", completed.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_NoCarrierAfterDial_AbortsWithChatsExitCode()
    {
        var chat = StartChat(ChatScript.Parse(Bc66Session.ConnectScript));
        PlayBc66(chat, answers => answers[^1] = (answers[^1].Command, "\r\nNO CARRIER\r\n"));

        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.Equal(ChatOutcomeKind.Abort, completed.Outcome.Kind);
        Assert.Equal("NO CARRIER", completed.Outcome.AbortString);

        // NO CARRIER is the second ABORT string: chat exits with 4 + 1.
        Assert.Equal(5, completed.Outcome.ExitCode);

        // What the modem said before the abort is still known.
        Assert.Equal(Bc66Description, completed.Modem?.Describe());
    }

    [Fact]
    public void Connect_DeviceVanishes_EndsWithIoError()
    {
        var chat = StartChat(ChatScript.Parse(Bc66Session.ConnectScript));
        var first = _port.ExpectMsg<Port.Write>();
        Assert.Equal("AT\r", Encoding.Latin1.GetString(first.Data.Span));

        chat.Tell(new Port.DeviceVanished("unplugged"), _port.Ref);

        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.Equal(ChatOutcomeKind.IoError, completed.Outcome.Kind);
        Assert.Contains("vanished", completed.Outcome.Reason, StringComparison.Ordinal);
        Assert.Null(completed.Modem);
    }

    [Fact]
    public void Connect_PortActorStops_EndsWithIoError()
    {
        // The port tells its owner, not its reader, that the device vanished; the reader sees it stop.
        var chat = StartChat(ChatScript.Parse(Bc66Session.ConnectScript));
        _port.ExpectMsg<Port.Write>();

        Sys.Stop(_port.Ref);

        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.Equal(ChatOutcomeKind.IoError, completed.Outcome.Kind);
        Assert.Contains("port actor stopped", completed.Outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Disconnect_Bc66Script_BreakIsSkippedAndHangupIsSent()
    {
        var chat = StartChat(ChatScript.Parse(Bc66Session.DisconnectScript));

        // '\K' cannot be sent through the port: the CR that follows it, then +++ATH, are.
        var written = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var write = _port.ExpectMsg<Port.Write>();
            written.Add(Encoding.Latin1.GetString(write.Data.Span));
            _port.Reply(write.Ack);
        }

        Assert.Equal(["\r", "+++ATH\r"], written);

        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.True(completed.Outcome.IsSuccess, completed.Outcome.ToString());
        Assert.Contains("Goodbye from modem", completed.Transcript, StringComparison.Ordinal);
        GC.KeepAlive(chat);
    }

    [Fact]
    public void Connect_PortClosed_EndsWithIoError()
    {
        var chat = StartChat(ChatScript.Parse(Bc66Session.ConnectScript));
        _port.ExpectMsg<Port.Write>();

        chat.Tell(Port.Closed.Instance, _port.Ref);

        Assert.Equal(ChatOutcomeKind.IoError, _parent.ExpectMsg<ChatCompleted>().Outcome.Kind);
    }

    [Fact]
    public void Connect_CarrierLost_EndsWithError()
    {
        var chat = StartChat(ChatScript.Parse(Bc66Session.ConnectScript));
        _port.ExpectMsg<Port.Write>();

        chat.Tell(new Port.CarrierChanged(false), _port.Ref);

        Assert.Equal(ChatOutcomeKind.Error, _parent.ExpectMsg<ChatCompleted>().Outcome.Kind);
    }

    [Fact]
    public void Start_MissingChatFile_CompletesAsInvalidScriptWithoutTouchingThePort()
    {
        var path = Path.Combine(Path.GetTempPath(), $"linkactors-missing-{Guid.NewGuid():N}.chat");
        var settings = new ChatSettings(path, [], TimeSpan.FromSeconds(45), Environment: false, Phone: "", Phone2: "");

        var chat = Sys.ActorOf(ChatActor.Props(_port.Ref, settings, "connect", _parent.Ref));
        Watch(chat);

        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.Equal(ChatOutcomeKind.InvalidScript, completed.Outcome.Kind);
        Assert.Equal(1, completed.Outcome.ExitCode);
        Assert.Contains(path, completed.Outcome.Reason, StringComparison.Ordinal);
        ExpectTerminated(chat);
        _port.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Start_ScriptWithUnsetVariable_CompletesAsInvalidScript()
    {
        var settings = new ChatSettings(null, ["", "AT+CPIN=$PIN"], TimeSpan.FromSeconds(45), Environment: true, Phone: "", Phone2: "");

        Sys.ActorOf(ChatActor.Props(_port.Ref, settings, "connect", _parent.Ref, new Dictionary<string, string>()));

        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.Equal(ChatOutcomeKind.InvalidScript, completed.Outcome.Kind);
        Assert.Contains("$PIN", completed.Outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SecretSend_NeverReachesTranscriptOrLog()
    {
        var debug = LogProbe<Debug>();
        var script = ChatScript.FromArguments(["", "AT+CPIN=\\q4711", "OK"]);
        var chat = StartChat(script);

        AnswerNext(chat, "AT+CPIN=4711\r", "AT+CPIN=4711\r\r\nOK\r\n");

        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.True(completed.Outcome.IsSuccess, completed.Outcome.ToString());
        Assert.DoesNotContain("4711", completed.Transcript, StringComparison.Ordinal);
        Assert.Contains("??????", completed.Transcript, StringComparison.Ordinal);
        var logged = debug.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m as Debug).Select(d => d!.ToString()!).ToList();
        Assert.Contains(logged, l => l.Contains("send (AT+CPIN=??????^M)", StringComparison.Ordinal));
        Assert.DoesNotContain(logged, l => l.Contains("4711", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_ReportString_TellsTheParentTheWholeLine()
    {
        var script = ChatScript.FromArguments(["REPORT", "CONNECT", "", "ATD*99#", "CONNECT"]);
        var chat = StartChat(script);

        AnswerNext(chat, "ATD*99#\r", "\r\nCONNECT 150000000\r\n~");

        var report = _parent.ExpectMsg<ModemReported>();
        Assert.Equal("CONNECT 150000000", report.Line);
        Assert.Equal("connect", report.Script);
        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.True(completed.Outcome.IsSuccess);
        Assert.Equal("\n~"u8.ToArray(), completed.Unread.ToArray());
    }

    [Fact]
    public void Run_Pause_WaitsForTheSchedulerBeforeTheNextWrite()
    {
        // \d pauses one second before the command (chat's \d).
        var chat = StartChat(ChatScript.FromArguments(["", "\\dAT", "OK"]));
        Sync(chat);
        _port.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        Advance(TimeSpan.FromSeconds(1));

        AnswerNext(chat, "AT\r", "\r\nOK\r\n");
        Assert.True(_parent.ExpectMsg<ChatCompleted>().Outcome.IsSuccess);
    }

    [Fact]
    public void Run_PortNeverAcksTheWrite_EndsWithIoErrorAfterTheTimeout()
    {
        var chat = StartChat(ChatScript.FromArguments(["TIMEOUT", "5", "", "AT", "OK"]));
        _port.ExpectMsg<Port.Write>();
        Sync(chat);

        Advance(TimeSpan.FromSeconds(5));

        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.Equal(ChatOutcomeKind.IoError, completed.Outcome.Kind);
    }

    [Fact]
    public void Cancel_WhileExpecting_CompletesWithErrorAndStops()
    {
        var chat = StartChat(ChatScript.Parse(Bc66Session.ConnectScript));
        Watch(chat);
        _port.ExpectMsg<Port.Write>();

        chat.Tell(new Cancel("link stopped by the operator"));

        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.Equal(ChatOutcomeKind.Error, completed.Outcome.Kind);
        Assert.Equal("link stopped by the operator", completed.Outcome.Reason);
        ExpectTerminated(chat);
    }

    [Fact]
    public void ReportTo_Omitted_ReportsToTheParent()
    {
        var childProps = ChatActor.Props(_port.Ref, ChatScript.FromArguments(["", "AT", "OK"]), "query");
        var forwardTo = _parent.Ref;
        var parent = Sys.ActorOf(Props.Create(() => new ForwardingParent(childProps, forwardTo)));
        _port.ExpectMsg<Port.SetReader>();
        var chat = _port.LastSender;
        var write = _port.ExpectMsg<Port.Write>();
        _port.Reply(write.Ack);
        chat.Tell(new Port.Received("\r\nOK\r\n"u8.ToArray()), _port.Ref);

        var completed = _parent.ExpectMsg<ChatCompleted>();
        Assert.Equal("query", completed.Script);
        Assert.True(completed.Outcome.IsSuccess);
        GC.KeepAlive(parent);
    }

    private IActorRef StartChat(ChatScript script)
    {
        var chat = Sys.ActorOf(ChatActor.Props(_port.Ref, script, "connect", _parent.Ref));
        _port.ExpectMsg<Port.SetReader>(m => Assert.Equal(chat, m.Reader));
        return chat;
    }

    /// <summary>Expects each BC66 command in turn, acknowledges it, and answers as the modem did.</summary>
    private void PlayBc66(IActorRef chat, Action<List<(string Command, string Answer)>>? change = null)
    {
        var answers = Bc66Session.Answers().ToList();
        change?.Invoke(answers);
        foreach (var (command, answer) in answers)
        {
            AnswerNext(chat, command, answer);
        }
    }

    private void AnswerNext(IActorRef chat, string command, string answer)
    {
        var write = _port.ExpectMsg<Port.Write>();
        Assert.Equal(command, Encoding.Latin1.GetString(write.Data.Span));
        _port.Reply(write.Ack);
        chat.Tell(new Port.Received(Encoding.Latin1.GetBytes(answer)), _port.Ref);
    }

    /// <summary>A parent that starts one child and forwards what the child tells it.</summary>
    private sealed class ForwardingParent : ReceiveActor
    {
        public ForwardingParent(Props child, IActorRef forwardTo)
        {
            Context.ActorOf(child);
            ReceiveAny(m => forwardTo.Forward(m));
        }
    }
}
