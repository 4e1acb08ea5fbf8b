namespace LinkActors.Ppp.Automaton;

/// <summary>
/// Timers, counters and options of one control protocol's automaton (RFC 1661 §4.6). The defaults
/// are pppd's, which are also the RFC's suggested values.
/// </summary>
public sealed record ControlEngineSettings
{
    public static ControlEngineSettings Default { get; } = new();

    /// <summary>Restart timer: how long to wait for a reply before retransmitting (§4.6: 3 seconds).</summary>
    public TimeSpan RestartInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Max-Configure: Configure-Requests sent without an answer before giving up (§4.6: 10).</summary>
    public int MaxConfigure { get; init; } = 10;

    /// <summary>Max-Terminate: Terminate-Requests sent without a Terminate-Ack before closing anyway (§4.6: 2).</summary>
    public int MaxTerminate { get; init; } = 2;

    /// <summary>Max-Failure: Configure-Naks sent without an Ack before Naks turn into Rejects (§4.6: 5).</summary>
    public int MaxFailure { get; init; } = 5;

    /// <summary>[p] after Max-Configure unanswered requests, wait for the peer instead of finishing (pppd's "passive").</summary>
    public bool Passive { get; init; }

    /// <summary>Do not send the first Configure-Request; wait for the peer's (pppd's "silent").</summary>
    public bool Silent { get; init; }

    /// <summary>[r] an Open in Stopped, Closing, Stopping or Opened renegotiates (Down then Up, §4.3).</summary>
    public bool Restart { get; init; }

    public TableOptions TableOptions =>
        (Restart ? TableOptions.Restart : TableOptions.None)
        | (Passive ? TableOptions.Passive : TableOptions.None)
        | (Silent ? TableOptions.Silent : TableOptions.None);

    /// <summary>Throws naming the first setting that makes no sense.</summary>
    public void Validate()
    {
        if (RestartInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RestartInterval), RestartInterval, "the restart interval must be positive");
        // Each counter counts transmissions, including the first (§4.4 irc), so each needs at least one.
        if (MaxConfigure < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxConfigure), MaxConfigure, "at least one Configure-Request must be sent");
        if (MaxTerminate < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxTerminate), MaxTerminate, "at least one Terminate-Request must be sent");
        if (MaxFailure < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxFailure), MaxFailure, "must not be negative");
    }
}
