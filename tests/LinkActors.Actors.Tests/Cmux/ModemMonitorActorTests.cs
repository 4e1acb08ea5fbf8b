using System.Text;
using Akka.Actor;
using Akka.TestKit;
using LinkActors.Actors.Cmux;
using LinkActors.Actors.Serial;
using LinkActors.Actors.Tests.Support;
using Xunit.Abstractions;

namespace LinkActors.Actors.Tests.Cmux;

/// <summary>The modem monitor alone: a probe is its AT channel, the poll timer runs on the test scheduler.</summary>
public sealed class ModemMonitorActorTests(ITestOutputHelper output) : ManualTimeTestKit(output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    [Fact]
    public void Polls_AtStart_AndEveryInterval_ReportingSignalAndRegistration()
    {
        var channel = CreateTestProbe();
        var supervisor = CreateTestProbe();
        var monitor = Sys.ActorOf(ModemMonitorActor.Props("wan", channel.Ref, Interval, supervisor.Ref));
        Answer(channel, registered: true);
        var first = supervisor.ExpectMsg<CmuxProtocol.ModemPolled>();
        Assert.Equal(-73, first.Modem.SignalDbm);
        Assert.True(first.Modem.EpsRegistration!.IsRegistered);
        Assert.Equal("context 1 active, 10.64.12.7", Assert.Single(first.Modem.PdpContexts!).Describe());

        Sync(monitor);
        Advance(Interval - TimeSpan.FromSeconds(1));
        channel.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Advance(TimeSpan.FromSeconds(1));
        Answer(channel, registered: true);
        supervisor.ExpectMsg<CmuxProtocol.ModemPolled>();
        supervisor.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void NotRegistered_IsReportedAsDetached_Once()
    {
        var channel = CreateTestProbe();
        var supervisor = CreateTestProbe();
        var monitor = Sys.ActorOf(ModemMonitorActor.Props("wan", channel.Ref, Interval, supervisor.Ref));
        Answer(channel, registered: false);
        supervisor.ExpectMsg<CmuxProtocol.ModemPolled>();
        var detached = supervisor.ExpectMsg<CmuxProtocol.DetachedWhilePppUp>();
        Assert.Contains("not registered", detached.Reason, StringComparison.Ordinal);

        Sync(monitor);
        Advance(Interval);
        Answer(channel, registered: false);
        supervisor.ExpectMsg<CmuxProtocol.ModemPolled>();
        supervisor.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    /// <summary>Plays the modem on the AT channel for one poll: each command is its own chat (a reader, then its write); acknowledges and answers each.</summary>
    private static void Answer(TestProbe channel, bool registered)
    {
        foreach (var expected in ModemMonitorActor.PollCommands)
        {
            var reader = channel.ExpectMsg<SerialPort.SetReader>().Reader;
            var write = channel.ExpectMsg<SerialPort.Write>();
            if (write.Ack is not null)
                channel.LastSender.Tell(write.Ack);
            string command = Encoding.ASCII.GetString(write.Data.Span).Trim();
            Assert.Equal(expected, command);
            string answer = command switch
            {
                "AT+CSQ" => "+CSQ: 20,99",
                // A modem without +CESQ answers ERROR; the poll goes on with the next command.
                "AT+CESQ" => "ERROR",
                "AT+CEREG?" => registered ? "+CEREG: 0,1" : "+CEREG: 0,0",
                "AT+CGREG?" => registered ? "+CGREG: 0,1" : "+CGREG: 0,0",
                "AT+CGACT?" => "+CGACT: 1,1",
                "AT+CGPADDR" => "+CGPADDR: 1,\"10.64.12.7\"",
                _ => throw new Xunit.Sdk.XunitException($"unexpected command {command}"),
            };
            reader.Tell(new SerialPort.Received(Encoding.ASCII.GetBytes(answer == "ERROR" ? "\r\nERROR\r\n" : $"\r\n{answer}\r\n\r\nOK\r\n")));
        }
    }
}
