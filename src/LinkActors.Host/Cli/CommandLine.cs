using System.CommandLine;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Configuration.Pppd;
using LinkActors.Emulator;
using LinkActors.Host.Demo;
using LinkActors.Host.Management;
using Microsoft.Extensions.Hosting;

namespace LinkActors.Host.Cli;

/// <summary>The `linkactors` verbs.</summary>
public static class CommandLine
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitConfigError = 2;

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "LinkActors: a PPP link manager for always-on devices with a cellular modem.\n" +
            "It dials the modem with a chat script, runs PPP in user space, keeps the link up,\n" +
            "and says in plain words what it sees.\n\n" +
            "Start with `linkactors demo` (no hardware needed), then `linkactors check-config FILE`\n" +
            "and `linkactors run FILE` with one of the examples in hocon/.");

        var debug = new Option<bool>("--debug") { Description = "Log at debug level, with a pppd-style line for every packet sent and received." };
        var logFile = new Option<string?>("--log-file") { Description = "Also write the log to this file." };

        root.Subcommands.Add(RunVerb(debug, logFile));
        root.Subcommands.Add(CheckConfigVerb());
        root.Subcommands.Add(CallVerb(debug, logFile));
        root.Subcommands.Add(ImportPppdVerb());
        root.Subcommands.Add(DemoVerb());
        root.Subcommands.Add(EmulateModemVerb());
        ManagementVerbs.AddTo(root);
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
            try
            {
                var config = Settings.Load(path);
                links = Settings.Create(config, path);
                management = ManagementSettings.Create(config, path);
            }
            catch (SettingsException e)
            {
                Console.Error.WriteLine(e.Message);
                return ExitConfigError;
            }
            if (links.Count == 0)
            {
                Console.Error.WriteLine($"{path}: linkactors.links: no link is declared");
                return ExitConfigError;
            }
            if (Preflight.FindError(links, path) is { } problem)
            {
                Console.Error.WriteLine(problem);
                return ExitConfigError;
            }
            return RunLinks(links, new LogOptions(parse.GetValue(debug), parse.GetValue(logFile)), management);
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
        var dump = new Option<bool>("--dump") { Description = "Print the options in effect and the file each came from, then exit (pppd's `dump`)." };
        var ignore = new Option<bool>("--ignore-unsupported") { Description = "Start even if some pppd options are not implemented (they are listed)." };
        var managementOption = new Option<string>("--management")
        {
            Description = "The management endpoint (status, events, doctor) as ADDRESS:PORT, or `off`.",
            DefaultValueFactory = _ => $"{ManagementSettings.Default.Bind}:{ManagementSettings.Default.Port}",
        };
        var call = new Command("call", "Run the link pppd's own configuration describes (`pppd call NAME`), supervised; " +
            "beyond pppd it watches the data path and serves status, events and doctor on loopback (--dump lists what and how to turn each off).")
        {
            name, dump, ignore, debug, logFile, managementOption,
        };
        call.SetAction(parse =>
        {
            try
            {
                var management = CallManagement(parse.GetValue(managementOption)!);
                var result = PppdImport.Call(parse.GetValue(name)!, PppdEnvironment.System, []);
                foreach (var note in result.Notes)
                    Console.Error.WriteLine($"note: {note}");
                var beyond = BeyondPppd.Describe(result.Link, management is null ? null : $"{management.Bind}:{management.Port}");
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
            Environment.GetEnvironmentVariable(ManagementSettings.TokenVariable) ?? "");
        settings.Validate("--management");
        return settings;
    }

    private static Command ImportPppdVerb()
    {
        var name = new Argument<string>("name") { Description = "The peer: /etc/ppp/peers/NAME." };
        var import = new Command("import-pppd", "Print the HOCON equivalent of a pppd peer configuration, to keep and run with `linkactors run`.")
        {
            name,
        };
        import.SetAction(parse =>
        {
            try
            {
                Console.Out.Write(PppdImport.ToHocon(PppdImport.Call(parse.GetValue(name)!, PppdEnvironment.System, [])));
                return ExitOk;
            }
            catch (Exception e) when (e is PppdConfigurationException or SettingsException)
            {
                Console.Error.WriteLine(e.Message);
                return ExitConfigError;
            }
        });
        return import;
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

    private static int RunLinks(IReadOnlyList<LinkSettings> links, LogOptions log, ManagementSettings? management = null)
    {
        using var host = LinkHost.Build(links, log, exitWhenIdle: true, management: management);
        Environment.ExitCode = ExitOk;
        host.Run();
        return Environment.ExitCode;
    }

    private static Argument<FileInfo> ConfigArgument() => new("config")
    {
        Description = "A HOCON file declaring links under linkactors.links.<name> (see hocon/ for examples).",
    };

    public static int CheckConfig(FileInfo file, TextWriter output, TextWriter error)
    {
        try
        {
            var links = Settings.Create(Settings.Load(file.FullName), file.FullName);
            if (links.Count == 0)
            {
                error.WriteLine($"{file.FullName}: linkactors.links: no link is declared");
                return ExitConfigError;
            }
            foreach (var link in links)
            {
                output.WriteLine($"link {link.Name}: {link.Role.ToString().ToLowerInvariant()} on {link.Device} at {link.Speed} bps, " +
                    $"mru {link.Lcp.Mru}, auth {link.Auth.Require.ToString().ToLowerInvariant()}, " +
                    $"ipcp {(link.Ipcp.Enabled ? "on" : "off")}, ipv6cp {(link.Ipv6cp.Enabled ? "on" : "off")}, " +
                    $"persist {(link.Persist ? "on" : "off")}");
            }
            return ExitOk;
        }
        catch (SettingsException e)
        {
            error.WriteLine(e.Message);
            return ExitConfigError;
        }
    }
}
