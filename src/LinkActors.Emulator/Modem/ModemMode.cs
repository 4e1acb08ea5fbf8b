namespace LinkActors.Emulator.Modem;

/// <summary>What the modem does with the octets it receives (V.250 §5.1).</summary>
public enum ModemMode
{
    /// <summary>Starting after power-up or reset: input is ignored until the ready lines.</summary>
    Booting,

    /// <summary>Commands are answered; no call.</summary>
    Command,

    /// <summary>ATD accepted, waiting for CONNECT or NO CARRIER; input is ignored.</summary>
    Dialing,

    /// <summary>A call is up and octets are bridged to the server.</summary>
    Data,

    /// <summary>A call is up, but after <c>+++</c> the modem answers commands; ATO resumes, ATH hangs up.</summary>
    OnlineCommand,
}
