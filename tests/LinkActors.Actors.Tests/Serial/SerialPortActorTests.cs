using LinkActors.Tests.Shared;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.TestKit;
using LinkActors.Actors.Serial;
using LinkActors.Linux.Locking;
using static LinkActors.Actors.Serial.SerialPort;

namespace LinkActors.Actors.Tests.Serial;

public sealed class SerialPortActorTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    private readonly SocatPtyPair _pty = new();

    protected override void Dispose(bool disposing)
    {
        // Actors first (their closes run in the background), then socat and the temporary files.
        try
        {
            base.Dispose(disposing);
        }
        finally
        {
            if (disposing)
                _pty.Dispose();
        }
    }

    [Fact]
    public void Open_Pty_ReportsOpenedAndHoldsUucpLock()
    {
        var port = OpenPort();
        var lockFile = Path.Combine(_pty.LockDirectory, "LCK..a");
        Assert.Equal(Environment.ProcessId, UucpLock.ReadOwner(lockFile));

        port.Tell(Close.Instance);
        ExpectMsg<Closed>(Soon);
        AwaitCondition(() => !File.Exists(lockFile), Soon);
    }

    [Fact]
    public void Received_BytesWrittenOnOtherSide_ArriveAtReader()
    {
        var port = OpenPort();
        var reader = CreateTestProbe();
        port.Tell(new SetReader(reader.Ref));
        using var other = _pty.OpenB();

        other.Write("AT\r\r\nOK\r\n"u8);

        Assert.Equal("AT\r\r\nOK\r\n", ReceiveText(reader, 9));
    }

    [Fact]
    public void SetReader_Switched_LaterBytesGoToNewReader()
    {
        var port = OpenPort();
        var chat = CreateTestProbe();
        var framing = CreateTestProbe();
        using var other = _pty.OpenB();
        port.Tell(new SetReader(chat.Ref));
        other.Write("CONNECT\r\n"u8);
        Assert.Equal("CONNECT\r\n", ReceiveText(chat, 9));

        port.Tell(new SetReader(framing.Ref));
        other.Write("~frame~"u8);

        Assert.Equal("~frame~", ReceiveText(framing, 7));
        chat.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Write_WithAck_AckedAndBytesArriveOnOtherSide()
    {
        var port = OpenPort();
        using var other = _pty.OpenB();

        port.Tell(new Write("ATZ\r"u8.ToArray(), "ack-1"));

        ExpectMsg("ack-1", Soon);
        Assert.Equal("ATZ\r", ReadText(other, 4));
    }

    [Fact]
    public void Write_ManyPaced_AckedInOrderAndDataInOrder()
    {
        var port = OpenPort();
        using var other = _pty.OpenB();
        var expected = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            var chunk = $"chunk{i:00};";
            expected.Append(chunk);
            port.Tell(new Write(Encoding.ASCII.GetBytes(chunk), i));
        }

        for (var i = 0; i < 20; i++)
            ExpectMsg(i, Soon);
        Assert.Equal(expected.ToString(), ReadText(other, expected.Length));
    }

    [Fact]
    public void Write_LargerThanThePtyBuffers_AckedOnceTheOtherSideDrainsIt_NextWriteAfterIt()
    {
        // Far more than a pty holds: the line takes part at once, the rest as side B reads.
        var port = OpenPort();
        using var other = _pty.OpenB();
        var big = new byte[1024 * 1024];
        for (var i = 0; i < big.Length; i++)
            big[i] = (byte)('a' + (i % 26));
        port.Tell(new Write(big, "big"));
        port.Tell(new Write("END"u8.ToArray(), "end"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        var text = ReadText(other, big.Length + 3);

        ExpectMsg("big", Soon);
        ExpectMsg("end", Soon);
        Assert.Equal(Encoding.ASCII.GetString(big) + "END", text);
    }

    [Fact]
    public void Write_WithoutAck_NoReply()
    {
        var port = OpenPort();
        using var other = _pty.OpenB();
        port.Tell(new Write("x"u8.ToArray()));
        Assert.Equal("x", ReadText(other, 1));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Write_QueueFull_CommandFailedForTheOverflow()
    {
        // Nobody reads side B, so a write much larger than both pty buffers stays in flight.
        var port = OpenPort(s => s with { MaxQueuedWrites = 2, CloseTimeout = TimeSpan.FromSeconds(1) });
        port.Tell(new Write(new byte[4 * 1024 * 1024], "big"));
        port.Tell(new Write("1"u8.ToArray(), "q1"));
        port.Tell(new Write("2"u8.ToArray(), "q2"));
        var overflow = new Write("3"u8.ToArray(), "q3");
        port.Tell(overflow);

        var failed = ExpectMsg<CommandFailed>(Soon);
        Assert.Same(overflow, failed.Command);
        Assert.Contains("queue", failed.Cause.Message);

        // Closing fails what is still pending and never hangs on the stuck write.
        port.Tell(Close.Instance);
        var replies = ReceiveN(4, Soon);
        Assert.Equal(3, replies.OfType<CommandFailed>().Count());
        Assert.IsType<Closed>(replies.Last());
    }

    [Fact]
    public void OtherSideVanishes_ReportedAsDeviceVanishedAndActorStops()
    {
        var port = OpenPort();
        Watch(port);
        port.Tell(new SetReader(CreateTestProbe().Ref));
        Thread.Sleep(100);

        var watch = Stopwatch.StartNew();
        _pty.Kill();

        var vanished = ExpectMsg<DeviceVanished>(Soon);
        Assert.False(string.IsNullOrEmpty(vanished.Reason));
        ExpectTerminated(port, Soon);
        Assert.True(watch.Elapsed < Soon);
    }

    [Fact]
    public void OtherSideVanishes_WithWriteStuck_StillReportedAndActorStops()
    {
        var port = OpenPort();
        Watch(port);
        port.Tell(new SetReader(CreateTestProbe().Ref));
        var stuck = new Write(new byte[4 * 1024 * 1024], "big");
        port.Tell(stuck);
        Thread.Sleep(200);

        _pty.Kill();

        var messages = new List<object>();
        FishForMessage(m => { messages.Add(m); return m is Terminated; }, Soon);
        Assert.Contains(messages, m => m is DeviceVanished);
        Assert.Contains(messages, m => m is CommandFailed f && ReferenceEquals(f.Command, stuck));
    }

    [Fact]
    public void HangUp_PtyHasNoModemLines_ClosesInstead()
    {
        var port = OpenPort(s => s with { Local = false });
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));   // no CarrierChanged: a pty has no DCD
        port.Tell(HangUp.Instance);
        ExpectMsg<Closed>(Soon);
    }

    [Fact]
    public void Commands_SentBeforeOpen_AreKeptUntilOpened()
    {
        var port = Sys.ActorOf(SerialPortActor.Props(PtySettings(), TestActor));
        var reader = CreateTestProbe();
        port.Tell(new Write("early"u8.ToArray(), "early-ack"));
        port.Tell(new SetReader(reader.Ref));
        using var other = _pty.OpenB();

        ExpectMsg<Opened>(Soon);
        ExpectMsg("early-ack", Soon);
        Assert.Equal("early", ReadText(other, 5));
    }

    [Fact]
    public void Open_LockHeldByAnotherPortActor_RefusedWithClearError()
    {
        OpenPort();
        var second = Sys.ActorOf(SerialPortActor.Props(PtySettings(), TestActor));
        Watch(second);

        var failed = ExpectMsg<OpenFailed>(Soon);
        var locked = Assert.IsType<DeviceLockedException>(failed.Cause);
        Assert.Equal(Environment.ProcessId, locked.OwnerPid);
        Assert.Contains("LCK..a", locked.Message);
        ExpectTerminated(second, Soon);
    }

    [Fact]
    public void Open_StaleLockOfDeadProcess_TakenOver()
    {
        using var dead = Process.Start("true")!;
        dead.WaitForExit();
        var lockFile = Path.Combine(_pty.LockDirectory, "LCK..a");
        File.WriteAllText(lockFile, $"{dead.Id,10}\n");

        OpenPort();

        Assert.Equal(Environment.ProcessId, UucpLock.ReadOwner(lockFile));
    }

    [Fact]
    public void Open_MissingDevice_OpenFailed()
    {
        var settings = PtySettings() with { Device = new LineDevice.Serial(Path.Combine(_pty.Directory, "missing")) };
        Sys.ActorOf(SerialPortActor.Props(settings, TestActor));
        var failed = ExpectMsg<OpenFailed>(Soon);
        Assert.Contains("missing", failed.Device);
        Assert.False(File.Exists(Path.Combine(_pty.LockDirectory, "LCK..missing")));
    }

    [Fact]
    public async Task Tcp_LoopbackPeer_BytesBothWaysAndPeerCloseIsVanished()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        var settings = new SerialPortSettings(new LineDevice.Tcp("127.0.0.1", endpoint.Port));
        var port = Sys.ActorOf(SerialPortActor.Props(settings, TestActor));
        Watch(port);
        using var peer = await listener.AcceptSocketAsync().WaitAsync(Soon);
        Assert.Equal($"socket:127.0.0.1:{endpoint.Port}", ExpectMsg<Opened>(Soon).Device);
        var reader = CreateTestProbe();
        port.Tell(new SetReader(reader.Ref));

        peer.Send("CLIENTSERVER"u8);
        Assert.Equal("CLIENTSERVER", ReceiveText(reader, 12));
        port.Tell(new Write("hello"u8.ToArray(), "tcp-ack"));
        ExpectMsg("tcp-ack", Soon);
        var buffer = new byte[5];
        var got = 0;
        while (got < 5)
            got += peer.Receive(buffer.AsSpan(got));
        Assert.Equal("hello", Encoding.ASCII.GetString(buffer));

        peer.Shutdown(SocketShutdown.Both);
        peer.Close();

        Assert.Equal("end of stream", ExpectMsg<DeviceVanished>(Soon).Reason);
        ExpectTerminated(port, Soon);
    }

    [Fact]
    public void Tcp_NobodyListening_OpenFailed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var unused = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        Sys.ActorOf(SerialPortActor.Props(new SerialPortSettings(new LineDevice.Tcp("127.0.0.1", unused)), TestActor));

        Assert.IsAssignableFrom<SocketException>(ExpectMsg<OpenFailed>(Soon).Cause);
    }

    private SerialPortSettings PtySettings() =>
        new(new LineDevice.Serial(_pty.A)) { LockDirectory = _pty.LockDirectory, Speed = 115200 };

    private IActorRef OpenPort(Func<SerialPortSettings, SerialPortSettings>? adjust = null)
    {
        var settings = adjust is null ? PtySettings() : adjust(PtySettings());
        var port = Sys.ActorOf(SerialPortActor.Props(settings, TestActor));
        Assert.Equal(_pty.A, ExpectMsg<Opened>(Soon).Device);
        return port;
    }

    private static string ReceiveText(TestProbe reader, int length)
    {
        var text = new StringBuilder();
        while (text.Length < length)
            text.Append(Encoding.ASCII.GetString(reader.ExpectMsg<Received>(Soon).Data.Span));
        return text.ToString();
    }

    private static string ReadText(FileStream other, int length)
    {
        var buffer = new byte[length];
        var got = 0;
        var read = Task.Run(() =>
        {
            while (got < length)
                got += other.Read(buffer, got, length - got);
        });
        Assert.True(read.Wait(Soon), $"only {got} of {length} bytes arrived");
        return Encoding.ASCII.GetString(buffer);
    }
}
