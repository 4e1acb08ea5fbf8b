using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Auth;

/// <summary>
/// Authentication finished well. For <see cref="AuthRole.Server"/>, <see cref="Addresses"/> holds the
/// addresses the matched secret lets the peer use (pppd's fourth column), for IPCP to enforce.
/// </summary>
public sealed record AuthSucceeded(ushort Protocol, AuthRole Role, string PeerName, string Message) : EngineOutput
{
    public AllowedAddresses? Addresses { get; init; }

    public override string ToString() =>
        $"AuthSucceeded {{ Protocol = {PppProtocol.Name(Protocol)}, Role = {Role}, PeerName = {PeerName}, Message = {Message} }}";
}

/// <summary>Authentication failed; <see cref="Reason"/> says why in words fit for a log (never a secret).</summary>
public sealed record AuthFailed(ushort Protocol, AuthRole Role, string Reason) : EngineOutput
{
    public override string ToString() => $"AuthFailed {{ Protocol = {PppProtocol.Name(Protocol)}, Role = {Role}, Reason = {Reason} }}";
}
