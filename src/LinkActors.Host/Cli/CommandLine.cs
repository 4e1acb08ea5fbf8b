using System.CommandLine;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Configuration.Pppd;
using LinkActors.Emulator;
using LinkActors.Host.Demo;
using LinkActors.Host.Fleet;
using LinkActors.Host.Management;
using LinkActors.Linux.Files;
using Microsoft.Extensions.Hosting;

namespace LinkActors.Host.Cli;

/// <summary>The `linkactors` verbs.</summary>
public static class CommandLine
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitConfigError = 2;

    /// <summary>The management endpoint could not listen (port taken): pppd's status 1, a fatal error before any link ran.</summary>
    public const int ExitManagementUnavailable = 1;

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "LinkActors: a PPP link manager for always-on devices with a cellular modem.\n" +
            "It dials the modem with a chat script, runs PPP in user space, keeps the link up,\n" +
            "and says in plain words what it sees.\n\n" +
            "Start with `linkactors demo` (no hardware needed), then `linkactors check-config FILE`\n" +
            "and `linkactors run FILE` with one of the examples in hocon/.\n\n" +
            "`linkactors status`, `up`, `down`, `redial`, `events` and `doctor` talk to a running daemon over its\n" +
            $"control socket ({ControlSocket.SystemRuntimeDirectory}/{ControlSocket.FileName}: root and group {ControlSocket.ServiceAccount}, no token), or over TCP\n" +
            "with --endpoint, where the control verbs need the token.");

        var debug = new Option<bool>("--debug") { Description = "Log at debug level, with a pppd-style line for every packet sent and received." };
        var logFile = new Option<string?>("--log-file") { Description = "Also write the log to this file." };

        root.Subcommands.Add(RunVerb(debug, logFile));
        root.Subcommands.Add(CheckConfigVerb());
        root.Subcommands.Add(CallVerb(debug, logFile));
        root.Subcommands.Add(ImportPppdVerb());
        root.Subcommands.Add(DemoVerb());
        root.Subcommands.Add(EmulateModemVerb());
        ManagementVerbs.AddTo(root);
        FleetVerbs.AddTo(root);
        return root;
    }

    private static Command RunVerb(Option<bool> debug, Option<string?> logFile)
    {
        var file = ConfigArgument();
        var run = new Command("run", "Run the links of a configuration file in the foreground until SIGTERM or Ctrl-C; " +
            "on the way out every link ends with an LCP Terminate exchange and its disconnect script.")
        {
            file, debug, logFile,
        };
        run.SetAction(parse =>
        {
            var path = parse.GetValue(file)!.FullName;
            IReadOnlyList<LinkSettings> links;
            ManagementSettings management;
            FleetSettings fleet;
            try
            {
                (links, management, fleet) = LoadForRun(path);
            }
            catch (SettingsException e)
            {
                Console.Error.WriteLine(e.Message);
                return ExitConfigError;
            }
            return RunLinks(links, new LogOptions(parse.GetValue(debug), parse.GetValue(logFile)), management, fleet);
        });
        return run;
    }

    private static Command CheckConfigVerb()
    {
        var file = ConfigArgument();
        var check = new Command("check-config", "Validate a configuration file and print the links it declares; exit 2 on the first error.")
        {
            file,
        };
        check.SetAction(parse => CheckConfig(parse.GetValue(file)!, Console.Out, Console.Error));
        return check;
    }

    private static Command CallVerb(Option<bool> debug, Option<string?> logFile)
    {
        var name = new Argument<string>("name") { Description = "The peer: /etc/ppp/peers/NAME, read with /etc/ppp/options and ~/.ppprc as pppd does." };
        var extra = new Argument<string[]>("options")
        {
            Description = "More pppd options after the name, as `pppd call NAME persist` takes them (they come last and win).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var dump = new Option<bool>("--dump") { Description = "Print the options in effect and the file each came from, then exit (pppd's `dump`)." };
        var ignore = new Option<bool>("--ignore-unsupported") { Description = "Start even if some pppd options are not implemented (they are listed)." };
        var managementOption = new Option<string>("--management")
        {
            Description = "The management endpoint (status, events, doctor; control verbs with LINKACTORS_TOKEN) as ADDRESS:PORT, or `off`; " +
                "the control socket (control.sock in the runtime directory, /run/linkactors as root) comes with it.",
            DefaultValueFactory = _ => $"{ManagementSettings.Default.Bind}:{ManagementSettings.Default.Port}",
        };
        var window = new Option<int?>("--watchdog-window")
        {
            Description = "Seconds of IP sent with nothing received before the data path is judged dead (HOCON's watchdog.window; " +
                "default 90, 0 = watchdog off).",
        };
        var call = new Command("call", "Run the link pppd's own configuration describes (`pppd call NAME`), supervised; " +
            "beyond pppd it watches the data path and serves status, events and doctor on loopback (--dump lists what and how to turn each off).")
        {
            name, extra, dump, ignore, debug, logFile, managementOption, window,
        };
        call.SetAction(parse =>
        {
            try
            {
                var management = CallManagement(parse.GetValue(managementOption)!);
                var result = PppdImport.Call(parse.GetValue(name)!, PppdEnvironment.System, parse.GetValue(extra) ?? []);
                if (parse.GetValue(window) is { } seconds)
                    result = result with { Link = CallWatchdogWindow(result.Link, seconds) };
                foreach (var note in result.Notes)
                    Console.Error.WriteLine($"note: {note}");
                var beyond = BeyondPppd.Describe(result.Link, management is null ? null
                    : $"{management.Bind}:{management.Port}{(management.Socket is { } socket ? $" and the control socket {socket}" : "")}");
                if (parse.GetValue(dump) || result.Extras.Dump)
                {
                    Console.Out.Write(PppdDump.Format(result.Options));
                    Console.Out.WriteLine("# beyond pppd, in effect:");
                    foreach (var line in beyond)
                        Console.Out.WriteLine($"#   {line}");
                    if (parse.GetValue(dump))
                        return ExitOk;
                }
                else
                {
                    foreach (var line in beyond)
                        Console.Error.WriteLine($"note: beyond pppd: {line}");
                }
                var link = result.LinkToStart(parse.GetValue(ignore));
                return RunLinks([link], new LogOptions(parse.GetValue(debug) || result.Extras.DebugLevel > 0, parse.GetValue(logFile)), management);
            }
            catch (Exception e) when (e is PppdConfigurationException or PppdUnsupportedOptionsException or SettingsException)
            {
                Console.Error.WriteLine(e.Message);
                return ExitConfigError;
            }
        });
        return call;
    }

    /// <summary>`call --watchdog-window SECONDS`: the link's watchdog.window; 0 turns the watchdog off.</summary>
    public static LinkSettings CallWatchdogWindow(LinkSettings link, int seconds)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (seconds is < 0 or > 86_400)
            throw new SettingsException("--watchdog-window", "watchdog.window", $"{seconds} is not a number of seconds from 0 (off) to 86400");
        return link with { Watchdog = link.Watchdog with { Window = TimeSpan.FromSeconds(seconds) } };
    }

    /// <summary>`call --management`: ADDRESS:PORT (loopback unless LINKACTORS_TOKEN is set) or off; null when off.</summary>
    public static ManagementSettings? CallManagement(string text)
    {
        text = text.Trim();
        if (text.Equals("off", StringComparison.OrdinalIgnoreCase))
            return null;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port))
            throw new SettingsException("--management", "management", $"\"{text}\" is not ADDRESS:PORT or off");
        var settings = new ManagementSettings(true, text[..colon].Trim('[', ']'), port,
            Environment.GetEnvironmentVariable(ManagementSettings.TokenVariable) ?? "", ControlSocket.DefaultPath());
        settings.Validate("--management");
        return settings;
    }

    private static Command ImportPppdVerb()
    {
        var name = new Argument<string>("name") { Description = "The peer: /etc/ppp/peers/NAME." };
        var output = new Option<FileInfo?>("--output", "-o")
        {
            Description = "Write the HOCON to this new file, readable by its owner only (0600), instead of standard output.",
        };
        var import = new Command("import-pppd", "Print the HOCON equivalent of a pppd peer configuration, to keep and run with `linkactors run`.")
        {
            name, output,
        };
        import.SetAction(parse => ImportPppd(parse.GetValue(name)!, parse.GetValue(output)?.FullName, PppdEnvironment.System, Console.Out, Console.Error));
        return import;
    }

    /// <summary>`import-pppd NAME [-o FILE]`: a password goes to a 0600 file, or to standard output with a warning.</summary>
    public static int ImportPppd(string name, string? output, PppdEnvironment environment, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var result = PppdImport.Call(name, environment, []);
            string hocon = PppdImport.ToHocon(result);
            if (output is not null)
                return WriteOwnerOnly(output, hocon, stderr);
            if (PppdImport.WritesSecrets(result))
                stderr.WriteLine("warning: the configuration printed holds a password or secrets from pppd's files; " +
                    "keep it where only its owner can read it (import-pppd -o FILE writes it 0600)");
            stdout.Write(hocon);
            return ExitOk;
        }
        catch (Exception e) when (e is PppdConfigurationException or SettingsException)
        {
            stderr.WriteLine(e.Message);
            return ExitConfigError;
        }
    }

    /// <summary>A new file, 0600 from its creation on (never a window where others could read it), never through a link.</summary>
    private static int WriteOwnerOnly(string path, string text, TextWriter stderr)
    {
        try
        {
            using var stream = SafeFile.CreateNew(path, SafeFile.OwnerOnly);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
            return ExitOk;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(SafeFile.Exists(path) ? $"{path}: already exists; remove it or choose another name" : $"{path}: {e.Message}");
            return ExitFailure;
        }
    }

    private static Command DemoVerb()
    {
        var demo = new Command("demo", "Run a whole link with no hardware: an emulated Quectel BC66 modem, a LinkActors server as the ISP, " +
            "and a client that dials, negotiates, pings and transfers across the link, then hangs up.");
        var endpoints = new Option<bool>("--endpoints")
        {
            Description = "Use in-process packet endpoints even as root (as root the demo otherwise makes TUN interfaces in two network namespaces of its own).",
        };
        demo.Options.Add(endpoints);
        demo.SetAction(async (parse, cancellation) =>
            await DemoCommand.RunAsync(Console.Out, parse.GetValue(endpoints), cancellation).ConfigureAwait(false));
        return demo;
    }

    private static Command EmulateModemVerb()
    {
        var profile = new Option<string>("--profile") { Description = "bc66 (Quectel BC66 NB-IoT) or generic-lte.", DefaultValueFactory = _ => "bc66" };
        var link = new Option<string?>("--link") { Description = "Make a symlink to the modem's pty at this path." };
        var server = new Option<string?>("--server") { Description = "Where CONNECT leads: tcp:HOST:PORT or exec:COMMAND (e.g. exec:pppd notty ...)." };
        var control = new Option<string?>("--control") { Description = "A FIFO to create for fault commands (drop-carrier, hang, reboot, black-hole on, ...)." };
        var emulate = new Command("emulate-modem", "Present an emulated AT modem on a pty, with faults on command; commands also come from stdin.")
        {
            profile, link, server, control,
        };
        emulate.SetAction(async (parse, cancellation) =>
        {
            var options = new EmulatorCommandOptions
            {
                Modem = new Emulator.Modem.ModemEmulatorOptions
                {
                    Profile = EmulatorCommand.ParseProfile(parse.GetValue(profile)!),
                    LinkPath = parse.GetValue(link),
                    Server = EmulatorCommand.ParseServer(parse.GetValue(server)),
                },
                ControlPath = parse.GetValue(control),
                ControlInput = Console.In,
            };
            return await EmulatorCommand.RunAsync(options, cancellation).ConfigureAwait(false);
        });
        return emulate;
    }

    private static int RunLinks(IReadOnlyList<LinkSettings> links, LogOptions log, ManagementSettings? management = null, FleetSettings? fleet = null)
    {
        if (log.LogFile is { } logFile)
        {
            try
            {
                // 0640 and never through a symbolic link; Serilog then appends to the file made here.
                SafeFile.OpenAppend(logFile, SafeFile.OwnerAndGroupRead).Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"--log-file {logFile}: {e.Message}");
                return ExitConfigError;
            }
        }
        try
        {
            if (management is not null)
                ManagementServer.CheckCanListen(management);
            using var host = LinkHost.Build(links, log, exitWhenIdle: true, management: management, fleet: fleet);
            Environment.ExitCode = ExitOk;
            host.Run();
        }
        catch (ManagementUnavailableException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitManagementUnavailable;
        }
        return Environment.ExitCode;
    }

    private static Argument<FileInfo> ConfigArgument() => new("config")
    {
        Description = "A HOCON file declaring links under linkactors.links.<name> (see hocon/ for examples).",
    };

    /// <summary>
    /// Everything `run` checks before it starts anything: the links, the management block and the chat
    /// scripts, so that `check-config` passing means `run` starts.
    /// </summary>
    public static (IReadOnlyList<LinkSettings> Links, ManagementSettings Management, FleetSettings Fleet) LoadForRun(string path)
    {
        var config = Settings.Load(path);
        var links = Settings.Create(config, path);
        var management = ManagementSettings.Create(config, path);
        var fleet = FleetSettings.Create(config, path);
        if (links.Count == 0)
            throw new SettingsException(path, "linkactors.links", "no link is declared");
        if (Preflight.FindError(links, path) is { } problem)
            throw new SettingsException(problem);
        return (links, management, fleet);
    }

    public static int CheckConfig(FileInfo file, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var (links, management, fleet) = LoadForRun(file.FullName);
            foreach (var link in links)
            {
                output.WriteLine($"link {link.Name}: {link.Role.ToString().ToLowerInvariant()} on {link.Device} at {link.Speed} bps, " +
                    $"mru {link.Lcp.Mru}, auth {link.Auth.Require.ToString().ToLowerInvariant()}, " +
                    $"ipcp {(link.Ipcp.Enabled ? "on" : "off")}, ipv6cp {(link.Ipv6cp.Enabled ? "on" : "off")}, " +
                    $"persist {(link.Persist ? "on" : "off")}");
            }
            output.WriteLine(management.Enabled
                ? $"management: {management.Bind} port {management.Port} (control verbs need the token{(management.ReadsNeedToken ? ", so do reads" : "")}), " +
                  (management.Socket is { } socket ? $"control socket {socket} (root and group {ControlSocket.ServiceAccount})" : "no control socket")
                : "management: off");
            output.WriteLine(fleet.Url is { } url ? $"fleet: reports to {url} as {fleet.DeviceId}, budget {fleet.Budget} bytes/day" : "fleet: off");
            return ExitOk;
        }
        catch (SettingsException e)
        {
            error.WriteLine(e.Message);
            return ExitConfigError;
        }
    }
}
