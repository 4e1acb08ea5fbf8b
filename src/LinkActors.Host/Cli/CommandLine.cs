using System.CommandLine;
using LinkActors.Actors.Configuration;

namespace LinkActors.Host.Cli;

/// <summary>The `linkactors` verbs.</summary>
public static class CommandLine
{
    public const int ExitOk = 0;
    public const int ExitConfigError = 2;

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "LinkActors: a PPP link manager for always-on devices with a cellular modem.\n" +
            "It dials the modem with a chat script, runs PPP in user space, keeps the link up,\n" +
            "and says in plain words what it sees.");

        var configFile = new Argument<FileInfo>("config")
        {
            Description = "A HOCON file declaring links under linkactors.links.<name> (see hocon/ for examples).",
        };
        var check = new Command("check-config", "Validate a configuration file and print the links it declares; exit 2 on the first error.")
        {
            configFile,
        };
        check.SetAction(parse => CheckConfig(parse.GetValue(configFile)!, Console.Out, Console.Error));
        root.Subcommands.Add(check);
        return root;
    }

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
