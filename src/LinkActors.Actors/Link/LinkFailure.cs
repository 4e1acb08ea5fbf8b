namespace LinkActors.Actors.Link;

/// <summary>
/// Why a link ended, with pppd's exit status as the shared vocabulary (pppd(8) "EXIT STATUS")
/// and our own reasons beyond it; <see cref="Message"/> is for a person.
/// </summary>
public sealed record LinkFailure(int ExitCode, string Code, string Message)
{
    public static LinkFailure UserRequest(string message) => new(5, "user-request", message);
    public static LinkFailure LockFailed(string message) => new(6, "lock-failed", message);
    public static LinkFailure OpenFailed(string message) => new(7, "open-failed", message);
    public static LinkFailure ConnectFailed(string message) => new(8, "connect-failed", message);
    public static LinkFailure NegotiationFailed(string message) => new(10, "negotiation-failed", message);
    public static LinkFailure PeerAuthFailed(string message) => new(11, "peer-auth-failed", message);
    public static LinkFailure ConnectTime(string message) => new(13, "connect-time", message);
    public static LinkFailure PeerDead(string message) => new(15, "peer-dead", message);
    public static LinkFailure Hangup(string message) => new(16, "hangup", message);
    public static LinkFailure Loopback(string message) => new(17, "loopback", message);
    public static LinkFailure AuthToPeerFailed(string message) => new(19, "auth-to-peer-failed", message);
    public static LinkFailure Internal(string message) => new(1, "fatal-error", message);
    /// <summary>Ours: the attempt's supervisor itself failed (threw, or stopped without saying how the link ended).</summary>
    public static LinkFailure AttemptCrashed(string message) => new(1, "attempt-crashed", message);
    /// <summary>Ours, beyond pppd: PPP is up and sending, but nothing comes back.</summary>
    public static LinkFailure DeadDataPath(string message) => new(32, "dead-data-path", message);
    /// <summary>Ours: the modem never registered with the network.</summary>
    public static LinkFailure NotRegistered(string message) => new(33, "not-registered", message);

    public override string ToString() => $"{Code} ({ExitCode}): {Message}";
}
