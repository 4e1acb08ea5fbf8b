using LinkActors.Actors.Configuration;
using LinkActors.Actors.Network;
using LinkActors.Actors.Serial;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Actors.Link;

/// <summary>What a configured link runs on by default: its serial port, an in-process packet endpoint, the OS's randomness.</summary>
public static class LinkDependencyFactory
{
    public static LinkDependencies Default(LinkSettings link) => new(
        owner => SerialPortActor.Props(SerialPortSettings.FromLink(link), owner),
        PacketEndpointActor.Props,
        CryptoRandomSource.Instance);
}
