namespace LinkActors.Emulator.Modem;

/// <summary>Final result codes; the value is the numeric form sent after ATV0 (V.250 §5.7.1).</summary>
internal enum ResultCode
{
    Ok = 0,
    Connect = 1,
    NoCarrier = 3,
    Error = 4,

    /// <summary>No final result yet: a dial answers later with CONNECT or NO CARRIER.</summary>
    Pending = -1,
}
