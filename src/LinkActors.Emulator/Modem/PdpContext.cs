namespace LinkActors.Emulator.Modem;

/// <summary>A context defined with +CGDCONT (3GPP TS 27.007 §10.1.1); lost on reset.</summary>
internal sealed record PdpContext(int Cid, string PdpType, string Apn, IReadOnlyList<string> Rest)
{
    public string ToReadLine()
    {
        string rest = Rest.Count == 0 ? "" : "," + string.Join(",", Rest);
        return $"+CGDCONT: {Cid},\"{PdpType}\",\"{Apn}\"{rest}";
    }
}
