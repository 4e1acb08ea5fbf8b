using Akka.Actor;
using LinkActors.Actors.Chat;
using LinkActors.Actors.Serial;
using LinkActors.Tests.Shared;
using LinkActors.Ppp.Chat;
using static LinkActors.Actors.Chat.ChatProtocol;
using Port = LinkActors.Actors.Serial.SerialPort;

namespace LinkActors.Actors.Tests.Chat;

/// <summary>The chat actor through the real port actor, over a socat pty pair, to a fake BC66.</summary>
public sealed class ChatActorPtyTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    private readonly SocatPtyPair _pty = new();

    protected override void Dispose(bool disposing)
    {
        // Actors first (the port closes in the background), then socat and its files.
        base.Dispose(disposing);
        if (disposing)
        {
            _pty.Dispose();
        }
    }

    [Fact]
    public void Connect_Bc66OverPty_CompletesWithModemInfo()
    {
        using var modem = new Bc66FakeModem(_pty.OpenB());
        var owner = CreateTestProbe("owner");
        var port = Sys.ActorOf(SerialPortActor.Props(PtySettings(), owner.Ref));
        owner.ExpectMsg<Port.Opened>(Soon);

        Sys.ActorOf(ChatActor.Props(port, ChatScript.Parse(Bc66Session.ConnectScript), "connect", TestActor));

        var completed = ExpectMsg<ChatCompleted>(Soon);
        Assert.True(completed.Outcome.IsSuccess, completed.Outcome + "\n" + completed.Transcript);
        Assert.Equal(
            "signal -97 dBm (CSQ 8), registered roaming on 26201 (NB-IoT), SIM ready, Quectel BC66 rev BC66NBR01A10",
            completed.Modem?.Describe());
        Assert.Equal(Bc66Session.ConnectCommands, modem.Commands);

        // chat stops at CONNECT; its CR LF is left for PPP, which skips it as bytes before the first flag.
        Assert.Equal("\r\n"u8.ToArray(), completed.Unread.ToArray());
    }

    [Fact]
    public async Task Connect_ModemUnplugged_EndsWithIoError()
    {
        var owner = CreateTestProbe("owner");
        var port = Sys.ActorOf(SerialPortActor.Props(PtySettings(), owner.Ref));
        await owner.ExpectMsgAsync<Port.Opened>(Soon);

        // Nobody answers; then the line goes away under the port.
        Sys.ActorOf(ChatActor.Props(port, ChatScript.Parse(Bc66Session.ConnectScript), "connect", TestActor));
        using (var line = _pty.OpenB())
        {
            // The first command arriving shows the script is under way.
            var buffer = new byte[16];
            Assert.True(await line.ReadAsync(buffer).AsTask().WaitAsync(Soon) > 0, "the first command never arrived");
        }

        _pty.Kill();

        var completed = await ExpectMsgAsync<ChatCompleted>(Soon);
        Assert.Equal(ChatOutcomeKind.IoError, completed.Outcome.Kind);
    }

    private SerialPortSettings PtySettings() =>
        new(new LineDevice.Serial(_pty.A)) { LockDirectory = _pty.LockDirectory, Speed = 115200 };
}
