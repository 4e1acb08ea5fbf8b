using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Chat;

/// <summary>
/// The messages of a <see cref="ChatActor"/>. It takes no commands to start: it runs its script as
/// soon as it starts, and ends with exactly one <see cref="ChatCompleted"/>.
/// </summary>
public static class ChatProtocol
{
    /// <summary>
    /// Ends the script now, as pppd's SIGTERM ends chat: the outcome is Error with this reason,
    /// and <see cref="ChatCompleted"/> still comes.
    /// </summary>
    public sealed record Cancel(string Reason);

    /// <summary>
    /// A REPORT line as the modem sent it ("CONNECT 115200", "+CSQ: 8,0"), as soon as it is
    /// complete. \q secrets are already hidden.
    /// </summary>
    public sealed record ModemReported(string Script, string Line);

    /// <summary>
    /// The script is over; the chat actor stops right after sending this.
    /// </summary>
    /// <param name="Outcome">How it ended, in chat(8)'s exit-code classes.</param>
    /// <param name="Modem">What the modem said about itself and the network; null when it said nothing of use.</param>
    /// <param name="Unread">
    /// Bytes received but never read by an expect: after CONNECT they are the first bytes of PPP,
    /// to be handed to the next reader of the port.
    /// </param>
    /// <param name="Transcript">The transcript in chat -v's words, one entry a line, \q parts hidden.</param>
    public sealed record ChatCompleted(ChatOutcome Outcome, ModemInfo? Modem, ReadOnlyMemory<byte> Unread, string Transcript)
    {
        /// <summary>Which script this was ("connect", "disconnect", ...), as the chat actor was named.</summary>
        public string Script { get; init; } = string.Empty;

        public override string ToString() =>
            $"ChatCompleted {{ Script = {Script}, Outcome = {Outcome}, Modem = {(Modem is null ? "none" : Modem.Describe())}, Unread = {Unread.Length} bytes, Transcript = {Transcript.Length} chars }}";
    }
}
