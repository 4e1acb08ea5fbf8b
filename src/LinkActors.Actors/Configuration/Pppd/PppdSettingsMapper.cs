using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>
/// Applies pppd options, in order, to a link that starts from pppd's defaults, and validates the
/// result through <see cref="Settings.Create"/> so that it is exactly what its HOCON loads back to.
/// </summary>
internal sealed class PppdSettingsMapper
{
    /// <summary>pppd asks most modems for IPCP Configure-Naks up to 100 times: 3G modems stall with them.</summary>
    private const int PppdIpcpMaxFailure = 100;

    private readonly PppdEnvironment _environment;
    private readonly List<PppdUnsupportedOption> _unsupported = [];
    private readonly List<PppdNote> _notes = [];
    private readonly Dictionary<string, PppdOption> _origins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SecretsFile> _secrets = new(StringComparer.Ordinal);
    private readonly List<IPAddress> _msDns = [];
    private LinkSettings _link;
    private PppdExtras _extras = new();
    private bool? _authRequired;
    private PppdOption? _authOption;
    private bool _wantPap;
    private bool _wantChap;
    private bool _userGiven;
    private bool _passwordGiven;
    private string? _ourName;
    private uint? _asyncmap;
    private bool _holdoffGiven;
    private bool _deviceGiven;

    private PppdSettingsMapper(string linkName, PppdEnvironment environment)
    {
        _environment = environment;
        var reference = Assert.Single(Settings.Create(
            Settings.Parse($"linkactors.links.{PppdHoconWriter.Key(linkName)} {{ device = \"stdio\" }}", "pppd defaults"), "pppd defaults"));

        // Where pppd's defaults differ from LinkActors' own: pppd watches the modem lines, takes no
        // lock unless asked, and is patient with IPCP Naks.
        _link = reference with
        {
            Local = false,
            Lock = false,
            Ipcp = reference.Ipcp with { Counters = reference.Ipcp.Counters with { MaxFailure = PppdIpcpMaxFailure } },
        };
    }

    public static PppdImportResult Map(string linkName, PppdOptionSet options, PppdEnvironment environment)
    {
        var mapper = new PppdSettingsMapper(linkName, environment);
        foreach (var option in options.Options)
            mapper.Apply(option);
        mapper.Finish(options);
        var link = mapper.Validate();
        return new PppdImportResult(link, options, mapper._extras, mapper._unsupported, mapper._notes);
    }

    private void Apply(PppdOption option)
    {
        switch (option.Spec.Kind)
        {
            case PppdOptionKind.Include:
                return;
            case PppdOptionKind.Unsupported:
                _unsupported.Add(new PppdUnsupportedOption(option, option.Spec.Meaning));
                return;
            case PppdOptionKind.Accepted:
                Note(option, $"accepted, no effect: {option.Spec.Meaning}");
                return;
            case PppdOptionKind.Recorded:
                Record(option);
                Note(option, $"kept aside ({option.Spec.Meaning})");
                return;
            default:
                MapOption(option);
                return;
        }
    }

    private void MapOption(PppdOption option)
    {
        var l = _link;
        switch (option.Spec.Canonical)
        {
            case PppdOptionSpec.DeviceName:
                Set(option, "device", l with { Device = PppdOptionParser.DevicePath(option.Name) });
                _deviceGiven = true;
                break;
            case "notty":
                Set(option, "device", l with { Device = "stdio" });
                _deviceGiven = true;
                break;
            case "socket":
                Set(option, "device", l with { Device = "socket:" + option.Argument });
                _deviceGiven = true;
                break;
            case PppdOptionSpec.SpeedName:
                Set(option, "speed", l with { Speed = Int(option, option.Name) });
                break;
            case PppdOptionSpec.AddressesName:
                Addresses(option);
                break;
            case "crtscts":
                Set(option, "flow-control", l with { FlowControl = FlowControl.Crtscts });
                break;
            case "nocrtscts" or "nocdtrcts":
                Set(option, "flow-control", l with { FlowControl = FlowControl.None });
                break;
            case "xonxoff":
                Set(option, "flow-control", l with { FlowControl = FlowControl.Xonxoff });
                // As pppd: the peer must escape ^Q and ^S, or the flow control characters would be data.
                _asyncmap = (_asyncmap ?? 0) | 0x000A0000;
                _origins["lcp.asyncmap"] = option;
                break;
            case "modem":
                Set(option, "local", l with { Local = false });
                break;
            case "local":
                Set(option, "local", l with { Local = true });
                break;
            case "lock":
                Set(option, "lock", l with { Lock = true });
                break;
            case "nolock":
                Set(option, "lock", l with { Lock = false });
                break;
            case "connect":
                Chat(option, "connect");
                break;
            case "disconnect":
                Chat(option, "disconnect");
                break;
            case "record":
                Set(option, "record", l with { Record = option.Argument.Length == 0 ? null : option.Argument });
                break;
            case "passive":
                Set(option, "passive", l with { Passive = true });
                break;
            case "silent":
                Set(option, "silent", l with { Silent = true });
                break;
            case "persist":
                Set(option, "persist", l with { Persist = true });
                break;
            case "nopersist":
                Set(option, "persist", l with { Persist = false });
                break;
            case "holdoff":
                Set(option, "holdoff", l with { Holdoff = Seconds(option) });
                _holdoffGiven = true;
                break;
            case "maxfail":
                Set(option, "maxfail", l with { MaxFail = Int(option) });
                break;
            case "connect-delay":
                Set(option, "connect-delay", l with { ConnectDelay = TimeSpan.FromMilliseconds(Int(option)) });
                break;
            case "maxconnect":
                Set(option, "maxconnect", l with { MaxConnect = Seconds(option) });
                break;
            default:
                MapProtocolOption(option);
                break;
        }
    }

    private void MapProtocolOption(PppdOption option)
    {
        var l = _link;
        var auth = l.Auth;
        var lcp = l.Lcp;
        var ipcp = l.Ipcp;
        switch (option.Spec.Canonical)
        {
            case "auth":
                (_authRequired, _authOption) = (true, option);
                break;
            case "noauth":
                (_authRequired, _authOption, _wantPap, _wantChap) = (false, option, false, false);
                break;
            case "require-pap":
                (_authRequired, _authOption, _wantPap) = (true, option, true);
                break;
            case "require-chap":
                (_authRequired, _authOption, _wantChap) = (true, option, true);
                break;
            case "refuse-pap":
                Set(option, "auth.refuse-pap", l with { Auth = auth with { RefusePap = true } });
                break;
            case "refuse-chap":
                Set(option, "auth.refuse-chap", l with { Auth = auth with { RefuseChap = true } });
                break;
            case "user":
                Set(option, "auth.user", l with { Auth = auth with { User = option.Argument } });
                _userGiven = true;
                break;
            case "password":
                Set(option, "auth.password", l with { Auth = auth with { Password = option.Argument } });
                _passwordGiven = true;
                break;
            case "name":
                _ourName = option.Argument;
                _origins["auth.user"] = _userGiven ? _origins["auth.user"] : option;
                break;
            case "+ua":
                UserFile(option);
                break;
            case "remotename":
                Set(option, "auth.remote-name", l with { Auth = auth with { RemoteName = option.Argument } });
                break;
            case "pap-timeout":
                Set(option, "auth.timeout", l with { Auth = auth with { Timeout = Seconds(option) } });
                break;
            case "pap-max-authreq":
                Set(option, "auth.max-attempts", l with { Auth = auth with { MaxAttempts = Int(option) } });
                break;
            case "mru":
                Set(option, "lcp.mru", l with { Lcp = lcp with { Mru = Int(option) } });
                break;
            case "mtu":
                Set(option, "lcp.mtu", l with { Lcp = lcp with { Mtu = Int(option) } });
                break;
            case "asyncmap":
                _asyncmap = (_asyncmap ?? 0) | Hex(option);
                _origins["lcp.asyncmap"] = option;
                break;
            case "default-asyncmap":
                Set(option, "lcp.default-asyncmap", l with { Lcp = lcp with { DefaultAsyncmap = true } });
                break;
            case "noaccomp":
                Set(option, "lcp.accomp", l with { Lcp = lcp with { Accomp = false } });
                break;
            case "nopcomp":
                Set(option, "lcp.pcomp", l with { Lcp = lcp with { Pcomp = false } });
                break;
            case "nomagic":
                Set(option, "lcp.magic", l with { Lcp = lcp with { Magic = false } });
                break;
            case "lcp-echo-interval":
                Set(option, "lcp.echo-interval", l with { Lcp = lcp with { EchoInterval = Seconds(option) } });
                break;
            case "lcp-echo-failure":
                Set(option, "lcp.echo-failure", l with { Lcp = lcp with { EchoFailure = Int(option) } });
                break;
            case "lcp-echo-adaptive":
                Set(option, "lcp.echo-adaptive", l with { Lcp = lcp with { EchoAdaptive = true } });
                break;
            case "lcp-restart" or "lcp-max-configure" or "lcp-max-terminate" or "lcp-max-failure":
                Set(option, Counter(option, "lcp"), l with { Lcp = lcp with { Counters = Counters(option, lcp.Counters) } });
                break;
            case "noip":
                Set(option, "ipcp.enabled", l with { Ipcp = ipcp with { Enabled = false } });
                break;
            case "noipdefault":
                Set(option, "ipcp.noipdefault", l with { Ipcp = ipcp with { NoIpDefault = true } });
                break;
            case "ipcp-accept-local":
                Set(option, "ipcp.accept-local", l with { Ipcp = ipcp with { AcceptLocal = true } });
                break;
            case "ipcp-accept-remote":
                Set(option, "ipcp.accept-remote", l with { Ipcp = ipcp with { AcceptRemote = true } });
                break;
            case "noremoteip":
                Set(option, "ipcp.noremoteip", l with { Ipcp = ipcp with { NoRemoteIp = true } });
                break;
            case "usepeerdns":
                Set(option, "ipcp.usepeerdns", l with { Ipcp = ipcp with { UsePeerDns = true } });
                break;
            case "ms-dns":
                _msDns.Add(Address(option, option.Argument) ?? throw new PppdConfigurationException(option.Source, "ms-dns: 0.0.0.0 is not a DNS server"));
                _origins["ipcp.ms-dns"] = option;
                break;
            case "ipcp-restart" or "ipcp-max-configure" or "ipcp-max-terminate" or "ipcp-max-failure":
                Set(option, Counter(option, "ipcp"), l with { Ipcp = ipcp with { Counters = Counters(option, ipcp.Counters) } });
                break;
            case "+ipv6":
                Set(option, "ipv6cp.enabled", l with { Ipv6cp = l.Ipv6cp with { Enabled = true } });
                break;
            case "noipv6":
                Set(option, "ipv6cp.enabled", l with { Ipv6cp = l.Ipv6cp with { Enabled = false } });
                break;
            case "ipv6cp-restart" or "ipv6cp-max-configure" or "ipv6cp-max-terminate" or "ipv6cp-max-failure":
                Set(option, Counter(option, "ipv6cp"), l with { Ipv6cp = l.Ipv6cp with { Counters = Counters(option, l.Ipv6cp.Counters) } });
                break;
            default:
                throw new InvalidOperationException($"the option table says {option.Spec.Canonical} is mapped, but nothing maps it");
        }
    }

    /// <summary>Options LinkSettings has no field for, kept in <see cref="PppdExtras"/>.</summary>
    private void Record(PppdOption option)
    {
        var e = _extras;
        _extras = option.Spec.Canonical switch
        {
            "debug" => e with { DebugLevel = e.DebugLevel + 1 },
            "dump" => e with { Dump = true },
            "dryrun" => e with { DryRun = true },
            "linkname" => e with { LinkName = option.Argument },
            "ipparam" => e with { IpParam = option.Argument },
            "defaultroute" => e with { DefaultRoute = true },
            "nodefaultroute" => e with { DefaultRoute = false },
            "replacedefaultroute" => e with { ReplaceDefaultRoute = true },
            "noreplacedefaultroute" => e with { ReplaceDefaultRoute = false },
            "defaultroute-metric" => e with { DefaultRouteMetric = Int(option) },
            "defaultroute6" => e with { DefaultRoute6 = true },
            "nodefaultroute6" => e with { DefaultRoute6 = false },
            "ifname" => e with { InterfaceName = option.Argument },
            "unit" => e with { Unit = Int(option) },
            _ => throw new InvalidOperationException($"the option table says {option.Spec.Canonical} is kept aside, but nothing keeps it"),
        };
    }

    private void Chat(PppdOption option, string key)
    {
        var empty = key == "connect" ? _link.Connect : _link.Disconnect;
        var outcome = PppdChatImport.Import(option, empty with { ChatFile = null, Script = [] }, _environment);
        if (outcome.Chat is { } chat)
        {
            Set(option, key, key == "connect" ? _link with { Connect = chat } : _link with { Disconnect = chat });
            _extras = key == "connect" ? _extras with { ConnectCommand = null } : _extras with { DisconnectCommand = null };
        }
        else
        {
            _unsupported.Add(new PppdUnsupportedOption(option, $"only chat is run by LinkActors; another {key} program is not supported yet"));
            _extras = key == "connect" ? _extras with { ConnectCommand = outcome.ExternalCommand } : _extras with { DisconnectCommand = outcome.ExternalCommand };
        }
        if (outcome.FlagsNotKept.Count > 0)
            Note(option, $"chat {string.Join(' ', outcome.FlagsNotKept)}: LinkActors logs the chat transcript itself; ChatSettings has no field for these flags");
    }

    /// <summary>pppd's <c>+ua FILE</c>: the user on the first line, the password on the second.</summary>
    private void UserFile(PppdOption option)
    {
        string path = PppdEnvironment.Absolute(option.Argument);
        string text = SecretsFile.ReadPrivate(path, _environment.Resolve(path), option.Source, "+ua file");
        var lines = text.Split('\n');
        if (lines.Length < 2)
            throw new PppdConfigurationException(option.Source, $"+ua: {path} must hold a user name and a password on two lines");
        var auth = _link.Auth with { User = lines[0].TrimEnd('\r'), Password = lines[1].TrimEnd('\r') };
        Set(option, "auth.user", _link with { Auth = auth });
        _origins["auth.password"] = option;
        _userGiven = _passwordGiven = true;
    }

    /// <summary>local:remote, either side may be empty; 0.0.0.0 leaves that side unset, as in pppd.</summary>
    private void Addresses(PppdOption option)
    {
        string word = option.Name;
        int colon = word.IndexOf(':', StringComparison.Ordinal);
        string local = word[..colon], remote = word[(colon + 1)..];
        var ipcp = _link.Ipcp;
        if (local.Length > 0 && Address(option, local) is { } l)
        {
            ipcp = ipcp with { Local = l };
            _origins["ipcp.local"] = option;
        }
        if (remote.Length > 0 && Address(option, remote) is { } r)
        {
            ipcp = ipcp with { Remote = r };
            _origins["ipcp.remote"] = option;
        }
        _link = _link with { Ipcp = ipcp };
    }

    private void Finish(PppdOptionSet options)
    {
        var call = options.Options.FirstOrDefault(o => o.Spec.Canonical == "call");
        var where = call?.Source ?? PppdSource.CommandLine;
        if (!_deviceGiven)
            throw new PppdConfigurationException(where, "no device given: pppd would use its standard input; name the modem's device (such as /dev/ttyUSB2)");

        // pppd waits 30 s before redialling only when it dials with a connect script.
        if (!_holdoffGiven && _link.Connect.IsEmpty)
            _link = _link with { Holdoff = TimeSpan.Zero };

        if (_asyncmap is { } map)
            _link = _link with { Lcp = _link.Lcp with { Asyncmap = map } };
        if (_msDns.Count > 0)
            _link = _link with { Ipcp = _link.Ipcp with { MsDns = _msDns.TakeLast(2).ToList() } };

        if (!_userGiven && _ourName is not null)
            _link = _link with { Auth = _link.Auth with { User = _ourName } };
        else if (!_userGiven)
            _notes.Add(new PppdNote(where, "user", "no user or name given: pppd would give the host name when asked to authenticate; LinkActors gives an empty name"));

        FinishAuthentication(where);
        FinishPassword(where);
    }

    private void FinishAuthentication(PppdSource where)
    {
        if (_authRequired is null)
        {
            _notes.Add(new PppdNote(where, "auth", "neither auth nor noauth given: pppd asks the peer to authenticate only when the system already has a default route; LinkActors does not ask (auth.require = none)"));
            return;
        }
        if (_authRequired == false)
            return;
        var option = _authOption!;
        AuthRequirement require;
        if (_wantChap)
        {
            require = AuthRequirement.Chap;
            if (_wantPap)
                Note(option, "both require-pap and require-chap: LinkActors asks for one protocol, CHAP");
        }
        else if (_wantPap)
            require = AuthRequirement.Pap;
        else
            require = Secrets(PppdEnvironment.ChapSecretsPath).Entries.Count > 0 ? AuthRequirement.Chap : AuthRequirement.Pap;

        var file = Secrets(require == AuthRequirement.Chap ? PppdEnvironment.ChapSecretsPath : PppdEnvironment.PapSecretsPath);
        if (file.Entries.Count == 0)
            throw new PppdConfigurationException(option.Source,
                $"{option.Name}: the peer must authenticate, but {file.Path} holds no secret to check it with");
        _link = _link with { Auth = _link.Auth with { Require = require, Secrets = file.Entries.Select(e => e.Entry).ToList() } };
        _origins["auth.require"] = option;
        _origins["auth.secrets"] = option;
    }

    /// <summary>As pppd: without a password option, our secret is looked up for our user name and the peer's name.</summary>
    private void FinishPassword(PppdSource where)
    {
        var auth = _link.Auth;
        if (_passwordGiven || auth.User.Length == 0 || (auth.RefusePap && auth.RefuseChap))
            return;
        string? server = auth.RemoteName.Length > 0 ? auth.RemoteName : null;
        var files = new List<string>();
        if (!auth.RefusePap)
            files.Add(PppdEnvironment.PapSecretsPath);
        if (!auth.RefuseChap)
            files.Add(PppdEnvironment.ChapSecretsPath);
        foreach (var path in files)
        {
            if (Secrets(path).Find(auth.User, server) is { } found)
            {
                // The HOCON refers to the file rather than copying the secret out of it.
                _link = _link with { Auth = auth with { Password = found.Entry.Secret, PasswordFrom = [path] } };
                _notes.Add(new PppdNote(new PppdSource(path, found.Line), "password", $"our secret for user {auth.User} comes from this entry"));
                return;
            }
        }
        _notes.Add(new PppdNote(where, "password",
            $"no password and no secret for user {auth.User} in {string.Join(" or ", files)}: authenticating to the peer will fail if it asks"));
    }

    private SecretsFile Secrets(string path)
    {
        if (!_secrets.TryGetValue(path, out var file))
            _secrets[path] = file = SecretsFile.Load(path, _environment);
        return file;
    }

    /// <summary>Round trip through HOCON: the result is what Settings.Create accepts, and an invalid value names its option.</summary>
    private LinkSettings Validate()
    {
        try
        {
            var loaded = Settings.Create(Settings.Parse(PppdHoconWriter.Write(_link, []), "pppd import"), "pppd import", _environment);
            return Assert.Single(loaded);
        }
        catch (SettingsException e)
        {
            string prefix = $"linkactors.links.{_link.Name}.";
            string key = e.Key.StartsWith(prefix, StringComparison.Ordinal) ? e.Key[prefix.Length..] : e.Key;
            var option = _origins.Where(o => key == o.Key || key.StartsWith(o.Key + ".", StringComparison.Ordinal) || key.StartsWith(o.Key + "[", StringComparison.Ordinal))
                .Select(o => o.Value).FirstOrDefault();
            if (option is null)
                throw new PppdConfigurationException(PppdSource.CommandLine, $"{key}: {e.Reason}");
            throw new PppdConfigurationException(option.Source, $"{option.Display()}: {e.Reason}");
        }
    }

    private void Set(PppdOption option, string key, LinkSettings link)
    {
        _link = link;
        _origins[key] = option;
    }

    private void Note(PppdOption option, string text) => _notes.Add(new PppdNote(option.Source, option.Display(), text));

    /// <summary>"lcp-max-configure" is lcp.max-configure, "ipv6cp-restart" is ipv6cp.restart.</summary>
    private static string Counter(PppdOption option, string protocol)
    {
        string name = option.Spec.Canonical;
        return $"{protocol}.{name[(name.IndexOf('-', StringComparison.Ordinal) + 1)..]}";
    }

    private static CounterSettings Counters(PppdOption option, CounterSettings counters)
    {
        string name = option.Spec.Canonical;
        return name[(name.IndexOf('-', StringComparison.Ordinal) + 1)..] switch
        {
            "restart" => counters with { Restart = Seconds(option) },
            "max-configure" => counters with { MaxConfigure = Int(option) },
            "max-terminate" => counters with { MaxTerminate = Int(option) },
            _ => counters with { MaxFailure = Int(option) },
        };
    }

    private static TimeSpan Seconds(PppdOption option) => TimeSpan.FromSeconds(Int(option));

    /// <summary>As pppd's int options: decimal, 0x hex or 0 octal; here the whole word must be the number.</summary>
    private static int Int(PppdOption option, string? word = null)
    {
        string text = word ?? option.Argument;
        string digits = text.TrimStart('-');
        bool negative = digits.Length < text.Length;
        bool ok;
        long value;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            ok = long.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        else if (digits.Length > 1 && digits[0] == '0')
            ok = TryOctal(digits, out value);
        else
            ok = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || text.Length - digits.Length > 1 || value > int.MaxValue)
            throw new PppdConfigurationException(option.Source, $"invalid numeric parameter '{text}' for {option.Spec.Canonical.Trim('<', '>')} option");
        return (int)(negative ? -value : value);
    }

    private static bool TryOctal(string digits, out long value)
    {
        value = 0;
        foreach (char c in digits)
        {
            if (c is < '0' or > '7' || value > int.MaxValue)
                return false;
            value = value * 8 + (c - '0');
        }
        return true;
    }

    /// <summary>pppd reads the asyncmap in hex, with or without 0x.</summary>
    private static uint Hex(PppdOption option)
    {
        string text = option.Argument;
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(2) : text.AsSpan();
        return uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value)
            ? value
            : throw new PppdConfigurationException(option.Source, $"invalid numeric parameter '{text}' for asyncmap option");
    }

    /// <summary>A numeric IPv4 address; 0.0.0.0 is "not set" (null). pppd would also look up a host name.</summary>
    private static IPAddress? Address(PppdOption option, string text)
    {
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
            throw new PppdConfigurationException(option.Source, $"'{text}' is not an IPv4 address (LinkActors takes numeric addresses, not host names)");
        return address.Equals(IPAddress.Any) ? null : address;
    }

    /// <summary>Settings.Create returns one link for one link; anything else is a fault of this class.</summary>
    private static class Assert
    {
        public static LinkSettings Single(IReadOnlyList<LinkSettings> links) =>
            links.Count == 1 ? links[0] : throw new InvalidOperationException($"expected one link, got {links.Count}");
    }
}
