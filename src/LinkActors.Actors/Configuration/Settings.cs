using System.Globalization;
using System.Net;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace LinkActors.Actors.Configuration;

/// <summary>Reads and validates the links of a HOCON configuration.</summary>
public static class Settings
{
    public const string Root = "linkactors";
    private const string DefaultsPath = "linkactors.link-defaults";
    private const string LinksPath = "linkactors.links";
    private static readonly TimeSpan ParseTimeout = TimeSpan.FromSeconds(5);

    private static readonly Lazy<Config> s_reference = new(() =>
    {
        using var stream = typeof(Settings).Assembly.GetManifestResourceStream("LinkActors.Actors.Configuration.reference.conf")
            ?? throw new InvalidOperationException("reference.conf is not embedded");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });

    /// <summary>The embedded, commented defaults.</summary>
    public static Config Reference => s_reference.Value;

    /// <summary>A configuration file (or one it includes) larger than this is refused: a file of links is a few kilobytes.</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>Includes nested deeper than this are refused (a file that includes itself would never end).</summary>
    public const int MaxIncludeDepth = 8;

    /// <summary>Parses HOCON text; a syntax error becomes a <see cref="SettingsException"/> naming the source.</summary>
    /// <param name="directory">Where a relative `include "FILE"` is looked for; null: includes are refused.</param>
    public static Config Parse(string hocon, string source, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        CheckSyntax(hocon, source);
        Config config;
        try
        {
            // The parser has looped on malformed input that the check above let through: bound it.
            var parse = Task.Run(() => ConfigurationFactory.ParseString(hocon, Includes(source, directory, depth: 1)));
            if (!parse.Wait(ParseTimeout))
                throw new SettingsException(source, "(syntax)", "the file could not be parsed (parser gave no answer)");
            config = parse.Result;
        }
        catch (AggregateException e) when (e.InnerException is SettingsException inner)
        {
            throw inner;
        }
        catch (AggregateException e) when (e.InnerException is FormatException or ConfigurationException or InvalidOperationException or ArgumentException or NullReferenceException)
        {
            throw new SettingsException(source, "(syntax)", FirstLine(e.InnerException.Message));
        }
        catch (Exception e) when (e is FormatException or ConfigurationException or InvalidOperationException or ArgumentException)
        {
            throw new SettingsException(source, "(syntax)", FirstLine(e.Message));
        }
        if (HoconCycleCheck.FindCycle(config.Root) is { } cycle)
            throw new SettingsException(source, cycle.Key, cycle.Reason);
        return config;
    }

    /// <summary>Loads a configuration file; unreadable, oversized or malformed files give one clear error.</summary>
    public static Config Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(ReadBounded(path, path, "(file)"), path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    private static void CheckSyntax(string hocon, string source)
    {
        if (HoconSyntaxCheck.FindError(hocon) is { } syntax)
            throw new SettingsException(source, "(syntax)", syntax);
    }

    /// <summary>
    /// Reads a regular file of at most <see cref="MaxFileBytes"/>: a directory, a device such as
    /// /dev/zero, a missing or unreadable file is an error naming <paramref name="source"/> and <paramref name="key"/>.
    /// </summary>
    private static string ReadBounded(string path, string source, string key)
    {
        try
        {
            if (Directory.Exists(path))
                throw new SettingsException(source, key, $"{path} is a directory, not a file");
            if (!File.Exists(path))
                throw new SettingsException(source, key, $"{path} does not exist");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.None);
            // Devices and FIFOs are not regular files: /dev/zero would never end.
            if (!stream.CanSeek || (File.GetAttributes(path) & (FileAttributes.Device | FileAttributes.Directory)) != 0)
                throw new SettingsException(source, key, $"{path} is not a regular file");
            if (stream.Length > MaxFileBytes)
                throw new SettingsException(source, key, $"{path} is larger than {MaxFileBytes / (1024 * 1024)} MB");
            using var reader = new StreamReader(stream);
            var buffer = new char[MaxFileBytes + 1];
            int total = 0, read;
            while (total < buffer.Length && (read = reader.Read(buffer, total, buffer.Length - total)) > 0)
                total += read;
            if (total > MaxFileBytes)
                throw new SettingsException(source, key, $"{path} is larger than {MaxFileBytes / (1024 * 1024)} MB");
            return new string(buffer, 0, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException(source, key, FirstLine(e.Message));
        }
    }

    /// <summary>
    /// `include "FILE"`: read relative to the including file, checked as the file itself is; a
    /// missing or unreadable include is an error (HOCON would skip it silently, hiding a typo).
    /// </summary>
    private static Func<string, HoconRoot> Includes(string source, string? directory, int depth) => name =>
    {
        string key = $"include \"{name}\"";
        if (directory is null)
            throw new SettingsException(source, key, "includes are read only from configuration files");
        if (depth > MaxIncludeDepth)
            throw new SettingsException(source, key, $"includes nest deeper than {MaxIncludeDepth} (does a file include itself?)");
        string path = Path.GetFullPath(name, directory);
        string text = ReadBounded(path, source, key);
        CheckSyntax(text, path);
        return Parser.Parse(text, Includes(path, Path.GetDirectoryName(path), depth + 1));
    };

    /// <summary>Validates every link under linkactors.links, each merged over the link defaults.</summary>
    /// <param name="pppdFiles">Where pppd's files named by `auth.password-from` are read; the running system by default.</param>
    public static IReadOnlyList<LinkSettings> Create(Config config, string source = "configuration", Pppd.PppdEnvironment? pppdFiles = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        // Before any merge: Akka's merge of `linkactors = 5` over the defaults throws a NullReferenceException.
        if (config.Root.IsObject() && config.Root.GetObject().Items.TryGetValue(Root, out var user))
        {
            if (!user.IsObject())
                throw new SettingsException(source, Root, "must be an object { ... }");
            CheckKeys(user, Reference.GetConfig(Root).Root, Root, source, allowNewKeysUnder: "links");
            if (user.GetObject().Items.TryGetValue("links", out var declared) && !declared.IsObject())
                throw new SettingsException(source, LinksPath, "must be an object { NAME { ... } }");
        }
        var full = config.WithFallback(Reference);
        var defaults = full.GetConfig(DefaultsPath);
        var links = full.GetConfig(LinksPath);
        var result = new List<LinkSettings>();
        if (links is null || links.IsEmpty)
            return result;
        foreach (var (name, value) in links.Root.GetObject().Items)
        {
            string prefix = $"{LinksPath}.{name}";
            if (!value.IsObject())
                throw new SettingsException(source, prefix, "a link must be an object { ... }");
            CheckKeys(value, defaults.Root, prefix, source, allowNewKeysUnder: null);
            var link = links.GetConfig(QuoteKey(name)).WithFallback(defaults);
            result.Add(new LinkReader(link, prefix, source, pppdFiles ?? Pppd.PppdEnvironment.System).Read(name));
        }
        return result;
    }

    /// <summary>Every key the user wrote must exist in the reference: a typo is an error, never a silent default.</summary>
    private static void CheckKeys(HoconValue actual, HoconValue reference, string path, string source, string? allowNewKeysUnder)
    {
        if (!actual.IsObject() || !reference.IsObject())
            return;
        var known = reference.GetObject().Items;
        foreach (var (key, value) in actual.GetObject().Items)
        {
            string keyPath = $"{path}.{key}";
            if (key == allowNewKeysUnder)
                continue;
            if (!known.TryGetValue(key, out var referenceValue))
                throw new SettingsException(source, keyPath, "unknown key");
            if (referenceValue.IsObject())
            {
                if (!value.IsObject())
                    throw new SettingsException(source, keyPath, "must be an object { ... }");
                CheckKeys(value, referenceValue, keyPath, source, null);
            }
            else if (value.IsObject())
            {
                throw new SettingsException(source, keyPath, IsList(referenceValue) ? "must be a list [ ... ], not an object" : "must be a single value, not an object { ... }");
            }
            else if (IsList(value) && !IsList(referenceValue))
            {
                throw new SettingsException(source, keyPath, "must be a single value, not a list [ ... ]");
            }
        }
    }

    /// <summary>Akka's IsArray says false for an empty list.</summary>
    private static bool IsList(HoconValue value) =>
        value.Values.Count > 0 && value.Values.All(e => e is HoconArray || (e is HoconSubstitution { ResolvedValue: { } r } && IsList(r)));

    private static string QuoteKey(string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? key : $"\"{key}\"";

    private static string FirstLine(string text)
    {
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).Trim();
    }

    /// <summary>Typed reads of one link's values; every failure names the full key.</summary>
    private sealed class LinkReader(Config config, string prefix, string source, Pppd.PppdEnvironment pppdFiles)
    {
        public LinkSettings Read(string name)
        {
            string device = String("device");
            var role = Enum<LinkRole>("role");
            if (string.IsNullOrWhiteSpace(device))
                throw Error("device", "is required: a device path, \"socket:HOST:PORT\" or \"stdio\"");
            try
            {
                Serial.LineDevice.Parse(device);
            }
            catch (FormatException e)
            {
                throw Error("device", $"\"{device}\" is not a device path, \"stdio\" or socket:HOST:PORT ({e.Message})");
            }
            return new LinkSettings(
                Name: name,
                Role: role,
                Required: Bool("required"),
                Device: device,
                Speed: Int("speed", 50, 4_000_000),
                FlowControl: Enum<FlowControl>("flow-control"),
                Local: Bool("local"),
                Lock: Bool("lock"),
                LockDirectory: String("lock-directory"),
                Connect: Chat("connect"),
                Disconnect: Chat("disconnect"),
                Passive: Bool("passive"),
                Silent: Bool("silent"),
                Auth: Auth(),
                Lcp: Lcp(),
                Ipcp: Ipcp(),
                Ipv6cp: new Ipv6cpLinkSettings(Bool("ipv6cp.enabled"), Counters("ipv6cp")),
                Persist: Bool("persist"),
                Holdoff: Duration("holdoff", TimeSpan.Zero),
                MaxFail: Int("maxfail", 0, int.MaxValue),
                ConnectDelay: Duration("connect-delay", TimeSpan.Zero),
                MaxConnect: Duration("maxconnect", TimeSpan.Zero),
                Record: NullIfEmpty(String("record")))
            {
                Network = Network(),
                Registration = new RegistrationLinkSettings(Bool("registration.wait"),
                    Duration("registration.timeout", TimeSpan.FromSeconds(1)), Duration("registration.poll", TimeSpan.FromMilliseconds(100))),
                Watchdog = Watchdog(),
                Modem = Modem(),
            };
        }

        private NetworkLinkSettings Network()
        {
            string name = String("network.interface");
            // IFNAMSIZ is 16 with the NUL; the kernel refuses '/', whitespace and ':' in names.
            if (name.Length is 0 or > 15 || name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || c > 0x7E))
                throw Error("network.interface", $"\"{name}\" is not an interface name (1 to 15 characters, no '/', ':' or spaces; %d for a number)");
            bool defaultRoute = Bool("network.defaultroute"), replace = Bool("network.replacedefaultroute");
            if (replace && !defaultRoute)
                throw Error("network.replacedefaultroute", "is a flag to defaultroute (pppd): set defaultroute = true too");
            var routes = StringList("network.routes").Select((text, i) => Prefix($"network.routes[{i}]", text)).ToList();
            string dnsFile = String("network.usepeerdns-file");
            if (!Path.IsPathRooted(dnsFile))
                throw Error("network.usepeerdns-file", $"\"{dnsFile}\" is not an absolute path");
            string stateDirectory = String("network.state-directory");
            if (!Path.IsPathRooted(stateDirectory))
                throw Error("network.state-directory", $"\"{stateDirectory}\" is not an absolute path");
            return new NetworkLinkSettings(Enum<NetworkMode>("network.mode"), name, defaultRoute,
                (uint)Int("network.defaultroute-metric", 0, int.MaxValue), replace, routes, dnsFile,
                Script("network.ip-up"), Script("network.ip-down"), Script("network.ipv6-up"), Script("network.ipv6-down"),
                String("network.ipparam"), stateDirectory, Duration("network.script-timeout", TimeSpan.FromSeconds(1)));
        }

        private ModemLinkSettings Modem()
        {
            string command = String("modem.cmux-command");
            if (!command.StartsWith("AT", StringComparison.OrdinalIgnoreCase) || command.Any(char.IsControl))
                throw Error("modem.cmux-command", $"\"{command}\" is not one AT command line (it must start with AT)");
            int n1 = Int("modem.cmux-n1", 1, 32768);
            // 27.007 §5.7: AT+CMUX=<mode>[,<subset>[,<port_speed>[,<N1>...]]]; the modem frames to the N1 it was given.
            var fields = command.Split('=', 2) is [_, var arguments] ? arguments.Split(',') : [];
            if (fields.Length > 3 && int.TryParse(fields[3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int commanded) && commanded != n1)
                throw Error("modem.cmux-n1", $"{n1} differs from the N1 in modem.cmux-command (\"{command}\" sets {commanded}); set both to the same value");
            return new ModemLinkSettings(Bool("modem.cmux"), command, n1, Duration("modem.poll-interval", TimeSpan.FromSeconds(1)));
        }

        private WatchdogLinkSettings Watchdog()
        {
            var ladder = StringList("watchdog.ladder").Select((text, i) => Enum<EscalationStep>($"watchdog.ladder[{i}]", text)).ToList();
            if (ladder.Count == 0)
                throw Error("watchdog.ladder", "needs at least one step (renegotiate, redial, modem-reset, power-cycle)");
            string? powerCycle = NullIfEmpty(String("watchdog.power-cycle-command"));
            List<string>? powerCycleWords = null;
            if (powerCycle is not null)
            {
                powerCycleWords = Pppd.ShellWords.TrySplit(powerCycle);
                if (powerCycleWords is null || powerCycleWords.Count == 0 || !Path.IsPathRooted(powerCycleWords[0]))
                    throw Error("watchdog.power-cycle-command", $"\"{powerCycle}\" must be an absolute program path and plain arguments (it runs without a shell)");
            }
            string resetCommand = String("watchdog.modem-reset-command").Trim();
            if (ladder.Contains(EscalationStep.ModemReset) && resetCommand.Length == 0)
                throw Error("watchdog.modem-reset-command", "is empty but the ladder has modem-reset");
            return new WatchdogLinkSettings(Address("watchdog.ping-target", String("watchdog.ping-target")),
                Duration("watchdog.ping-interval", TimeSpan.FromMilliseconds(100)), Duration("watchdog.window", TimeSpan.FromSeconds(1)),
                ladder, resetCommand, Duration("watchdog.modem-reset-wait", TimeSpan.FromSeconds(1)), powerCycleWords,
                Duration("watchdog.power-cycle-timeout", TimeSpan.FromSeconds(1)), Duration("watchdog.good-service-reset", TimeSpan.FromSeconds(1)),
                Duration("watchdog.device-wait", TimeSpan.Zero))
            {
                ProbeBudget = Long("watchdog.probe-budget", 0, 1L << 40),
                MaxResetsPerHour = Int("watchdog.max-resets-per-hour", 0, 60),
            };
        }

        private string? Script(string key)
        {
            var path = NullIfEmpty(String(key));
            if (path is not null && !Path.IsPathRooted(path))
                throw Error(key, $"\"{path}\" is not an absolute path (scripts run without a shell or PATH lookup)");
            return path;
        }

        private NetworkRoutePrefix Prefix(string key, string text)
        {
            var parts = text.Split('/');
            if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var prefix)
                || prefix.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > 32)
                throw Error(key, $"\"{text}\" is not an IPv4 prefix like 198.51.100.0/24");
            uint hostBits = length == 32 ? 0 : uint.MaxValue >> length;
            if ((System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(prefix.GetAddressBytes()) & hostBits) != 0)
                throw Error(key, $"\"{text}\" has host bits set beyond /{length}");
            return new NetworkRoutePrefix(prefix, length);
        }

        private ChatSettings Chat(string key)
        {
            var file = NullIfEmpty(String($"{key}.chat-file"));
            var script = StringList($"{key}.script");
            if (file is not null && script.Count > 0)
                throw Error($"{key}.chat-file", "set either chat-file or script, not both");
            return new ChatSettings(file, script, Duration($"{key}.timeout", TimeSpan.FromSeconds(1)),
                Bool($"{key}.environment"), String($"{key}.phone"), String($"{key}.phone2"));
        }

        private AuthSettings Auth()
        {
            var require = Enum<AuthRequirement>("auth.require");
            bool refusePap = Bool("auth.refuse-pap"), refuseChap = Bool("auth.refuse-chap");
            var secrets = Secrets();
            if (require != AuthRequirement.None && secrets.Count == 0)
                throw Error("auth.secrets", $"require = {require.ToString().ToLowerInvariant()} needs at least one secret to check the peer against");
            string user = String("auth.user"), password = String("auth.password"), remoteName = String("auth.remote-name");
            var passwordFrom = StringList("auth.password-from");
            if (passwordFrom.Count > 0)
                password = PasswordFrom(passwordFrom, user, remoteName, password);
            return new AuthSettings(require, refusePap, refuseChap, user, password,
                remoteName, secrets, Duration("auth.timeout", TimeSpan.FromSeconds(1)), Int("auth.max-attempts", 1, 100))
            {
                PasswordFrom = passwordFrom,
            };
        }

        /// <summary>Our secret as pppd finds it: the best entry for our name (and the peer's, when known), first file first.</summary>
        private string PasswordFrom(IReadOnlyList<string> files, string user, string remoteName, string password)
        {
            const string Key = "auth.password-from";
            if (password.Length > 0)
                throw Error(Key, "set either password or password-from, not both");
            if (user.Length == 0)
                throw Error(Key, "needs auth.user: the secret is looked up by our name");
            foreach (var path in files)
            {
                if (!path.StartsWith('/'))
                    throw Error(Key, $"{path}: must be an absolute path");
                Pppd.SecretsFile file;
                try
                {
                    file = Pppd.SecretsFile.Load(path, pppdFiles);
                }
                catch (Exception e) when (e is Pppd.PppdConfigurationException or IOException or UnauthorizedAccessException)
                {
                    throw Error(Key, e.Message);
                }
                if (file.Find(user, remoteName.Length > 0 ? remoteName : null) is { } found)
                    return found.Entry.Secret;
            }
            throw Error(Key, $"no secret for user {user} in {string.Join(" or ", files)}");
        }

        private List<SecretEntry> Secrets()
        {
            var list = new List<SecretEntry>();
            var value = config.GetValue("auth.secrets");
            if (value is null || value.IsEmpty)
                return list;
            if (value.IsString())
                throw Error("auth.secrets", "must be a list of { client, server, secret, addresses } objects");
            int index = 0;
            foreach (var item in value.GetArray())
            {
                string key = $"auth.secrets[{index++}]";
                if (!item.IsObject())
                    throw Error(key, "must be an object { client, server, secret, addresses }");
                var items = item.GetObject().Items;
                foreach (var name in items.Keys)
                    if (name is not ("client" or "server" or "secret" or "addresses"))
                        throw Error($"{key}.{name}", "unknown key (known: client, server, secret, addresses)");
                string Get(string k) => items.TryGetValue(k, out var v) && v.IsString() ? v.GetString() : "*";
                if (!items.TryGetValue("secret", out var secret))
                    throw Error($"{key}.secret", "is required");
                var addresses = items.TryGetValue("addresses", out var a) && a.IsArray()
                    ? a.GetArray().Select(x => x.GetString()).ToList()
                    : [];
                list.Add(new SecretEntry(Get("client"), Get("server"), secret.GetString(), addresses));
            }
            return list;
        }

        private LcpLinkSettings Lcp()
        {
            int mru = Int("lcp.mru", 128, 16384);  // RFC 1661 §6.1 default 1500; pppd's floor is 128
            int mtu = Int("lcp.mtu", 0, 16384);
            if (mtu is > 0 and < 128)
                throw Error("lcp.mtu", "must be 0 (use the peer's MRU) or at least 128");
            var echoInterval = Duration("lcp.echo-interval", TimeSpan.Zero);
            int echoFailure = Int("lcp.echo-failure", 0, 1000);
            return new LcpLinkSettings(mru, mtu, UInt32("lcp.asyncmap"), Bool("lcp.default-asyncmap"), Bool("lcp.accomp"),
                Bool("lcp.pcomp"), Bool("lcp.magic"), Counters("lcp"), echoInterval, echoFailure, Bool("lcp.echo-adaptive"));
        }

        private IpcpLinkSettings Ipcp()
        {
            var dns = StringList("ipcp.ms-dns").Select((s, i) => Address($"ipcp.ms-dns[{i}]", s)!).ToList();
            if (dns.Count > 2)
                throw Error("ipcp.ms-dns", "at most two DNS servers (primary and secondary, RFC 1877)");
            return new IpcpLinkSettings(Bool("ipcp.enabled"), Address("ipcp.local", String("ipcp.local")),
                Address("ipcp.remote", String("ipcp.remote")), Bool("ipcp.noipdefault"), Bool("ipcp.accept-local"),
                Bool("ipcp.accept-remote"), Bool("ipcp.noremoteip"), Bool("ipcp.usepeerdns"), dns, Counters("ipcp"));
        }

        private CounterSettings Counters(string protocol) => new(
            Duration($"{protocol}.restart", TimeSpan.FromMilliseconds(100)),
            Int($"{protocol}.max-configure", 1, 1000),
            Int($"{protocol}.max-terminate", 1, 1000),
            Int($"{protocol}.max-failure", 1, 1000));

        private IPAddress? Address(string key, string text)
        {
            if (string.IsNullOrWhiteSpace(text))
                return null;
            if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                throw Error(key, $"\"{text}\" is not an IPv4 address");
            return address;
        }

        private string String(string key) => Guard(key, () => config.GetString(key, "") ?? "");

        private List<string> StringList(string key) => Guard(key, () =>
        {
            var value = config.GetValue(key);
            if (value is null || value.IsEmpty)
                return new List<string>();
            if (value.IsString())
                throw Error(key, "must be a list [ ... ]");
            return value.GetArray().Select(v => v.GetString()).ToList();
        });

        private bool Bool(string key) => Guard(key, () =>
        {
            string text = String(key).Trim().ToLowerInvariant();
            return text switch
            {
                "true" or "on" or "yes" => true,
                "false" or "off" or "no" => false,
                _ => throw Error(key, $"\"{text}\" is not true or false"),
            };
        });

        private int Int(string key, int min, int max)
        {
            string text = String(key).Trim();
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                throw Error(key, $"\"{text}\" is not a whole number");
            if (value < min || value > max)
                throw Error(key, $"{value} is out of range ({min} to {max})");
            return (int)value;
        }

        private long Long(string key, long min, long max)
        {
            string text = String(key).Trim();
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                throw Error(key, $"\"{text}\" is not a whole number");
            if (value < min || value > max)
                throw Error(key, $"{value} is out of range ({min} to {max})");
            return value;
        }

        private uint UInt32(string key)
        {
            string text = String(key).Trim();
            bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value)
                : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            if (!ok)
                throw Error(key, $"\"{text}\" is not a 32-bit number (decimal or 0x hex)");
            return value;
        }

        private TimeSpan Duration(string key, TimeSpan min) => Guard(key, () =>
        {
            string text = String(key).Trim();
            TimeSpan value;
            try
            {
                value = config.GetTimeSpan(key, null, allowInfinite: false);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                throw Error(key, $"\"{text}\" is not a duration (e.g. 3s, 500ms, 2m)");
            }
            if (value < min && value != TimeSpan.Zero || value < TimeSpan.Zero)
                throw Error(key, $"{text} is too short (at least {min.TotalMilliseconds} ms, or 0 for off)");
            return value;
        });

        private TEnum Enum<TEnum>(string key, string value) where TEnum : struct, System.Enum
        {
            string text = value.Trim().Replace("-", "", StringComparison.Ordinal);
            if (!System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var result) || !System.Enum.IsDefined(result))
                throw Error(key, $"\"{value}\" is not one of: {string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}");
            return result;
        }

        private TEnum Enum<TEnum>(string key) where TEnum : struct, System.Enum
        {
            string text = String(key).Trim().Replace("-", "", StringComparison.Ordinal);
            if (!System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) || !System.Enum.IsDefined(value))
                throw Error(key, $"\"{String(key)}\" is not one of: {string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}");
            return value;
        }

        private T Guard<T>(string key, Func<T> read)
        {
            try
            {
                return read();
            }
            catch (SettingsException)
            {
                throw;
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or ConfigurationException or InvalidOperationException or NullReferenceException)
            {
                throw Error(key, FirstLine(e.Message));
            }
        }

        private static string? NullIfEmpty(string text) => string.IsNullOrWhiteSpace(text) ? null : text;

        private SettingsException Error(string key, string reason) => new(source, $"{prefix}.{key}", reason);
    }

}
