using Akka.Actor;
using LinkActors.Actors.Serial;

namespace LinkActors.Actors.Cmux;

/// <summary>
/// One channel of the mux, seen from outside as a port: it speaks <see cref="SerialPort"/>'s commands and
/// passes them, sender kept, to the mux that owns the line.
/// </summary>
public sealed class CmuxChannelActor : ReceiveActor
{
    public CmuxChannelActor(int dlci, IActorRef mux) =>
        Receive<SerialPort.Command>(command => mux.Forward(new CmuxProtocol.ChannelCommand(dlci, command)));

    public static Props Props(int dlci, IActorRef mux) => Akka.Actor.Props.Create(() => new CmuxChannelActor(dlci, mux));
}
