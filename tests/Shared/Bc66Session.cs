namespace LinkActors.Tests.Shared;

/// <summary>
/// The Quectel BC66 field session (shared/fixtures/bc66): the modem side as chat logged it, and the
/// connect and disconnect scripts of that setup. Kept as strings so the test project needs no data files.
/// </summary>
internal static class Bc66Session
{
    /// <summary>
    /// modem-side.txt verbatim: "&gt;" lines are the commands sent, the rest what the modem answered;
    /// ^M is CR, a line break is LF. Before ATE0 (and again after ATZ) the modem echoes the command.
    /// </summary>
    public const string ModemSide = """
>AT
AT^M^M
OK
>ATE0
^M
ATE0^M^M
OK
>ATI
^M
^M
Quectel_Ltd^M
Quectel_BC66^M
Revision: BC66NBR01A10^M
^M
OK
>AT+CSQ
^M
^M
+CSQ: 8,0^M
^M
OK
>AT+CPIN?
^M
^M
+CPIN: READY^M
^M
OK
>AT+COPS?
^M
^M
+COPS: 0,2,"26201",9^M
^M
OK
>AT+CGREG?
^M
^M
+CGREG: 0,5^M
^M
OK
>ATZ
^M
^M
OK
>AT+CGDCONT=1,"IP","iot.1nce.net",,0,0
^M
AT+CGDCONT=1,"IP","iot.1nce.net",,0,0^M^M
OK
>ATDT*99#
^M
ATDT*99#^M^M
CONNECT
""";

    /// <summary>The connect script of the setup, in chat's file syntax.</summary>
    public const string ConnectScript = """
# Quectel BC66, NB-IoT, 1NCE SIM: run by pppd's connect option (chat -v -f)
ABORT 'BUSY'
ABORT 'NO CARRIER'
ABORT 'NO DIALTONE'
ABORT 'ERROR'
ABORT 'NO ANSWER'
TIMEOUT 120
'' AT
OK ATE0
OK ATI
OK AT+CSQ
OK AT+CPIN?
OK AT+COPS?
OK AT+CGREG?
OK ATZ
OK AT+CGDCONT=1,"IP","iot.1nce.net",,0,0
OK ATDT*99#
CONNECT
""";

    /// <summary>The disconnect script: break out of data mode, hang up, say goodbye (pppd's disconnect option).</summary>
    public const string DisconnectScript = """
# Quectel BC66: leave data mode and hang up (chat -v -f, from pppd's disconnect option)
ABORT OK
ABORT BUSY
ABORT DELAY
ABORT 'NO ANSWER'
ABORT 'NO CARRIER'
ABORT 'NO DIALTONE'
ABORT VOICE
ABORT ERROR
ABORT RINGING
TIMEOUT 12
SAY '\nSending break to the modem\n'
'' '\K'
'' '+++ATH'
SAY '\nGoodbye from modem\n'
""";

    /// <summary>The commands the connect script sends, in order, each with its CR.</summary>
    public static readonly string[] ConnectCommands =
    [
        "AT\r", "ATE0\r", "ATI\r", "AT+CSQ\r", "AT+CPIN?\r", "AT+COPS?\r", "AT+CGREG?\r", "ATZ\r",
        "AT+CGDCONT=1,\"IP\",\"iot.1nce.net\",,0,0\r", "ATDT*99#\r",
    ];

    /// <summary>
    /// The modem's answer to each command, rebuilt from <see cref="ModemSide"/>. chat stops reading at
    /// a match, so the CR LF that ends one answer is logged at the start of the next block; here it
    /// is given back to the answer it belongs to, and CONNECT gets its CR LF.
    /// </summary>
    public static IReadOnlyList<(string Command, string Answer)> Answers()
    {
        var blocks = new List<(string Command, List<string> Lines)>();
        foreach (var line in ModemSide.Split('\n'))
        {
            if (line.StartsWith('>'))
            {
                blocks.Add((line[1..], []));
            }
            else
            {
                blocks[^1].Lines.Add(line);
            }
        }

        var answers = blocks.Select(b => string.Join('\n', b.Lines).Replace("^M", "\r", StringComparison.Ordinal)).ToList();
        for (var i = 1; i < answers.Count; i++)
        {
            if (answers[i].StartsWith("\r\n", StringComparison.Ordinal))
            {
                answers[i - 1] += "\r\n";
                answers[i] = answers[i][2..];
            }
        }

        answers[^1] += "\r\n";
        return blocks.Select((b, i) => (b.Command + "\r", answers[i])).ToList();
    }

    /// <summary>The received lines as chat -v logged them: the fixture without its "&gt;" lines.</summary>
    public static IReadOnlyList<string> LoggedLines() =>
        ModemSide.Split('\n').Where(l => !l.StartsWith('>')).ToList();
}
