using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Auth;

/// <summary>
/// What the link decides about authentication once LCP has agreed who authenticates whom
/// (RFC 1661 §3.5): the rules the link actors execute and the tests check, written once.
/// </summary>
public static class AuthRules
{
    /// <summary>The method an authentication protocol number stands for; None for any other protocol.</summary>
    public static AuthMethod MethodOf(ushort protocol) => protocol switch
    {
        PppProtocol.Pap => AuthMethod.Pap,
        PppProtocol.Chap => AuthMethod.ChapMd5,
        _ => AuthMethod.None,
    };

    /// <summary>
    /// The peer sent a Protocol-Reject for PAP or CHAP (RFC 1661 §5.7): an authentication still pending
    /// over that protocol cannot finish, so it fails with the reason (pppd's upap_protrej and
    /// chap_protrej). Null when nothing pending used that protocol (the reject changes nothing).
    /// </summary>
    public static AuthFailed? ProtocolRejected(ushort protocol, AuthMethod peerMustDo, bool serverDone, AuthMethod weMustDo, bool clientDone)
    {
        var method = MethodOf(protocol);
        if (method == AuthMethod.None)
            return null;
        string reason = $"peer rejected {PppProtocol.Name(protocol)} (Protocol-Reject)";
        if (!serverDone && peerMustDo == method)
            return new AuthFailed(protocol, AuthRole.Server, reason);
        if (!clientDone && weMustDo == method)
            return new AuthFailed(protocol, AuthRole.Client, reason);
        return null;
    }
}
