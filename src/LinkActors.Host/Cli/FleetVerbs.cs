using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using LinkActors.Fleet.Service;
using LinkActors.Fleet.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace LinkActors.Host.Cli;

/// <summary>`linkactors fleet` (run a node of the fleet service), `fleet-status` and `fleet-command` (the operator's side).</summary>
public static class FleetVerbs
{
    public const string UrlVariable = "LINKACTORS_FLEET_URL";

    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Subcommands.Add(Serve());
        root.Subcommands.Add(Status());
        root.Subcommands.Add(CommandVerb());
    }

    private static Command Serve()
    {
        var config = new Option<FileInfo>("--config") { Description = "A HOCON file with linkactors.fleet-service { ... } (see the README).", Required = true };
        var command = new Command("fleet", "Run a node of the fleet service: the device API, the operator API, and a member of the fleet's Akka.NET cluster.") { config };
        command.SetAction(async (parse, cancel) =>
        {
            FleetServiceSettings settings;
            try
            {
                settings = FleetServiceSettings.Load(parse.GetValue(config)!.FullName);
            }
            catch (FleetSettingsException e)
            {
                Console.Error.WriteLine(e.Message);
                return CommandLine.ExitConfigError;
            }
            var logger = new LoggerConfiguration()
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("Akka.Cluster.Sharding", LogEventLevel.Warning)
                .WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}")
                .CreateLogger();
            await using var app = FleetService.Build(settings, logging => logging.AddSerilog(logger, dispose: true));
            await app.StartAsync(cancel).ConfigureAwait(false);
            foreach (var url in app.Urls)
                logger.Information("fleet: listening on {Url}; cluster node {Host}:{Port}, management {ManagementPort}", url, settings.Hostname, settings.RemotePort, settings.ManagementPort);
            await app.WaitForShutdownAsync(cancel).ConfigureAwait(false);
            return CommandLine.ExitOk;
        });
        return command;
    }

    private sealed record Common(Option<string?> Url, Option<string?> Token, Option<string?> CaFile, Option<bool> Json);

    private static Common Options() => new(
        new Option<string?>("--url") { Description = $"The fleet service (default: ${UrlVariable}, else https://127.0.0.1:8443)." },
        new Option<string?>("--token") { Description = $"The operator token (default: ${FleetServiceSettings.OperatorTokenVariable})." },
        new Option<string?>("--ca-file") { Description = "A PEM file of the CA to trust for the service." },
        new Option<bool>("--json") { Description = "Print the service's JSON instead of text." });

    private static Command With(Command command, Common common)
    {
        command.Options.Add(common.Url);
        command.Options.Add(common.Token);
        command.Options.Add(common.CaFile);
        command.Options.Add(common.Json);
        return command;
    }

    private static Command Status()
    {
        var common = Options();
        var device = new Argument<string?>("device") { Description = "One device in depth; the list when left out.", Arity = ArgumentArity.ZeroOrOne };
        var down = new Option<bool>("--down") { Description = "Only devices with a link that is not up." };
        var dead = new Option<bool>("--dead-path") { Description = "Only devices whose data path is dead." };
        var weak = new Option<bool>("--weak-signal") { Description = "Only devices with a weak signal (-95 dBm or less)." };
        var notSeen = new Option<double?>("--not-seen-hours") { Description = "Only devices not heard from for this many hours." };
        var tag = new Option<string?>("--tag") { Description = "Only devices with this tag." };
        var command = With(new Command("fleet-status", "List the fleet's devices (with filters), or show one device's facts, events and commands.")
        {
            device, down, dead, weak, notSeen, tag,
        }, common);
        command.SetAction((parse, cancel) => RunAsync(parse, common, async client =>
        {
            bool json = parse.GetValue(common.Json);
            if (parse.GetValue(device) is { } id)
            {
                using var one = await client.GetAsync($"api/v1/devices/{Uri.EscapeDataString(id)}", cancel).ConfigureAwait(false);
                return await PrintAsync<DeviceView>(one, json, DeviceText, cancel).ConfigureAwait(false);
            }
            var query = new List<string>();
            if (parse.GetValue(down))
                query.Add("down=true");
            if (parse.GetValue(dead))
                query.Add("dead-path=true");
            if (parse.GetValue(weak))
                query.Add("weak-signal=true");
            if (parse.GetValue(notSeen) is { } hours)
                query.Add(string.Create(CultureInfo.InvariantCulture, $"not-seen-hours={hours}"));
            if (parse.GetValue(tag) is { } t)
                query.Add("tag=" + Uri.EscapeDataString(t));
            using var list = await client.GetAsync("api/v1/devices" + (query.Count > 0 ? "?" + string.Join("&", query) : ""), cancel).ConfigureAwait(false);
            return await PrintAsync<FleetApi.DeviceList>(list, json, ListText, cancel).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command CommandVerb()
    {
        var common = Options();
        var device = new Argument<string>("device") { Description = "The device." };
        var verb = new Argument<string>("verb") { Description = $"One of: {string.Join(", ", LinkActors.Fleet.Wire.FleetVerbs.All)}." };
        var link = new Option<string?>("--link") { Description = "The link to act on (default: every link of the device)." };
        var seconds = new Option<int?>("--seconds") { Description = "watch-closely: for how long." };
        var interval = new Option<int?>("--interval") { Description = "watch-closely: seconds between reports meanwhile." };
        var wait = new Option<int>("--wait") { Description = "Wait up to this many seconds for the device to acknowledge (0: do not wait).", DefaultValueFactory = _ => 0 };
        var command = With(new Command("fleet-command", "Queue a command for a device; it gets it in the answer to its next report and acknowledges the outcome in the one after.")
        {
            device, verb, link, seconds, interval, wait,
        }, common);
        command.SetAction((parse, cancel) => RunAsync(parse, common, async client =>
        {
            string id = parse.GetValue(device)!;
            var request = new FleetApi.CommandRequest(parse.GetValue(verb), parse.GetValue(link), parse.GetValue(seconds), parse.GetValue(interval));
            using var queued = await client.PostAsJsonAsync($"api/v1/devices/{Uri.EscapeDataString(id)}/commands", request, FleetJson.Options, cancel).ConfigureAwait(false);
            if (!queued.IsSuccessStatusCode || parse.GetValue(wait) <= 0)
                return await PrintAsync<CommandView>(queued, parse.GetValue(common.Json), CommandText, cancel).ConfigureAwait(false);
            var view = (await queued.Content.ReadFromJsonAsync<CommandView>(FleetJson.Operator, cancel).ConfigureAwait(false))!;
            var deadline = DateTimeOffset.UtcNow.AddSeconds(parse.GetValue(wait));
            while (true)
            {
                using var state = await client.GetAsync($"api/v1/devices/{Uri.EscapeDataString(id)}/commands/{view.Id}", cancel).ConfigureAwait(false);
                var text = await state.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
                var current = state.IsSuccessStatusCode ? JsonSerializer.Deserialize<CommandView>(text, FleetJson.Operator) : null;
                if (current is null || current.Finished || DateTimeOffset.UtcNow >= deadline)
                {
                    Console.Out.WriteLine(parse.GetValue(common.Json) ? text : current is null ? text : CommandText(current));
                    return current is { State: "done" } ? CommandLine.ExitOk : CommandLine.ExitFailure;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), cancel).ConfigureAwait(false);
            }
        }));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Common common, Func<HttpClient, Task<int>> action)
    {
        string url = parse.GetValue(common.Url) ?? Environment.GetEnvironmentVariable(UrlVariable) ?? "https://127.0.0.1:8443";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            Console.Error.WriteLine($"--url: \"{url}\" is not an https:// URL");
            return CommandLine.ExitConfigError;
        }
        string? token = parse.GetValue(common.Token) ?? Environment.GetEnvironmentVariable(FleetServiceSettings.OperatorTokenVariable);
        if (string.IsNullOrEmpty(token))
        {
            Console.Error.WriteLine($"the operator token is needed: --token or ${FleetServiceSettings.OperatorTokenVariable}");
            return CommandLine.ExitConfigError;
        }
        var handler = new SocketsHttpHandler();
        if (parse.GetValue(common.CaFile) is { } caFile)
        {
            var pinned = new X509Certificate2Collection();
            try
            {
                pinned.ImportFromPemFile(caFile);
            }
            catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
            {
                Console.Error.WriteLine($"--ca-file: {caFile}: {e.Message}");
                return CommandLine.ExitConfigError;
            }
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                    return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(pinned);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            };
        }
        using var client = new HttpClient(handler) { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            return await action(client).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"cannot reach the fleet service at {uri}: {e.InnerException?.Message ?? e.Message}");
            return ManagementVerbs.ExitUnreachable;
        }
        catch (TaskCanceledException)
        {
            Console.Error.WriteLine($"the fleet service at {uri} did not answer in time");
            return ManagementVerbs.ExitUnreachable;
        }
    }

    private static async Task<int> PrintAsync<T>(HttpResponseMessage response, bool json, Func<T, string> text, CancellationToken cancel)
    {
        string body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            string reason = body;
            try
            {
                if (JsonSerializer.Deserialize<Problem>(body, FleetJson.Options) is { } problem)
                    reason = problem.Hint is null ? problem.Error : $"{problem.Error} ({problem.Hint})";
            }
            catch (JsonException)
            {
            }
            Console.Error.WriteLine(json ? body : $"HTTP {(int)response.StatusCode}: {reason}");
            return CommandLine.ExitFailure;
        }
        Console.Out.WriteLine(json ? body : text(JsonSerializer.Deserialize<T>(body, FleetJson.Operator)!));
        return CommandLine.ExitOk;
    }

    public static string ListText(FleetApi.DeviceList list)
    {
        var b = new StringBuilder();
        b.AppendLine(CultureInfo.InvariantCulture, $"{list.Devices.Count} of {list.Total} devices{(list.Complete ? "" : " (the list is still being read from the journal)")}");
        foreach (var d in list.Devices)
        {
            string seen = d.LastSeen is { } at ? $"seen {at:yyyy-MM-dd HH:mm} UTC" : "never reported";
            string signal = d.Dbm is { } dbm ? string.Create(CultureInfo.InvariantCulture, $", signal {dbm} dBm{(d.WeakSignal ? " (weak)" : "")}") : "";
            string failure = d.Failure is { } f ? $", last failure {f.Code}: {f.Text}" : "";
            string commands = d.PendingCommands > 0 ? string.Create(CultureInfo.InvariantCulture, $", {d.PendingCommands} command(s) pending") : "";
            b.AppendLine(CultureInfo.InvariantCulture, $"{d.Id}: {(d.Down ? "DOWN" : "up")} ({d.Phase}){(d.DeadPath ? ", data path dead" : "")}{signal}, {seen}{failure}{commands}");
        }
        return b.ToString().TrimEnd();
    }

    public static string DeviceText(DeviceView device)
    {
        var b = new StringBuilder(ListText(new FleetApi.DeviceList([device.Summary], 1, true)).Split('\n', 2)[1]);
        b.AppendLine();
        foreach (var link in device.Links)
            b.AppendLine(CultureInfo.InvariantCulture, $"  link {link.Name}: {link.Phase}{(link.Local is null ? "" : $", {link.Local} -> {link.Remote}")}, redials {link.Redials}{(link.Doctor is null ? "" : $", doctor: {link.Doctor}")}");
        foreach (var c in device.Commands.TakeLast(10))
            b.AppendLine($"  command {CommandText(c)}");
        foreach (var e in device.Events.Take(15))
            b.AppendLine(CultureInfo.InvariantCulture, $"  {e.At:yyyy-MM-dd HH:mm:ss} {e.Link} {e.Kind}: {e.Text}");
        return b.ToString().TrimEnd();
    }

    public static string CommandText(CommandView c) =>
        $"{c.Id}: {c.Verb}{(c.Link is null ? "" : " " + c.Link)} {c.State}{(c.Detail is null ? "" : ": " + c.Detail)}";
}
