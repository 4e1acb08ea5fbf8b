using System.Net;
using System.Text;
using Akka.Actor;
using Akka.TestKit;
using LinkActors.Actors.Modem;
using LinkActors.Actors.Serial;
using LinkActors.Actors.Tests.Support;
using LinkActors.Ppp.Chat;
using Xunit.Abstractions;

namespace LinkActors.Actors.Tests.Cmux;

/// <summary>The modem query alone: a probe is the line, chat timeouts run on the test scheduler.</summary>
public sealed class ModemQueryActorTests(ITestOutputHelper output) : ManualTimeTestKit(output)
{
    [Fact]
    public void AnsweringModem_EachWhyCommandAsked_ErrorSkipsOnlyItsLine()
    {
        var line = CreateTestProbe();
        var parent = CreateTestProbe();
        Sys.ActorOf(ModemQueryActor.Props("wan", line.Ref, mayBeInDataMode: true, ModemQueryActor.WhyCommands, parent.Ref));

        AnswerOne(line, "AT", "");
        foreach (var command in ModemQueryActor.WhyCommands)
        {
            AnswerOne(line, command, command switch
            {
                "AT+CEREG?" => "+CEREG: 0,1",
                "AT+CGREG?" => "+CGREG: 0,1",
                "AT+CGATT?" => "+CGATT: 1",
                "AT+CGACT?" => "+CGACT: 1,1",
                "AT+CGPADDR" => "+CGPADDR: 1,\"198.51.100.99\"",
                _ => "ERROR",
            });
        }

        var finished = parent.ExpectMsg<ModemQueryProtocol.Finished>();
        Assert.True(finished.ModemAnswered);
        Assert.Equal(new PdpContext(1, true, IPAddress.Parse("198.51.100.99")), Assert.Single(finished.Answers.PdpContexts!));
        Assert.True(finished.Answers.PacketAttached);
        Assert.Contains("AT+CGCONTRDP: ERROR", finished.Answered);
        Assert.Equal(ModemDataCheck.AddressMismatch, Assert.Single(ModemDataCheck.Examine(finished.Answers, IPAddress.Parse("192.0.2.2"))).Code);
    }

    [Fact]
    public void SilentModem_EscapeTriedOnce_ThenFinishedWithoutAnswers()
    {
        var line = CreateTestProbe();
        var parent = CreateTestProbe();
        Sys.ActorOf(ModemQueryActor.Props("wan", line.Ref, mayBeInDataMode: true, ModemQueryActor.WhyCommands, parent.Ref));

        var sent = new StringBuilder();
        ModemQueryProtocol.Finished? finished = null;
        for (int second = 0; second < 30 && finished is null; second++)
        {
            // Take whatever the chats send, acknowledge it, answer nothing; then let a second pass.
            while (line.HasMessages)
            {
                if (line.ReceiveOne(TimeSpan.Zero) is SerialPort.Write write)
                {
                    sent.Append(Encoding.ASCII.GetString(write.Data.Span));
                    if (write.Ack is not null)
                        line.LastSender.Tell(write.Ack);
                }
            }
            Advance(TimeSpan.FromSeconds(1));
            if (parent.ReceiveOne(TimeSpan.FromMilliseconds(100)) is ModemQueryProtocol.Finished done)
                finished = done;
        }

        Assert.NotNull(finished);
        Assert.False(finished.ModemAnswered);
        Assert.Contains("+++", sent.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("AT+CEREG?", sent.ToString(), StringComparison.Ordinal);
        Assert.Contains(finished.Answered, a => a.Contains("neither AT nor the escape", StringComparison.Ordinal));
    }

    /// <summary>One chat: the reader, the command written (acknowledged), the modem's answer.</summary>
    private static void AnswerOne(TestProbe line, string expected, string answer)
    {
        var reader = line.ExpectMsg<SerialPort.SetReader>().Reader;
        var write = line.ExpectMsg<SerialPort.Write>();
        if (write.Ack is not null)
            line.LastSender.Tell(write.Ack);
        Assert.Equal(expected, Encoding.ASCII.GetString(write.Data.Span).Trim());
        string text = answer switch
        {
            "ERROR" => "\r\nERROR\r\n",
            "" => "\r\nOK\r\n",
            _ => $"\r\n{answer}\r\n\r\nOK\r\n",
        };
        reader.Tell(new SerialPort.Received(Encoding.ASCII.GetBytes(text)));
    }
}
