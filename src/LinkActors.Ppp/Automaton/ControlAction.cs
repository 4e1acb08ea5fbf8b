namespace LinkActors.Ppp.Automaton;

/// <summary>Actions of the option negotiation automaton (RFC 1661 §4.4), as flags so one cell can name several.</summary>
[Flags]
public enum ControlAction
{
    None = 0,
    /// <summary>tlu: This-Layer-Up.</summary>
    Tlu = 1 << 0,
    /// <summary>tld: This-Layer-Down.</summary>
    Tld = 1 << 1,
    /// <summary>tls: This-Layer-Started.</summary>
    Tls = 1 << 2,
    /// <summary>tlf: This-Layer-Finished.</summary>
    Tlf = 1 << 3,
    /// <summary>irc: Initialize-Restart-Count.</summary>
    Irc = 1 << 4,
    /// <summary>zrc: Zero-Restart-Count.</summary>
    Zrc = 1 << 5,
    /// <summary>scr: Send-Configure-Request.</summary>
    Scr = 1 << 6,
    /// <summary>sca: Send-Configure-Ack.</summary>
    Sca = 1 << 7,
    /// <summary>scn: Send-Configure-Nak/Rej.</summary>
    Scn = 1 << 8,
    /// <summary>str: Send-Terminate-Request.</summary>
    Str = 1 << 9,
    /// <summary>sta: Send-Terminate-Ack.</summary>
    Sta = 1 << 10,
    /// <summary>scj: Send-Code-Reject.</summary>
    Scj = 1 << 11,
    /// <summary>ser: Send-Echo-Reply.</summary>
    Ser = 1 << 12,
}
