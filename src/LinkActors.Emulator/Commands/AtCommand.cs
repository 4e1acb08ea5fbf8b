namespace LinkActors.Emulator.Commands;

/// <summary>How an AT command was written (V.250 §5.4; 3GPP TS 27.007 §4.1).</summary>
public enum AtCommandForm
{
    /// <summary><c>ATZ</c>, <c>ATE0</c>, <c>AT+CSQ</c>.</summary>
    Execute,

    /// <summary><c>AT+COPS?</c>, <c>ATS3?</c>.</summary>
    Read,

    /// <summary><c>AT+CGDCONT=?</c>.</summary>
    Test,

    /// <summary><c>AT+CGDCONT=1,"IP","apn"</c>, <c>ATS0=1</c>.</summary>
    Set,
}

/// <summary>
/// One command of a command line. <see cref="Name"/> is upper case: a letter (<c>E</c>, <c>D</c>), an
/// ampersand command (<c>&amp;D</c>), an S-register (<c>S3</c>) or an extended name (<c>+CGDCONT</c>).
/// <see cref="Argument"/> is the number after a basic command, the dial string, or the text after '='.
/// </summary>
public sealed record AtCommand(string Name, AtCommandForm Form, string Argument)
{
    /// <summary>The numeric argument of a basic command, 0 when absent (V.250 §5.3.1).</summary>
    public int Number => Argument.Length == 0 ? 0 : int.TryParse(Argument, out int n) ? n : -1;

    public override string ToString() => Form switch
    {
        AtCommandForm.Read => Name + "?",
        AtCommandForm.Test => Name + "=?",
        AtCommandForm.Set => Name + "=" + Argument,
        _ => Name + Argument,
    };
}
