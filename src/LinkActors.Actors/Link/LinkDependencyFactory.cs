using Akka.Actor;
using LinkActors.Actors.Cmux;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Network;
using LinkActors.Actors.Serial;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Actors.Link;

/// <summary>What a configured link runs on: its serial port, its network side, the OS's randomness.</summary>
public static class LinkDependencyFactory
{
    /// <summary>The network side the link's `network.mode` asks for: a TUN interface (root) or the in-process endpoint.</summary>
    public static LinkDependencies FromConfig(LinkSettings link) => Default(link) with { NetworkProps = NetworkFactory.For(link) };

    /// <summary>Always the in-process packet endpoint: links inside a process that must not touch the host's interfaces.</summary>
    public static LinkDependencies Default(LinkSettings link) => new(
        PortProps(link),
        PacketEndpointActor.Props,
        CryptoRandomSource.Instance);

    /// <summary>The port; with `modem.cmux` on, the multiplexer standing in front of it (it speaks the port's protocol).</summary>
    public static Func<IActorRef, Props> PortProps(LinkSettings link)
    {
        Func<IActorRef, Props> port = owner => SerialPortActor.Props(SerialPortSettings.FromLink(link), owner);
        return link.Modem.Cmux ? owner => CmuxActor.Props(link, port, owner) : port;
    }
}
