using System.Net;
using System.Net.Sockets;

namespace LinkActors.Ppp.Chat;

/// <summary>A named fact found in the modem's answers about its data side, in plain words.</summary>
/// <param name="Code">pdp-address-mismatch, not-attached.</param>
public sealed record ModemDataFinding(string Code, string Text);

/// <summary>
/// What the modem's answers after a dead data path say about it: is the modem attached for data
/// (AT+CGATT?, 3GPP TS 27.007 §10.1.9), and is the address of its PDP context (AT+CGPADDR §10.1.14,
/// AT+CGCONTRDP §10.1.23) the one IPCP gave PPP (RFC 1332 §3.3)? A modem whose context holds another
/// address carries our packets into a context that is not ours (a stale context left from an earlier call):
/// LCP and IPCP look healthy, and nothing comes back.
/// </summary>
public static class ModemDataCheck
{
    public const string AddressMismatch = "pdp-address-mismatch";
    public const string NotAttached = "not-attached";

    public static IReadOnlyList<ModemDataFinding> Examine(ModemInfo answers, IPAddress? ipcpAddress)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var findings = new List<ModemDataFinding>();
        if (answers.PacketAttached == false)
        {
            findings.Add(new ModemDataFinding(NotAttached,
                "the modem is not attached to the packet domain (AT+CGATT? answers 0): it has no data service at all"));
        }
        if (ipcpAddress is { AddressFamily: AddressFamily.InterNetwork } ours
            && answers.PdpContexts?.Where(c => c.Address is not null).ToList() is { Count: > 0 } addressed
            && !addressed.Any(c => ours.Equals(c.Address)))
        {
            // The active ones first: the context the modem carries data in is the one that matters.
            var theirs = addressed.OrderByDescending(c => c.Active == true).ToList();
            string contexts = string.Join(", ", theirs.Select(c => $"context {c.Cid}{(c.Active == true ? " (active)" : "")} has {c.Address}"));
            findings.Add(new ModemDataFinding(AddressMismatch,
                $"the modem's data context is not the one PPP uses: IPCP gave PPP {ours}, but {contexts}"));
        }
        return findings;
    }
}
