namespace LinkActors.Ppp.Auth;

/// <summary>An authentication protocol as LCP's Authentication-Protocol option names it (RFC 1661 §6.2).</summary>
public enum AuthMethod
{
    None,
    /// <summary>PAP, RFC 1334 §2.</summary>
    Pap,
    /// <summary>CHAP with MD5, RFC 1994 (algorithm 5).</summary>
    ChapMd5,
}

/// <summary>Which side of an authentication exchange we are on.</summary>
public enum AuthRole
{
    /// <summary>We prove who we are to the peer (pppd: "authenticate with peer").</summary>
    Client,
    /// <summary>We check who the peer is (pppd: "authenticate peer").</summary>
    Server,
}

/// <summary>Where an authentication machine is.</summary>
public enum AuthProgress
{
    /// <summary>Not started (or stopped because the link went down).</summary>
    Idle,
    /// <summary>Exchange in progress.</summary>
    Pending,
    Succeeded,
    Failed,
}
