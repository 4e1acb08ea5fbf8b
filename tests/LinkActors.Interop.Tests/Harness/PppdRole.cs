namespace LinkActors.Interop.Tests.Harness;

/// <summary>Which end of the link the real pppd plays.</summary>
public enum PppdRole
{
    /// <summary>pppd waits to be dialed ("passive"), is 10.0.0.1 and assigns 10.0.0.2 to the caller.</summary>
    Server,

    /// <summary>pppd dials in ("noipdefault"): it takes the address the other end gives it.</summary>
    Client,
}
