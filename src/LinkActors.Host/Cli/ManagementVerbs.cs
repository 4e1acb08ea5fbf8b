using System.CommandLine;
using System.Net.Sockets;
using System.Text.Json;
using LinkActors.Host.Doctor;
using LinkActors.Host.Management;

namespace LinkActors.Host.Cli;

/// <summary>The verbs that talk to a running daemon's management endpoint: status, up, down, redial, events, doctor.</summary>
public static class ManagementVerbs
{
    public const int ExitUnreachable = 3;

    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Subcommands.Add(Status());
        root.Subcommands.Add(Control("up", "Bring a link up (again), resetting its failure count."));
        root.Subcommands.Add(Control("down", "Take a link down and keep it down."));
        root.Subcommands.Add(Control("redial", "Hang a link up and dial again now."));
        root.Subcommands.Add(Events());
        root.Subcommands.Add(DoctorVerb());
    }

    private sealed record Common(Option<string?> Endpoint, Option<string?> Socket, Option<string?> Token, Option<bool> Json);

    private static Common Options() => new(
        new Option<string?>("--endpoint")
        {
            Description = $"The daemon's management endpoint over TCP (e.g. {ManagementClient.DefaultEndpoint}); control verbs there need the token, " +
                "which is never sent: the daemon first proves it holds the same token. Default: the control socket when there is one, else " +
                ManagementClient.DefaultEndpoint + ".",
        },
        new Option<string?>("--socket")
        {
            Description = $"The daemon's control socket (default: {ControlSocket.SystemRuntimeDirectory}/{ControlSocket.FileName}, or control.sock in $RUNTIME_DIRECTORY); " +
                $"root and members of group {ControlSocket.ServiceAccount} may use it without a token.",
        },
        new Option<string?>("--token") { Description = $"The management token, for control verbs over TCP (default: ${ManagementSettings.TokenVariable})." },
        new Option<bool>("--json") { Description = "Print the endpoint's JSON instead of text." });

    private static Command With(Command command, Common common)
    {
        command.Options.Add(common.Endpoint);
        command.Options.Add(common.Socket);
        command.Options.Add(common.Token);
        command.Options.Add(common.Json);
        return command;
    }

    /// <summary>--socket, else --endpoint, else the control socket where one exists, else TCP on 127.0.0.1:8558.</summary>
    private static ManagementClient Client(ParseResult parse, Common common)
    {
        if (parse.GetValue(common.Socket) is { Length: > 0 } socket)
            return ManagementClient.OverSocket(Path.GetFullPath(socket));
        string? endpoint = parse.GetValue(common.Endpoint);
        if (endpoint is null && ControlSocket.CandidatePaths().FirstOrDefault(LinkActors.Linux.Files.SafeFile.IsSocket) is { } found)
            return ManagementClient.OverSocket(found);
        endpoint ??= ManagementClient.DefaultEndpoint.ToString();
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--endpoint: \"{endpoint}\" is not an http:// URL");
        string? token = parse.GetValue(common.Token) ?? Environment.GetEnvironmentVariable(ManagementSettings.TokenVariable);
        return new ManagementClient(uri, token);
    }

    private static Command Status()
    {
        var common = Options();
        var link = new Argument<string?>("link") { Description = "One link; all links when left out.", Arity = ArgumentArity.ZeroOrOne };
        var command = With(new Command("status", "Show each link's phase, addresses, traffic, modem and last failure.") { link }, common);
        command.SetAction((parse, cancel) => Run(parse, common, async client =>
        {
            bool json = parse.GetValue(common.Json);
            if (parse.GetValue(link) is { } name)
            {
                var one = await client.LinkAsync(name, cancel).ConfigureAwait(false);
                return Print(one, json, v => StatusText.Link(v));
            }
            var all = await client.LinksAsync(cancel).ConfigureAwait(false);
            return Print(all, json, v => string.Join("\n", v.Links.Select(StatusText.Link)));
        }));
        return command;
    }

    private static Command Control(string action, string description)
    {
        var common = Options();
        var link = new Argument<string>("link") { Description = "The link's name." };
        var command = With(new Command(action, description) { link }, common);
        command.SetAction((parse, cancel) => Run(parse, common, async client =>
        {
            var result = await client.ControlAsync(parse.GetValue(link)!, action, cancel).ConfigureAwait(false);
            return Print(result, parse.GetValue(common.Json), v => $"{v.Link}: {v.Detail}\n");
        }));
        return command;
    }

    private static Command Events()
    {
        var common = Options();
        var link = new Argument<string>("link") { Description = "The link's name." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing events as they happen (server-sent events) until Ctrl-C." };
        var command = With(new Command("events", "Show a link's recent events: phases, layers, modem reports, failures, redials.") { link, follow }, common);
        command.SetAction((parse, cancel) => Run(parse, common, async client =>
        {
            string name = parse.GetValue(link)!;
            bool json = parse.GetValue(common.Json);
            if (!parse.GetValue(follow))
            {
                var events = await client.EventsAsync(name, 0, cancel).ConfigureAwait(false);
                return Print(events, json, v => string.Concat(v.Events.Select(e => StatusText.Event(e) + "\n")));
            }
            try
            {
                await foreach (var view in client.FollowAsync(name, 0, cancel).ConfigureAwait(false))
                    Console.Out.WriteLine(json ? JsonSerializer.Serialize(view, ManagementJson.Options) : StatusText.Event(view));
            }
            catch (OperationCanceledException)
            {
            }
            return CommandLine.ExitOk;
        }));
        return command;
    }

    private static Command DoctorVerb()
    {
        var common = Options();
        var link = new Argument<string?>("link") { Description = "One link; all links when left out.", Arity = ArgumentArity.ZeroOrOne };
        var sample = new Option<double>("--sample") { Description = "Seconds to watch the traffic counters of an up link (0: do not wait).", DefaultValueFactory = _ => 5 };
        var command = With(new Command("doctor", "Explain in plain words what a link is doing, what is likely wrong, and what to try next.") { link, sample }, common);
        command.SetAction((parse, cancel) => Run(parse, common, async client =>
        {
            var names = new List<string>();
            if (parse.GetValue(link) is { } one)
            {
                names.Add(one);
            }
            else
            {
                var all = await client.LinksAsync(cancel).ConfigureAwait(false);
                if (!all.Ok)
                    return Print(all, parse.GetValue(common.Json), _ => "");
                names.AddRange(all.Value!.Links.Select(l => l.Name));
            }
            var wait = TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(sample), 0, 600));
            var readings = await Task.WhenAll(names.Select(n => DoctorFactsReader.ReadAsync(client, n, wait, cancel))).ConfigureAwait(false);
            var diagnoses = new List<Diagnosis>();
            foreach (var (facts, error) in readings)
            {
                if (facts is null)
                {
                    Console.Error.WriteLine($"{error!.Link}: {error.Error}{(error.Hint is null ? "" : $" ({error.Hint})")}");
                    return CommandLine.ExitFailure;
                }
                diagnoses.Add(LinkDoctor.Examine(facts));
            }
            Console.Out.Write(parse.GetValue(common.Json)
                ? JsonSerializer.Serialize(diagnoses, ManagementJson.Options) + "\n"
                : string.Join("\n", diagnoses.Select(StatusText.Diagnosis)));
            return diagnoses.Any(d => d.Severity == Severity.Problem) ? CommandLine.ExitFailure : CommandLine.ExitOk;
        }));
        return command;
    }

    private static async Task<int> Run(ParseResult parse, Common common, Func<ManagementClient, Task<int>> action)
    {
        string where = parse.GetValue(common.Socket) ?? parse.GetValue(common.Endpoint) ?? "the daemon";
        try
        {
            using var client = Client(parse, common);
            where = client.Description;
            return await action(client).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return CommandLine.ExitConfigError;
        }
        catch (UnverifiedEndpointException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitUnreachable;
        }
        catch (HttpRequestException e) when (e.InnerException is UnverifiedEndpointException unverified)
        {
            Console.Error.WriteLine(unverified.Message);
            return ExitUnreachable;
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied })
        {
            Console.Error.WriteLine($"cannot use {where}: permission denied (it is for root and members of group {ControlSocket.ServiceAccount}; " +
                "over TCP, control verbs need --endpoint and the token)");
            return ExitUnreachable;
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.StatusCode is null)
        {
            Console.Error.WriteLine($"cannot reach the daemon at {where}: {e.Message} (is `linkactors run` running, with the management endpoint enabled?)");
            return ExitUnreachable;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine(e.Message);
            return CommandLine.ExitFailure;
        }
        catch (TaskCanceledException)
        {
            Console.Error.WriteLine($"the daemon at {where} did not answer in time");
            return ExitUnreachable;
        }
    }

    private static int Print<T>(ClientResult<T> result, bool json, Func<T, string> text)
    {
        if (json)
        {
            Console.Out.WriteLine(result.Body);
        }
        else if (result.Ok)
        {
            Console.Out.Write(text(result.Value!));
        }
        else
        {
            var error = result.Error ?? new ErrorView($"HTTP {result.Status}");
            Console.Error.WriteLine($"{error.Error}{(error.Hint is null ? "" : $" ({error.Hint})")}");
        }
        return result.Ok ? CommandLine.ExitOk : CommandLine.ExitFailure;
    }
}
