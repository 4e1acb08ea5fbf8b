using Akka.Actor;
using LinkActors.Actors.Serial;
using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Cmux;

/// <summary>
/// What the multiplexer tells the link beyond the port protocol it speaks on its data channel
/// (<see cref="SerialPort"/>), and what the modem monitor reports.
/// </summary>
public static class CmuxProtocol
{
    /// <summary>The mux is up; <paramref name="AtChannel"/> speaks the port protocol on the modem's AT channel.</summary>
    public sealed record Multiplexed(string Link, IActorRef AtChannel, int N1);

    /// <summary>The modem refused AT+CMUX (or did not answer): the line runs the plain way.</summary>
    public sealed record NotMultiplexed(string Link, string Reason);

    /// <summary>The modem monitor's answers of one poll, merged into what is known of the modem.</summary>
    public sealed record ModemPolled(string Link, ModemInfo Modem);

    /// <summary>
    /// The modem says it is not registered (or has no active data context) while PPP is up: the data path
    /// is gone whatever the data-path window will say later.
    /// </summary>
    public sealed record DetachedWhilePppUp(string Link, string Reason);

    /// <summary>A command for one channel, as the channel actor passes it to the mux (the sender is kept).</summary>
    internal sealed record ChannelCommand(int Dlci, SerialPort.Command Command);
}
