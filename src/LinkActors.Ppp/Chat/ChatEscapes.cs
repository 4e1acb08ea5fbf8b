using System.Text;

namespace LinkActors.Ppp.Chat;

/// <summary>One piece of a compiled send string: bytes to write, a pause, or a break.</summary>
internal abstract record SendPart
{
    private SendPart()
    {
    }

    /// <summary>Bytes to write in one go; <paramref name="Display"/> has \q parts as ??????.</summary>
    internal sealed record Write(byte[] Bytes, string Display) : SendPart;

    /// <summary>\d, \p, or the pacing before a character.</summary>
    internal sealed record Pause(TimeSpan Duration) : SendPart;

    /// <summary>\K.</summary>
    internal sealed record Break : SendPart;
}

/// <summary>A send string ready to run; <paramref name="Secrets"/> are the \q parts, to hide their echo too.</summary>
internal sealed record CompiledSend(IReadOnlyList<SendPart> Parts, string Display, IReadOnlyList<byte[]> Secrets);

/// <summary>
/// chat(8)'s escapes. The parser keeps them as written; they are given meaning here, once for
/// send strings (where \c, \d, \K, \N, \p, \q act) and once for expect strings (where chat
/// reads most of those as the plain letter).
/// </summary>
public static class ChatEscapes
{
    /// <summary>chat's \d.</summary>
    public static readonly TimeSpan DelayEscape = TimeSpan.FromSeconds(1);

    /// <summary>chat's \p, as its man page gives it.</summary>
    public static readonly TimeSpan PauseEscape = TimeSpan.FromMilliseconds(100);

    /// <summary>What a hidden (\q) part looks like in any log.</summary>
    public const string Hidden = "??????";

    /// <summary>
    /// Renders bytes the way chat logs them: control characters as ^M, DEL as ^?, the high bit as M-.
    /// </summary>
    public static string Render(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            AppendVisible(text, b);
        }

        return text.ToString();
    }

    internal static void AppendVisible(StringBuilder text, byte b)
    {
        if (b >= 0x80)
        {
            text.Append("M-");
            b &= 0x7F;
        }

        if (b < 0x20)
        {
            text.Append('^').Append((char)(b + '@'));
        }
        else if (b == 0x7F)
        {
            text.Append("^?");
        }
        else
        {
            text.Append((char)b);
        }
    }

    /// <summary>
    /// Compiles a reply: a send string, or the words EOT and BREAK, which chat turns into ^D\c and \K\c.
    /// A CR is added unless the string ends in \c. Throws <see cref="FormatException"/> for \T or \U
    /// without a phone number.
    /// </summary>
    internal static CompiledSend CompileReply(string raw, ChatOptions options)
    {
        var text = raw switch
        {
            "EOT" => "^D\\c",
            "BREAK" => "\\K\\c",
            _ => raw,
        };
        return CompileSend(text, options);
    }

    internal static CompiledSend CompileSend(string raw, ChatOptions options)
    {
        var builder = new SendBuilder(options.CharacterPacing);
        var addReturn = true;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '^')
            {
                if (i + 1 >= raw.Length)
                {
                    builder.Add((byte)'^');
                    break;
                }

                // As chat: ^@ (zero) sends nothing rather than a NUL; \N is the way to send one.
                var control = (byte)(raw[++i] & 0x1F);
                if (control != 0)
                {
                    builder.Add(control);
                }

                continue;
            }

            if (c != '\\')
            {
                builder.AddText(c);
                continue;
            }

            if (i + 1 >= raw.Length)
            {
                // A trailing lone backslash is sent as itself, as chat does.
                builder.Add((byte)'\\');
                break;
            }

            var e = raw[++i];
            switch (e)
            {
                case 'b': builder.Add(0x08); break;
                case 'c':
                    if (i == raw.Length - 1)
                    {
                        addReturn = false;
                    }
                    else
                    {
                        builder.Add((byte)'c');
                    }

                    break;
                case 'd': builder.Pause(DelayEscape, "\\d"); break;
                case 'p': builder.Pause(PauseEscape, "\\p"); break;
                case 'K': builder.Break(); break;
                case 'N': builder.Add(0x00); break;
                case 'q': builder.ToggleQuiet(); break;
                case 'r': builder.Add((byte)'\r'); break;
                case 'n': builder.Add((byte)'\n'); break;
                case 's': builder.Add((byte)' '); break;
                case 't': builder.Add((byte)'\t'); break;
                case 'T': builder.AddString(options.PhoneNumber ?? throw new FormatException("\\T needs a phone number (-T)")); break;
                case 'U': builder.AddString(options.PhoneNumber2 ?? throw new FormatException("\\U needs a second phone number (-U)")); break;
                case >= '0' and <= '7':
                    builder.Add(ReadOctal(raw, ref i));
                    break;
                default:
                    // \\ and any other escaped character stand for themselves (\-, \', \$, \^).
                    builder.AddText(e);
                    break;
            }
        }

        if (addReturn)
        {
            builder.AddUnquiet((byte)'\r');
        }

        return builder.Build();
    }

    /// <summary>
    /// Compiles an expect string (also ABORT, REPORT, CLR_* and SAY arguments) to the bytes to match.
    /// Unlike chat, \T and \U are replaced here too: chat would look for a literal "\T", which no
    /// modem sends, while an echoed dial string is worth matching.
    /// </summary>
    internal static byte[] CompileExpect(string raw, ChatOptions options)
    {
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '^')
            {
                if (i + 1 >= raw.Length)
                {
                    bytes.Add((byte)'^');
                    break;
                }

                var control = (byte)(raw[++i] & 0x1F);
                if (control != 0)
                {
                    bytes.Add(control);
                }

                continue;
            }

            if (c != '\\')
            {
                AddText(bytes, c);
                continue;
            }

            if (i + 1 >= raw.Length)
            {
                break;
            }

            var e = raw[++i];
            switch (e)
            {
                case 'b': bytes.Add(0x08); break;
                case 'q': break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 's': bytes.Add((byte)' '); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'T': AddString(bytes, options.PhoneNumber ?? throw new FormatException("\\T needs a phone number (-T)")); break;
                case 'U': AddString(bytes, options.PhoneNumber2 ?? throw new FormatException("\\U needs a second phone number (-U)")); break;
                case >= '0' and <= '7':
                    // chat cannot look for a NUL (its buffers are C strings), so \000 matches nothing extra.
                    var value = ReadOctal(raw, ref i);
                    if (value != 0)
                    {
                        bytes.Add(value);
                    }

                    break;
                default:
                    // \c \d \K \N \p are send-only; in an expect string chat reads them as the letter.
                    AddText(bytes, e);
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Text of an expect-style string (SAY), Latin-1 for bytes above 0x7F.</summary>
    internal static string CompileText(string raw, ChatOptions options) =>
        Encoding.Latin1.GetString(CompileExpect(raw, options));

    private static byte ReadOctal(string raw, ref int i)
    {
        var value = raw[i] - '0';
        for (var digits = 1; digits < 3 && i + 1 < raw.Length && raw[i + 1] is >= '0' and <= '7'; digits++)
        {
            value = (value << 3) | (raw[++i] - '0');
        }

        // \777 does not fit a byte; chat keeps the low eight bits, and so do we.
        return (byte)value;
    }

    private static void AddText(List<byte> bytes, char c)
    {
        if (c <= 0xFF)
        {
            bytes.Add((byte)c);
        }
        else
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }
    }

    private static void AddString(List<byte> bytes, string text)
    {
        foreach (var c in text)
        {
            AddText(bytes, c);
        }
    }

    /// <summary>Collects writes between pauses and breaks, and the display text with \q parts hidden.</summary>
    private sealed class SendBuilder(TimeSpan pacing)
    {
        private readonly List<SendPart> _parts = [];
        private readonly List<byte> _run = [];
        private readonly StringBuilder _runDisplay = new();
        private readonly StringBuilder _display = new();
        private readonly List<byte[]> _secrets = [];
        private readonly List<byte> _secret = [];
        private bool _quiet;
        private bool _runEndsHidden;
        private bool _displayEndsHidden;

        public void Add(byte b) => Add(b, _quiet);

        public void AddUnquiet(byte b) => Add(b, quiet: false);

        public void AddText(char c)
        {
            if (c <= 0xFF)
            {
                Add((byte)c);
                return;
            }

            foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
            {
                Add(b);
            }
        }

        public void AddString(string text)
        {
            foreach (var c in text)
            {
                AddText(c);
            }
        }

        public void Pause(TimeSpan duration, string display)
        {
            FlushRun();
            _parts.Add(new SendPart.Pause(duration));
            AppendDisplay(_display, ref _displayEndsHidden, display, hidden: _quiet);
        }

        public void Break()
        {
            FlushRun();
            _parts.Add(new SendPart.Break());
            AppendDisplay(_display, ref _displayEndsHidden, "\\K", hidden: _quiet);
        }

        public void ToggleQuiet()
        {
            // chat hides a whole string on \q; here \q...\q hides only what lies between (to the end if
            // unpaired), so that "AT+CPIN=\q1234" still shows which command was sent.
            _quiet = !_quiet;
            EndSecret();
        }

        public CompiledSend Build()
        {
            FlushRun();
            EndSecret();
            return new CompiledSend(_parts, _display.ToString(), _secrets);
        }

        private void Add(byte b, bool quiet)
        {
            if (pacing > TimeSpan.Zero)
            {
                // chat sleeps before every character; so do we, one write per character.
                FlushRun();
                _parts.Add(new SendPart.Pause(pacing));
            }

            _run.Add(b);
            var visible = new StringBuilder(4);
            AppendVisible(visible, b);
            AppendDisplay(_runDisplay, ref _runEndsHidden, visible.ToString(), quiet);
            AppendDisplay(_display, ref _displayEndsHidden, visible.ToString(), quiet);
            if (quiet)
            {
                _secret.Add(b);
            }
            else
            {
                EndSecret();
            }

            if (pacing > TimeSpan.Zero)
            {
                FlushRun();
            }
        }

        private static void AppendDisplay(StringBuilder display, ref bool endsHidden, string text, bool hidden)
        {
            if (!hidden)
            {
                display.Append(text);
                endsHidden = false;
            }
            else if (!endsHidden)
            {
                display.Append(Hidden);
                endsHidden = true;
            }
        }

        private void FlushRun()
        {
            if (_run.Count > 0)
            {
                _parts.Add(new SendPart.Write([.. _run], _runDisplay.ToString()));
            }

            _run.Clear();
            _runDisplay.Clear();
            _runEndsHidden = false;
        }

        private void EndSecret()
        {
            if (_secret.Count > 0)
            {
                _secrets.Add([.. _secret]);
            }

            _secret.Clear();
        }
    }
}
