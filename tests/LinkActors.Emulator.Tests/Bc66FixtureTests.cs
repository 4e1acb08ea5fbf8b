using System.Text;
using LinkActors.Emulator.Tests.Support;

namespace LinkActors.Emulator.Tests;

/// <summary>The connect script of the BC66 field report, replayed: the emulator must answer byte for byte.</summary>
public sealed class Bc66FixtureTests
{
    /// <summary>
    /// The fixture is chat's log: a '>' line is what was sent, the lines after it what the modem answered
    /// up to the expected string, with ^M for CR and a newline for each LF. Concatenated, the answers are
    /// the modem's output stream, except the CR LF after the last CONNECT, which chat did not wait for.
    /// </summary>
    private static List<(string Command, string Answer)> ReadFixture()
    {
        var exchanges = new List<(string, string)>();
        string[] lines = File.ReadAllText(Fixture.FixturePath("bc66-modem-side.txt")).Split('\n');
        if (lines[^1].Length == 0)
            lines = lines[..^1];
        string? command = null;
        var answer = new List<string>();
        foreach (string line in lines)
        {
            if (line.StartsWith('>'))
            {
                if (command is not null)
                    exchanges.Add((command, string.Join("\n", answer).Replace("^M", "\r", StringComparison.Ordinal)));
                command = line[1..];
                answer.Clear();
            }
            else
            {
                answer.Add(line);
            }
        }
        exchanges.Add((command!, string.Join("\n", answer).Replace("^M", "\r", StringComparison.Ordinal)));
        return exchanges;
    }

    [Fact]
    public async Task ConnectScript_ReplayedCommandByCommand_AnswersMatchFixtureByteForByte()
    {
        await using var session = Session.Start();
        await Fixture.WaitForRegistrationAsync(session.Modem, Profiles.RegistrationStatus.Roaming);
        var exchanges = ReadFixture();
        Assert.Equal(10, exchanges.Count);

        foreach (var (command, answer) in exchanges)
        {
            session.Client.Write(command + "\r");
            byte[] got = await session.Client.ReadExactlyAsync(Encoding.ASCII.GetByteCount(answer));
            Assert.Equal(PtyClient.Show(Encoding.ASCII.GetBytes(answer)), PtyClient.Show(got));
        }
        Assert.Equal("\r\n", Encoding.ASCII.GetString(await session.Client.ReadExactlyAsync(2)));
        await session.AcceptAsync();
        Assert.Equal(Modem.ModemMode.Data, session.Modem.Mode);
        Assert.Equal("iot.1nce.net", session.Modem.GetApn(1));
        Assert.Equal(10, session.Modem.Counters.CommandsSeen);
    }
}
