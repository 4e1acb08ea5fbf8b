using System.Globalization;
using System.Net;

namespace LinkActors.Emulator.Modem;

/// <summary>
/// The PDP contexts' addresses (3GPP TS 27.007 §10.1.14 +CGPADDR, §10.1.23 +CGCONTRDP): the context a call
/// runs in has the address its PPP gave the client; and the "stale PDP" fault, where the modem keeps a context
/// active with another address than the one its PPP hands out. Caller holds the lock in every method here.
/// </summary>
public sealed partial class ModemEmulator
{
    private IPAddress? _stalePdpAddress;
    private int _lastCallCid = 1;

    /// <summary>The context the stale-PDP fault applies to: the current call's, else the last call's (1 before any).</summary>
    private int DataCid => _call?.Cid ?? _lastCallCid;

    /// <summary>As <see cref="Faults.ModemFaults.StalePdp"/>; null ends the fault.</summary>
    internal void SetStalePdp(IPAddress? address) => Locked(() =>
    {
        _stalePdpAddress = address;
        Note(address is null ? "fault: stale PDP context off" : $"fault: stale PDP context on: AT+CGPADDR answers {address}");
    });

    private bool IsContextActive(int cid) => _call?.Cid == cid || (_stalePdpAddress is not null && cid == DataCid);

    private IPAddress? ContextAddress(int cid) =>
        _stalePdpAddress is { } stale && cid == DataCid ? stale
        : _call?.Cid == cid ? _call.PeerAddress
        : null;

    private SortedSet<int> KnownCids()
    {
        var cids = new SortedSet<int>(_contexts.Keys);
        if (_call is not null)
            cids.Add(_call.Cid);
        if (_stalePdpAddress is not null)
            cids.Add(DataCid);
        return cids;
    }

    /// <summary>AT+CGPADDR[=&lt;cid&gt;[,&lt;cid&gt;...]]: one line per context; 0.0.0.0 for one without an address.</summary>
    private ResultCode ContextAddresses(string? argument)
    {
        var cids = KnownCids();
        if (!string.IsNullOrEmpty(argument))
        {
            cids.Clear();
            foreach (string field in argument.Split(','))
            {
                if (!int.TryParse(field.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int cid) || cid > 15)
                    return ResultCode.Error;
                cids.Add(cid);
            }
        }
        return InfoOk([.. cids.Select(cid => $"+CGPADDR: {cid},\"{ContextAddress(cid) ?? IPAddress.Any}\"")]);
    }

    /// <summary>AT+CGCONTRDP: the dynamic parameters of the active contexts (an address with its /32 mask).</summary>
    private ResultCode ContextDynamicParameters()
    {
        var lines = KnownCids().Where(IsContextActive).Select(cid =>
        {
            string apn = _contexts.TryGetValue(cid, out var context) ? context.Apn : "";
            string address = ContextAddress(cid) is { } a ? $"{a}.255.255.255.255" : "";
            return $"+CGCONTRDP: {cid},5,\"{apn}\",\"{address}\"";
        });
        return InfoOk([.. lines]);
    }
}
