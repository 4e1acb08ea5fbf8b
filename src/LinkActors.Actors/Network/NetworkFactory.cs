using Akka.Actor;
using LinkActors.Actors.Configuration;

namespace LinkActors.Actors.Network;

/// <summary>
/// Chooses a link's network side from `network.mode`: a <see cref="TunActor"/> (a kernel interface with
/// routes, DNS and scripts), or the in-process <see cref="PacketEndpointActor"/>. `auto` means tun when
/// the process is privileged, endpoint otherwise.
/// </summary>
public static class NetworkFactory
{
    /// <summary>The mode `auto` stands for in this process.</summary>
    public static NetworkMode Resolve(NetworkMode configured) => configured switch
    {
        NetworkMode.Auto => Environment.IsPrivilegedProcess ? NetworkMode.Tun : NetworkMode.Endpoint,
        _ => configured,
    };

    /// <summary>
    /// The network side's Props given the framing actor, for <see cref="Link.LinkDependencies.NetworkProps"/>.
    /// With <paramref name="networkNamespace"/> (a name under /run/netns) the interface and the netlink
    /// socket are created inside that namespace; null means the daemon's own.
    /// </summary>
    public static Func<IActorRef, Props> For(LinkSettings link, string? networkNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(link);
        return Resolve(link.Network.Mode) == NetworkMode.Tun
            ? framing => TunActor.Props(framing, link, networkNamespace)
            : PacketEndpointActor.Props;
    }
}
