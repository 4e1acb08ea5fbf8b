using System.Globalization;
using System.Net;

namespace LinkActors.Linux.Scripts;

/// <summary>The link facts every script gets.</summary>
/// <param name="Interface">IFNAME, e.g. ppp0.</param>
/// <param name="Device">DEVICE: the line as configured (tty path, socket:host:port, stdio).</param>
/// <param name="Speed">SPEED: the configured line speed.</param>
/// <param name="LinkName">LINKNAME: the link's name in the configuration.</param>
/// <param name="IpParam">IPPARAM: the configured ipparam; "" for none.</param>
/// <param name="PeerName">PEERNAME: the name the peer authenticated with, or null.</param>
public sealed record ScriptLink(string Interface, string Device, int Speed, string LinkName, string IpParam, string? PeerName);

/// <summary>What a down script also gets: how long the link was up and what it carried.</summary>
public sealed record ScriptTotals(TimeSpan ConnectTime, long BytesSent, long BytesReceived);

/// <summary>
/// Builds the argument vector and environment pppd gives its scripts (pppd(8), "SCRIPTS"):
/// ip-up / ip-down get "interface-name tty-device speed local-IP-address remote-IP-address ipparam",
/// ipv6-up / ipv6-down the same with the link-local addresses; the environment holds the same facts
/// by name. Pure: the caller runs it with <see cref="ScriptRunner"/>.
/// </summary>
public static class PppdScriptArguments
{
    public static ScriptInvocation Ipv4(string path, ScriptLink link, IPAddress? local, IPAddress? remote,
        IPAddress? dns1, IPAddress? dns2, bool usePeerDns, ScriptTotals? totals)
    {
        ArgumentNullException.ThrowIfNull(link);
        // pppd prints an unknown address (noremoteip) as 0.0.0.0.
        var localText = (local ?? IPAddress.Any).ToString();
        var remoteText = (remote ?? IPAddress.Any).ToString();
        var environment = Common(link, totals);
        environment["IPLOCAL"] = localText;
        environment["IPREMOTE"] = remoteText;
        if (usePeerDns)
        {
            environment["USEPEERDNS"] = "1";
            if (dns1 is not null)
                environment["DNS1"] = dns1.ToString();
            if (dns2 is not null)
                environment["DNS2"] = dns2.ToString();
        }
        return new ScriptInvocation(path, Positional(link, localText, remoteText), environment);
    }

    public static ScriptInvocation Ipv6(string path, ScriptLink link, IPAddress localLinkLocal, IPAddress remoteLinkLocal, ScriptTotals? totals)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(localLinkLocal);
        ArgumentNullException.ThrowIfNull(remoteLinkLocal);
        var environment = Common(link, totals);
        environment["LLLOCAL"] = localLinkLocal.ToString();
        environment["LLREMOTE"] = remoteLinkLocal.ToString();
        return new ScriptInvocation(path, Positional(link, localLinkLocal.ToString(), remoteLinkLocal.ToString()), environment);
    }

    private static List<string> Positional(ScriptLink link, string local, string remote) =>
        [link.Interface, link.Device, link.Speed.ToString(CultureInfo.InvariantCulture), local, remote, WithoutNul(link.IpParam)];

    // execve(2) ends every string at a NUL: a peer name carrying one would be cut short, or refused.
    private static string WithoutNul(string value) => value.Replace('\0', '?');

    private static Dictionary<string, string> Common(ScriptLink link, ScriptTotals? totals)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["IFNAME"] = link.Interface,
            ["DEVICE"] = link.Device,
            ["SPEED"] = link.Speed.ToString(CultureInfo.InvariantCulture),
            ["LINKNAME"] = link.LinkName,
            ["PPPD_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        };
        if (link.IpParam.Length > 0)
            environment["IPPARAM"] = WithoutNul(link.IpParam);
        if (link.PeerName is { Length: > 0 } peer)
            environment["PEERNAME"] = WithoutNul(peer);
        if (totals is not null)
        {
            environment["CONNECT_TIME"] = ((long)totals.ConnectTime.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            environment["BYTES_SENT"] = totals.BytesSent.ToString(CultureInfo.InvariantCulture);
            environment["BYTES_RCVD"] = totals.BytesReceived.ToString(CultureInfo.InvariantCulture);
        }
        return environment;
    }
}
