namespace LinkActors.Emulator.Profiles;

/// <summary>The &lt;stat&gt; of +CREG, +CGREG and +CEREG (3GPP TS 27.007 §7.2, §10.1.20, §10.1.22).</summary>
public enum RegistrationStatus
{
    NotSearching = 0,
    Home = 1,
    Searching = 2,
    Denied = 3,
    Unknown = 4,
    Roaming = 5,
}
