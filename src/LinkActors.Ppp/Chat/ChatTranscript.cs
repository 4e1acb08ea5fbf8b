namespace LinkActors.Ppp.Chat;

/// <summary>What a transcript line is about.</summary>
public enum ChatTranscriptKind
{
    /// <summary>A directive took effect: "abort on (BUSY)", "timeout set to 120 seconds".</summary>
    Directive,

    /// <summary>"expect (OK)".</summary>
    Expect,

    /// <summary>"send (AT^M)", \q parts as ??????.</summary>
    Send,

    /// <summary>A line (or the part up to a match) the modem sent, CR shown as ^M.</summary>
    Received,

    /// <summary>" -- got it".</summary>
    Matched,

    /// <summary>" -- failed (NO CARRIER)": an abort string came.</summary>
    Aborted,

    /// <summary>" -- timed out".</summary>
    TimedOut,

    /// <summary>A SAY text.</summary>
    Say,

    /// <summary>A REPORT line.</summary>
    Report,

    /// <summary>The outcome.</summary>
    Finished,
}

/// <summary>One line of the transcript, in chat -v's words; secrets are already hidden.</summary>
public sealed record ChatTranscriptEntry(TimeSpan At, ChatTranscriptKind Kind, string Text)
{
    public override string ToString() => Text;
}

/// <summary>
/// A send string and what the modem said after it, up to the next send (secrets hidden). The
/// command is in log form without its final ^M; the response is the raw text with CR and LF.
/// Lets <see cref="ModemInfo"/> tell which answer belongs to ATI even with echo off.
/// </summary>
public sealed record ChatExchange(string Command, string Response);
