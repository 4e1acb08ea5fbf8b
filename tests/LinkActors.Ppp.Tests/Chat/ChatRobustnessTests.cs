using CsCheck;
using LinkActors.Ppp.Chat;
using LinkActors.Tests.Shared;

namespace LinkActors.Ppp.Tests.Chat;

/// <summary>Garbage in: never an exception, always a typed end, in bounded time.</summary>
public class ChatRobustnessTests
{
    private static readonly Gen<byte[]> GenNoise = Gen.Frequency(
        (3, Gen.Byte.Array[0, 3000]),
        (2, Gen.OneOf(Gen.Const((byte)'O'), Gen.Const((byte)'K'), Gen.Const((byte)'\r'), Gen.Const((byte)'\n'), Gen.Const((byte)'C'), Gen.Byte).Array[0, 3000]),
        (1, Gen.OneOf(Gen.Const("OK"u8.ToArray()), Gen.Const("ERROR"u8.ToArray()), Gen.Const("CONNECT"u8.ToArray()), Gen.Byte.Array[0, 8]).Array[0, 200]
            .Select(parts => parts.SelectMany(p => p).ToArray())));

    [Fact]
    public void Run_RandomBytes_AlwaysEndsInATypedOutcome()
    {
        var script = ChatScript.Parse(Bc66Session.ConnectScript);
        Gen.Select(GenNoise, Gen.Int[1, 300], Gen.Int[0, 5000]).Sample((noise, chunk, millisecondsPerChunk) =>
        {
            var driver = new ChatDriver(script, chunkSize: () => chunk) { TimePerChunk = TimeSpan.FromMilliseconds(millisecondsPerChunk) };
            driver.Say(noise);

            var outcome = driver.Run(maxRounds: 100_000);

            Assert.NotNull(outcome);
            Assert.Contains(outcome.Kind, new[] { ChatOutcomeKind.Success, ChatOutcomeKind.Timeout, ChatOutcomeKind.Abort });
            Assert.True(driver.Interpreter.IsFinished);
            Assert.Null(driver.Interpreter.NextWakeUp);

            // Eleven expects of 120 s at most, plus the time the noise took to arrive.
            Assert.True(driver.Now <= TimeSpan.FromSeconds(11 * 120) + (noise.Length * TimeSpan.FromMilliseconds(millisecondsPerChunk)));
            Assert.Single(driver.ActionsOf<ChatAction.Finished>());
            Assert.DoesNotContain('\n', string.Concat(driver.Interpreter.Transcript.Where(e => e.Kind == ChatTranscriptKind.Received).Select(e => e.Text)));
        }, iter: 300);
    }

    [Fact]
    public void Run_RandomBytesWithEveryFeature_NeverThrows()
    {
        const string script = """
            ECHO ON
            REPORT CONNECT
            REPORT +CSQ:
            ABORT BUSY
            ABORT ERROR
            CLR_ABORT BUSY
            HANGUP OFF
            TIMEOUT 2
            SAY 'go\n'
            '' '\q1234\dAT\p'
            OK-\K-OK-EOT-OK AT+CSQ
            +CSQ:-BREAK- AT\c
            OK ''
            """;
        var parsed = ChatScript.Parse(script);
        Gen.Select(GenNoise, Gen.Int[1, 64]).Sample((noise, chunk) =>
        {
            var driver = new ChatDriver(parsed, chunkSize: () => chunk);
            driver.Say(noise);

            var outcome = driver.Run(maxRounds: 100_000);

            Assert.NotNull(outcome);
            Assert.NotEqual(ChatOutcomeKind.InvalidScript, outcome.Kind);
            Assert.DoesNotContain("1234", driver.Interpreter.TranscriptText, StringComparison.Ordinal);
        }, iter: 300);
    }

    [Fact]
    public void ModemInfoParse_RandomText_NeverThrows()
    {
        var alphabet = Gen.OneOf(Gen.Char["+CSQREGOPIN:,\"0123456789 \r\nATIOK()"], Gen.Char);
        alphabet.Array[0, 400].Select(c => new string(c)).Sample(text =>
        {
            var info = ModemInfo.Parse(text);
            Assert.False(string.IsNullOrEmpty(info.Describe()));
        }, iter: 3000);
    }
}
