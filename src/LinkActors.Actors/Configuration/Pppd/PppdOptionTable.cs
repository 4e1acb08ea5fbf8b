namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>
/// Every option pppd 2.4/2.5 knows (general, auth, tty, LCP, IPCP, IPv6CP, CCP, PAP, CHAP, EAP),
/// with its number of arguments and what LinkActors makes of it. A word that is neither in the
/// table nor a device, a speed or an address pair is an error, as in pppd.
/// </summary>
public static class PppdOptionTable
{
    private const string Compression = "compression is not implemented: it is always off";
    private const string Multilink = "multilink (RFC 1990) is not implemented";
    private const string DataPath = "for the data path (routes, interface), which LinkSettings does not describe yet";
    private const string Eap = "EAP is not implemented";
    private const string Mppe = "MPPE encryption is not implemented";

    private static readonly List<PppdOptionSpec> s_all = Build();
    private static readonly Dictionary<string, PppdOptionSpec> s_byName = s_all.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>Every row, in the order of pppd's sources.</summary>
    public static IReadOnlyList<PppdOptionSpec> All => s_all;

    public static PppdOptionSpec Device { get; } = new(PppdOptionSpec.DeviceName, 0, PppdOptionKind.Mapped,
        "device (a path under /dev, or a name there: ttyS0 is /dev/ttyS0)", PppdOptionSpec.DeviceName, "device");

    public static PppdOptionSpec Speed { get; } = new(PppdOptionSpec.SpeedName, 0, PppdOptionKind.Mapped,
        "speed", PppdOptionSpec.SpeedName, "speed");

    public static PppdOptionSpec Addresses { get; } = new(PppdOptionSpec.AddressesName, 0, PppdOptionKind.Mapped,
        "ipcp.local and ipcp.remote (local:remote, either may be left out)", PppdOptionSpec.AddressesName, "addresses", Accumulates: true);

    /// <summary>Unknown words after a <c>plugin</c> option are taken to be the plugin's own options.</summary>
    internal static PppdOptionSpec PluginOption(string name) =>
        new(name, 0, PppdOptionKind.Unsupported, "not a pppd option; perhaps an option of the plugin loaded before it", name, name, Accumulates: true);

    public static PppdOptionSpec? Find(string name) => s_byName.GetValueOrDefault(name);

    private static List<PppdOptionSpec> Build()
    {
        var table = new List<PppdOptionSpec>();

        void Add(string name, int args, PppdOptionKind kind, string meaning, string? group = null, bool accumulates = false, bool hidden = false) =>
            table.Add(new PppdOptionSpec(name, args, kind, meaning, name, group ?? name, accumulates, hidden));
        void Map(string name, int args, string meaning, string? group = null, bool accumulates = false) =>
            Add(name, args, PppdOptionKind.Mapped, meaning, group, accumulates);
        void Accept(string name, int args, string reason, string? group = null) =>
            Add(name, args, PppdOptionKind.Accepted, reason, group);
        void Record(string name, int args, string meaning, string? group = null, bool accumulates = false) =>
            Add(name, args, PppdOptionKind.Recorded, meaning, group, accumulates);
        void No(string name, int args, string reason, string? group = null, bool accumulates = false) =>
            Add(name, args, PppdOptionKind.Unsupported, reason, group, accumulates);
        void Alias(string alias, string canonical)
        {
            var target = table.Single(s => s.Name == canonical);
            table.Add(target with { Name = alias });
        }

        // General options (pppd's options.c).
        Record("debug", 0, "log level: each debug raises it; LinkSettings has no log level, the host's logging decides", accumulates: true);
        Alias("-d", "debug");
        Accept("kdebug", 1, "kernel driver debugging: LinkActors runs no kernel driver");
        Accept("nodetach", 0, "LinkActors stays in the foreground under its service manager", "detach");
        Alias("-detach", "nodetach");
        Accept("updetach", 0, "LinkActors stays in the foreground under its service manager", "detach");
        Accept("up_sdnotify", 0, "LinkActors tells systemd itself when it is ready", "detach");
        Accept("master_detach", 0, Multilink);
        Map("holdoff", 1, "holdoff (seconds)");
        No("idle", 1, "disconnecting an idle link is not implemented");
        Map("maxconnect", 1, "maxconnect (seconds)");
        No("domain", 1, "a domain name for the host name is not implemented");
        Add("file", 1, PppdOptionKind.Include, "read options from the file", accumulates: true);
        Add("call", 1, PppdOptionKind.Include, "read options from /etc/ppp/peers/NAME", accumulates: true);
        Map("persist", 0, "persist = true", "persist");
        Map("nopersist", 0, "persist = false", "persist");
        No("demand", 0, "dial on demand is not implemented", "persist");
        No("--version", 0, "a pppd command, not a link option");
        No("--help", 0, "a pppd command, not a link option");
        Alias("-h", "--help");
        Accept("logfile", 1, "LinkActors logs through its host's logging configuration", "log");
        Accept("logfd", 1, "LinkActors logs through its host's logging configuration", "log");
        Accept("nolog", 0, "LinkActors logs through its host's logging configuration", "log");
        Accept("nologfd", 0, "LinkActors logs through its host's logging configuration", "log");
        Record("linkname", 1, "the link's name for pid files and scripts (the HOCON link name is the peers file's name)");
        Map("maxfail", 1, "maxfail");
        Accept("ktune", 0, "kernel tuning (ip_dynaddr): LinkActors changes no kernel settings", "ktune");
        Accept("noktune", 0, "kernel tuning (ip_dynaddr): LinkActors changes no kernel settings", "ktune");
        Map("connect-delay", 1, "connect-delay (milliseconds)");
        Record("unit", 1, "PPP interface unit number, " + DataPath);
        Record("ifname", 1, "interface name, " + DataPath);
        Record("dump", 0, "print the options in effect when the link starts (as linkactors call --dump)");
        Record("dryrun", 0, "print the options in effect and stop");
        Accept("child-timeout", 1, "LinkActors runs the chat scripts itself, not as child processes");
        No("set", 1, "environment variables for scripts are not implemented", accumulates: true);
        No("unset", 1, "environment variables for scripts are not implemented", accumulates: true);
        Record("defaultroute-metric", 1, "metric of the default route, " + DataPath);
        No("multilink", 0, Multilink, "multilink");
        Alias("mp", "multilink");
        Accept("nomultilink", 0, Multilink + ", so it is always off", "multilink");
        Alias("nomp", "nomultilink");
        No("bundle", 1, Multilink);
        No("plugin", 1, "pppd plugins (PPPoE, PPPoL2TP, PPPoATM, RADIUS, ...) are not supported", accumulates: true);
        No("pass-filter", 1, "packet filters are not implemented");
        No("active-filter", 1, "packet filters are not implemented");
        No("maxoctets", 1, "a traffic limit is not implemented");
        Alias("mo", "maxoctets");
        No("mo-direction", 1, "a traffic limit is not implemented");
        No("mo-timeout", 1, "a traffic limit is not implemented");

        // Authentication (auth.c).
        Map("auth", 0, "auth.require (chap or pap, whichever secrets file has entries)", "auth");
        Map("noauth", 0, "auth.require = none", "auth");
        Map("require-pap", 0, "auth.require = pap");
        Alias("+pap", "require-pap");
        Map("require-chap", 0, "auth.require = chap");
        Alias("+chap", "require-chap");
        No("require-mschap", 0, "MS-CHAP is not implemented");
        Alias("+mschap", "require-mschap");
        No("require-mschap-v2", 0, "MS-CHAPv2 is not implemented");
        Alias("+mschap-v2", "require-mschap-v2");
        No("require-eap", 0, Eap);
        Map("refuse-pap", 0, "auth.refuse-pap = true");
        Alias("-pap", "refuse-pap");
        Map("refuse-chap", 0, "auth.refuse-chap = true");
        Alias("-chap", "refuse-chap");
        Accept("refuse-mschap", 0, "MS-CHAP is not implemented, so it is always refused");
        Alias("-mschap", "refuse-mschap");
        Accept("refuse-mschap-v2", 0, "MS-CHAPv2 is not implemented, so it is always refused");
        Alias("-mschap-v2", "refuse-mschap-v2");
        Accept("refuse-eap", 0, Eap + ", so it is always refused");
        Map("name", 1, "auth.user when no user is given (pppd's own name)");
        Map("+ua", 1, "auth.user and auth.password from the first two lines of the file");
        Map("user", 1, "auth.user");
        Add("password", 1, PppdOptionKind.Mapped, "auth.password", hidden: true);
        No("usehostname", 0, "the host name as our authentication name is not implemented");
        Map("remotename", 1, "auth.remote-name");
        No("login", 0, "checking PAP against the system's password database is not implemented");
        No("enable-session", 0, "session accounting is not implemented");
        No("papcrypt", 0, "crypt()-ed PAP secrets are not implemented");
        No("privgroup", 1, "privileged groups are not implemented", accumulates: true);
        No("allow-ip", 1, "addresses allowed without authentication are not implemented", accumulates: true);
        No("allow-number", 1, "checking the caller's number is not implemented", accumulates: true);
        No("remotenumber", 1, "checking the caller's number is not implemented");

        // The serial line (tty.c).
        Map("lock", 0, "lock = true", "lock");
        Map("nolock", 0, "lock = false", "lock");
        No("init", 1, "an init script is not implemented: put its commands at the start of the connect chat script");
        Map("connect", 1, "connect (a chat command: its script file or inline script and flags)");
        Map("disconnect", 1, "disconnect (a chat command: its script file or inline script and flags)");
        No("welcome", 1, "a welcome script is not implemented");
        No("pty", 1, "running the link over a program's pseudo-terminal is not implemented");
        Map("notty", 0, "device = stdio");
        Map("socket", 1, "device = socket:HOST:PORT");
        Map("record", 1, "record (a pppdump file)");
        Map("crtscts", 0, "flow-control = crtscts", "flow");
        Map("nocrtscts", 0, "flow-control = none", "flow");
        Alias("-crtscts", "nocrtscts");
        No("cdtrcts", 0, "DTR/CTS flow control is not implemented", "flow");
        Map("nocdtrcts", 0, "flow-control = none", "flow");
        Map("xonxoff", 0, "flow-control = xonxoff, and ^Q ^S added to lcp.asyncmap", "flow");
        Map("modem", 0, "local = false", "modem");
        Map("local", 0, "local = true", "modem");
        No("sync", 0, "synchronous HDLC serial lines are not implemented");
        No("datarate", 1, "a data rate limit is not implemented");
        No("escape", 1, "escaping extra characters on transmit is not implemented");

        // LCP (lcp.c).
        Map("noaccomp", 0, "lcp.accomp = false");
        Alias("-ac", "noaccomp");
        Map("asyncmap", 1, "lcp.asyncmap (hex; several are OR-ed)", accumulates: true);
        Alias("-as", "asyncmap");
        Map("default-asyncmap", 0, "lcp.default-asyncmap = true");
        Alias("-am", "default-asyncmap");
        Map("nomagic", 0, "lcp.magic = false");
        Alias("-mn", "nomagic");
        No("default-mru", 0, "not negotiating the MRU is not implemented");
        Alias("-mru", "default-mru");
        Map("mru", 1, "lcp.mru");
        Map("mtu", 1, "lcp.mtu");
        Map("nopcomp", 0, "lcp.pcomp = false");
        Alias("-pc", "nopcomp");
        Map("passive", 0, "passive = true");
        Alias("-p", "passive");
        Map("silent", 0, "silent = true");
        Map("lcp-echo-failure", 1, "lcp.echo-failure");
        Map("lcp-echo-interval", 1, "lcp.echo-interval (seconds)");
        Map("lcp-echo-adaptive", 0, "lcp.echo-adaptive = true");
        No("lcp-rtt-file", 1, "recording echo round-trip times is not implemented");
        Map("lcp-restart", 1, "lcp.restart (seconds)");
        Map("lcp-max-terminate", 1, "lcp.max-terminate");
        Map("lcp-max-configure", 1, "lcp.max-configure");
        Map("lcp-max-failure", 1, "lcp.max-failure");
        No("receive-all", 0, "accepting all control characters is not implemented");
        No("mrru", 1, Multilink);
        No("mpshortseq", 0, Multilink);
        Accept("nompshortseq", 0, Multilink);
        No("endpoint", 1, "an endpoint discriminator is not implemented");
        Accept("noendpoint", 0, "LinkActors sends no endpoint discriminator");
        No("-all", 0, "negotiating no LCP options at all is not implemented");

        // IPCP (ipcp.c).
        Map("noip", 0, "ipcp.enabled = false");
        Alias("-ip", "noip");
        Accept("novj", 0, "Van Jacobson " + Compression);
        Alias("-vj", "novj");
        Accept("novjccomp", 0, "Van Jacobson " + Compression);
        Alias("-vjccomp", "novjccomp");
        No("vj-max-slots", 1, "Van Jacobson compression is not implemented");
        Map("ipcp-accept-local", 0, "ipcp.accept-local = true");
        Map("ipcp-accept-remote", 0, "ipcp.accept-remote = true");
        Record("ipparam", 1, "the parameter of ip-up/ip-down scripts (LinkSettings has no scripts yet)");
        Map("noipdefault", 0, "ipcp.noipdefault = true");
        Map("ms-dns", 1, "ipcp.ms-dns (the last two given)", accumulates: true);
        No("ms-wins", 1, "WINS servers are not implemented", accumulates: true);
        Map("ipcp-restart", 1, "ipcp.restart (seconds)");
        Map("ipcp-max-terminate", 1, "ipcp.max-terminate");
        Map("ipcp-max-configure", 1, "ipcp.max-configure");
        Map("ipcp-max-failure", 1, "ipcp.max-failure");
        Record("defaultroute", 0, "a default route through the link, " + DataPath, "defaultroute");
        Record("nodefaultroute", 0, "no default route through the link, " + DataPath, "defaultroute");
        Alias("-defaultroute", "nodefaultroute");
        Record("replacedefaultroute", 0, "replace an existing default route, " + DataPath, "replacedefaultroute");
        Record("noreplacedefaultroute", 0, "keep an existing default route, " + DataPath, "replacedefaultroute");
        No("proxyarp", 0, "proxy ARP is not implemented", "proxyarp");
        Accept("noproxyarp", 0, "proxy ARP is not implemented, so it is always off", "proxyarp");
        Alias("-proxyarp", "noproxyarp");
        Map("usepeerdns", 0, "ipcp.usepeerdns = true");
        No("usepeerwins", 0, "WINS servers are not implemented");
        No("netmask", 1, "an interface netmask is not implemented");
        No("ipcp-no-addresses", 0, "turning off the old IP-Addresses option is not implemented");
        No("ipcp-no-address", 0, "turning off the IP-Address option is not implemented");
        No("nosendip", 0, "not telling the peer our address is not implemented");
        Map("noremoteip", 0, "ipcp.noremoteip = true");
        No("ip-up-script", 1, "ip-up scripts are not implemented");
        No("ip-down-script", 1, "ip-down scripts are not implemented");
        No("ip-pre-up-script", 1, "ip-pre-up scripts are not implemented");

        // IPv6CP (ipv6cp.c).
        Map("+ipv6", 0, "ipv6cp.enabled = true", "ipv6");
        Map("noipv6", 0, "ipv6cp.enabled = false", "ipv6");
        Alias("-ipv6", "noipv6");
        No("ipv6", 1, "configured IPv6 interface identifiers are not implemented");
        No("ipv6cp-accept-local", 0, "accepting the peer's interface identifier for us is not implemented");
        No("ipv6cp-accept-remote", 0, "accepting the peer's interface identifier is not implemented");
        No("ipv6cp-use-ipaddr", 0, "interface identifiers from IPv4 addresses are not implemented");
        No("ipv6cp-use-persistent", 0, "persistent interface identifiers are not implemented");
        Map("ipv6cp-restart", 1, "ipv6cp.restart (seconds)");
        Map("ipv6cp-max-terminate", 1, "ipv6cp.max-terminate");
        Map("ipv6cp-max-configure", 1, "ipv6cp.max-configure");
        Map("ipv6cp-max-failure", 1, "ipv6cp.max-failure");
        No("ipv6-up-script", 1, "ipv6-up scripts are not implemented");
        No("ipv6-down-script", 1, "ipv6-down scripts are not implemented");
        Record("defaultroute6", 0, "an IPv6 default route through the link, " + DataPath, "defaultroute6");
        Record("nodefaultroute6", 0, "no IPv6 default route through the link, " + DataPath, "defaultroute6");
        Alias("-defaultroute6", "nodefaultroute6");

        // CCP and MPPE (ccp.c).
        Accept("noccp", 0, Compression);
        Alias("-ccp", "noccp");
        No("bsdcomp", 1, "BSD-Compress is not implemented");
        Accept("nobsdcomp", 0, "BSD-Compress is not implemented: it is always off");
        Alias("-bsdcomp", "nobsdcomp");
        No("deflate", 1, "Deflate compression is not implemented");
        Accept("nodeflate", 0, "Deflate is not implemented: it is always off");
        Alias("-deflate", "nodeflate");
        Accept("nodeflatedraft", 0, "Deflate is not implemented: it is always off");
        No("predictor1", 0, "Predictor-1 compression is not implemented");
        Accept("nopredictor1", 0, "Predictor-1 is not implemented: it is always off");
        Alias("-predictor1", "nopredictor1");
        No("require-mppe", 0, Mppe);
        Alias("+mppe", "require-mppe");
        No("require-mppe-40", 0, Mppe);
        Alias("+mppe-40", "require-mppe-40");
        No("require-mppe-128", 0, Mppe);
        Alias("+mppe-128", "require-mppe-128");
        No("mppe-stateful", 0, Mppe);
        Accept("nomppe", 0, Mppe + ", so it is always off");
        Alias("-mppe", "nomppe");
        Accept("nomppe-40", 0, Mppe + ", so it is always off");
        Alias("-mppe-40", "nomppe-40");
        Accept("nomppe-128", 0, Mppe + ", so it is always off");
        Alias("-mppe-128", "nomppe-128");
        Accept("nomppe-stateful", 0, Mppe + ", so it is always off");

        // PAP (upap.c), CHAP (chap-new.c), EAP (eap.c), callback (cbcp.c).
        Accept("hide-password", 0, "LinkActors never prints a password", "show-password");
        Accept("show-password", 0, "LinkActors never prints a password, even when asked to", "show-password");
        Map("pap-timeout", 1, "auth.timeout (seconds to wait for the peer's PAP request)");
        Map("pap-max-authreq", 1, "auth.max-attempts");
        No("pap-restart", 1, "the PAP retransmission interval is not configurable");
        No("chap-restart", 1, "the CHAP retransmission interval is not configurable");
        No("chap-max-challenge", 1, "the number of CHAP challenges is not configurable");
        No("chap-interval", 1, "rechallenging the peer is not implemented");
        No("eap-restart", 1, Eap);
        No("eap-max-sreq", 1, Eap);
        No("eap-timeout", 1, Eap);
        No("eap-max-rreq", 1, Eap);
        No("eap-interval", 1, Eap);
        No("srp-interval", 1, Eap);
        No("srp-pn-secret", 1, Eap);
        No("srp-lwreauth", 0, Eap);
        No("srp-use-pseudonym", 0, Eap);
        No("ca", 1, Eap);
        No("capath", 1, Eap);
        No("cert", 1, Eap);
        No("key", 1, Eap);
        No("crl-dir", 1, Eap);
        No("crl", 1, Eap);
        No("pkcs12", 1, Eap);
        No("max-tls-version", 1, Eap);
        No("tls-verify-method", 1, Eap);
        No("tls-verify-key-usage", 0, Eap);
        No("need-peer-eap", 0, Eap);
        No("callback", 1, "callback (CBCP) is not implemented");
        return table;
    }
}
