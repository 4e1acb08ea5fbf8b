using System.Net;

namespace LinkActors.Interop.Tests.Link;

/// <summary>
/// Our end of the link, as the interop tests drive it over a pty: the real "linkactors run" process
/// (<see cref="ActorsLink"/>). The tests only use this contract.
/// </summary>
public interface ILinkUnderTest : IAsyncDisposable
{
    /// <summary>Opens <paramref name="ttyPath"/> and starts the link; raw line bytes go to <paramref name="recordPath"/> (pppd record format).</summary>
    Task StartAsync(string ttyPath, string recordPath, CancellationToken cancellationToken = default);

    /// <summary>What the link knows now.</summary>
    LinkUnderTestStatus Status { get; }

    /// <summary>Waits until every configured network protocol is up (IPCP, and IPV6CP when asked for).</summary>
    Task WaitForNetworkAsync(TimeSpan timeout);

    /// <summary>Sends ICMP echo requests of <paramref name="size"/> octets (the whole IP packet) until one is answered.</summary>
    /// <returns>The round trip of the answered request.</returns>
    Task<TimeSpan> PingAsync(IPAddress destination, int size, TimeSpan timeout);

    /// <summary>Ends the link from our side (LCP Terminate-Request) and waits until it is finished.</summary>
    Task CloseAsync(TimeSpan timeout);

    /// <summary>Waits until the link has finished, whoever ended it.</summary>
    Task WaitForFinishedAsync(TimeSpan timeout);
}
