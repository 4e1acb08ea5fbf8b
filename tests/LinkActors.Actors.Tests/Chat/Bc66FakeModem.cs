using System.Text;
using LinkActors.Tests.Shared;

namespace LinkActors.Actors.Tests.Chat;

/// <summary>
/// Plays the BC66 on the far end of a pty: reads commands up to their CR and answers each with what
/// the real modem answered (echo, blank lines and all). Unknown commands get ERROR, as on the modem.
/// Runs until the pty goes away or it is disposed.
/// </summary>
internal sealed class Bc66FakeModem : IDisposable
{
    private readonly FileStream _line;
    private readonly Dictionary<string, string> _answers;
    private readonly Task _loop;
    private readonly List<string> _commands = [];

    public Bc66FakeModem(FileStream line, string? connectTail = null)
    {
        _line = line;
        _answers = Bc66Session.Answers().ToDictionary(a => a.Command, a => a.Answer);
        if (connectTail is not null)
        {
            _answers["ATDT*99#\r"] += connectTail;
        }

        _loop = Task.Run(Run);
    }

    /// <summary>The commands received so far, each with its CR.</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_commands)
            {
                return [.. _commands];
            }
        }
    }

    public void Dispose()
    {
        _line.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private void Run()
    {
        var pending = new StringBuilder();
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                var n = _line.Read(buffer);
                if (n == 0)
                {
                    return;
                }

                pending.Append(Encoding.Latin1.GetString(buffer, 0, n));
                int cr;
                while ((cr = pending.ToString().IndexOf('\r', StringComparison.Ordinal)) >= 0)
                {
                    var command = pending.ToString(0, cr + 1);
                    pending.Remove(0, cr + 1);
                    lock (_commands)
                    {
                        _commands.Add(command);
                    }

                    var answer = _answers.GetValueOrDefault(command, "\r\nERROR\r\n");
                    _line.Write(Encoding.Latin1.GetBytes(answer));
                    _line.Flush();
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pty went away: the modem is unplugged.
        }
    }
}
