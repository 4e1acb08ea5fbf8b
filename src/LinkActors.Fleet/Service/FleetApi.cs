using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using LinkActors.Fleet.Page;
using LinkActors.Fleet.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LinkActors.Fleet.Service;

/// <summary>
/// The fleet's HTTP API. Device API: a device posts its report with its own token and gets its pending
/// commands back (the device always opens the connection: carrier NAT is no obstacle). Operator API:
/// the device list with filters, one device in depth, commands and their outcome, and a live feed
/// (server-sent events) of every device's changes. Every refusal is a 4xx with a reason in words.
/// </summary>
public static class FleetApi
{
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public sealed record EnrolRequest(string? Device, IReadOnlyList<string>? Tags);

    public sealed record RegisterRequest(IReadOnlyList<string>? Tags);

    public sealed record CommandRequest(string? Verb, string? Link, int? Seconds, int? Interval);

    public sealed record DeviceList(IReadOnlyList<DeviceSummary> Devices, int Total, bool Complete);

    /// <summary>The page's session: the CSRF token its commands must carry (header X-CSRF-Token).</summary>
    public sealed record SessionView(string Csrf);

    public sealed record ClusterView(string Self, IReadOnlyList<string> Up, IReadOnlyList<string> Unreachable);

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<FleetServiceSettings>();
        var operatorHash = ReportRules.HashToken(settings.OperatorToken);
        byte[]? enrolmentHash = settings.EnrolmentToken.Length > 0 ? ReportRules.HashToken(settings.EnrolmentToken) : null;
        IActorRef Region() => app.Services.GetRequiredService<ActorRegistry>().Get<DeviceRegion>();
        IActorRef Directory() => app.Services.GetRequiredService<ActorRegistry>().Get<FleetDirectory>();
        IActorRef History() => app.Services.GetRequiredService<ActorRegistry>().Get<LinksUpHistory>();

        // Device API
        app.MapPost("/api/v1/devices/{id}/report", async (HttpContext http, string id) =>
        {
            if (!ReportRules.IsName(id))
                return Error(400, "a device id is 1 to 64 letters, digits, '.', '_' or '-'");
            if (Bearer(http) is not { } token)
                return Error(401, "a device token is required (Authorization: Bearer TOKEN)");
            var (report, bytes, problem) = await ReadJson<DeviceReport>(http).ConfigureAwait(false);
            if (problem is not null)
                return problem;
            if (ReportRules.Check(report) is { } invalid)
                return Error(400, invalid);
            var reply = await AskRegion<DeviceProtocol.ReportReply>(Region(), new DeviceProtocol.Report(id, ReportRules.HashToken(token), report!, bytes)).ConfigureAwait(false);
            if (reply is null)
                return Error(503, "the fleet did not answer in time; send the report again later");
            return reply.Status == 200 ? Results.Json(reply.Answer, FleetJson.Options) : Results.Json(reply.Problem, FleetJson.Options, statusCode: reply.Status);
        });

        app.MapPost("/api/v1/enrol", async (HttpContext http) =>
        {
            if (enrolmentHash is null)
                return Error(403, "enrolment is off on this fleet service", "ask an operator for a device token");
            if (Bearer(http) is not { } token || !ReportRules.SameHash(enrolmentHash, ReportRules.HashToken(token)))
                return Error(401, "the enrolment token is missing or wrong");
            var (request, _, problem) = await ReadJson<EnrolRequest>(http).ConfigureAwait(false);
            if (problem is not null)
                return problem;
            if (!ReportRules.IsName(request?.Device))
                return Error(400, "device must be 1 to 64 letters, digits, '.', '_' or '-'");
            if (TagsProblem(request!.Tags) is { } tagsProblem)
                return tagsProblem;
            return await Register(Region(), request.Device!, request.Tags ?? [], onlyIfNew: true).ConfigureAwait(false);
        });

        // Operator API: the operator token as a bearer token (CLI, scripts), or the page's session cookie. A browser
        // sends the cookie by itself, so with the cookie every request that changes something needs the CSRF token too.
        var session = app.Services.GetRequiredService<OperatorSession>();
        var ops = app.MapGroup("/api/v1").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var token = Bearer(http);
            if (token is null)
            {
                if (session.Current(http) is not { } nonce)
                    return Error(401, "the operator token is required (Authorization: Bearer TOKEN), or log in on the page");
                if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !session.CsrfValid(http, nonce))
                    return Error(403, $"the CSRF token is missing or wrong (header {OperatorSession.CsrfHeader}); nothing was done", "reload the page");
                return await next(context).ConfigureAwait(false);
            }
            if (!ReportRules.SameHash(operatorHash, ReportRules.HashToken(token)))
                return Error(403, "this token may not use the operator API");
            return await next(context).ConfigureAwait(false);
        });

        ops.MapGet("/session", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return session.Current(http) is { } nonce ? Results.Json(new SessionView(session.CsrfToken(nonce)), FleetJson.Operator)
                : Error(400, "no page session: the bearer token needs no CSRF token");
        });

        ops.MapGet("/history", async () =>
        {
            var history = await AskActor<LinksUpHistoryProtocol.History>(History(), LinksUpHistoryProtocol.GetHistory.Instance).ConfigureAwait(false);
            return history is null ? Error(503, "the fleet did not answer in time") : Results.Json(history, FleetJson.Operator);
        });

        ops.MapGet("/devices", async (HttpContext http) =>
        {
            var (filter, problem) = Filter(http.Request.Query);
            if (problem is not null)
                return problem;
            var list = await AskActor<FleetDirectoryProtocol.Devices>(Directory(), new FleetDirectoryProtocol.List(filter!, DateTimeOffset.UtcNow)).ConfigureAwait(false);
            if (list is null)
                return Error(503, "the fleet did not answer in time");
            return Results.Json(new DeviceList(list.Items, list.Total, list.Complete), FleetJson.Operator);
        });

        ops.MapGet("/devices/{id}", async (string id) =>
        {
            if (!ReportRules.IsName(id))
                return Error(400, "a device id is 1 to 64 letters, digits, '.', '_' or '-'");
            var reply = await AskRegion<DeviceProtocol.DeviceReply>(Region(), new DeviceProtocol.GetDevice(id)).ConfigureAwait(false);
            if (reply is null)
                return Error(503, "the fleet did not answer in time");
            return reply.Device is null ? Error(404, $"no device {id}") : Results.Json(reply.Device, FleetJson.Operator);
        });

        ops.MapPut("/devices/{id}", async (HttpContext http, string id) =>
        {
            if (!ReportRules.IsName(id))
                return Error(400, "a device id is 1 to 64 letters, digits, '.', '_' or '-'");
            var (request, _, problem) = await ReadJson<RegisterRequest>(http).ConfigureAwait(false);
            if (problem is not null)
                return problem;
            if (TagsProblem(request?.Tags) is { } tagsProblem)
                return tagsProblem;
            return await Register(Region(), id, request?.Tags ?? [], onlyIfNew: false).ConfigureAwait(false);
        });

        ops.MapPost("/devices/{id}/commands", async (HttpContext http, string id) =>
        {
            if (!ReportRules.IsName(id))
                return Error(400, "a device id is 1 to 64 letters, digits, '.', '_' or '-'");
            var (request, _, problem) = await ReadJson<CommandRequest>(http).ConfigureAwait(false);
            if (problem is not null)
                return problem;
            if (request?.Verb is not { } verb || !FleetVerbs.IsKnown(verb))
                return Error(400, $"verb must be one of: {string.Join(", ", FleetVerbs.All)}");
            if (request.Link is not null && !ReportRules.IsName(request.Link))
                return Error(400, "link must be a link name");
            if (verb == "watch-closely" && (request.Seconds is not (>= 60 and <= 86400) || request.Interval is not (>= 10 and <= 3600)))
                return Error(400, "watch-closely needs seconds (60..86400: how long) and interval (10..3600: seconds between reports)");
            var reply = await AskRegion<DeviceProtocol.CommandReply>(Region(), new DeviceProtocol.QueueCommand(id, verb, request.Link, request.Seconds, request.Interval)).ConfigureAwait(false);
            if (reply is null)
                return Error(503, "the fleet did not answer in time; the command may or may not be queued: look at the device");
            return reply.Command is null ? Results.Json(reply.Problem, FleetJson.Options, statusCode: reply.Status) : Results.Json(reply.Command, FleetJson.Operator, statusCode: 202);
        });

        ops.MapGet("/devices/{id}/commands/{command}", async (string id, string command) =>
        {
            if (!ReportRules.IsName(id) || !ReportRules.IsName(command))
                return Error(400, "a device id and a command id are letters, digits, '.', '_' or '-'");
            var reply = await AskRegion<DeviceProtocol.CommandReply>(Region(), new DeviceProtocol.GetCommand(id, command)).ConfigureAwait(false);
            if (reply is null)
                return Error(503, "the fleet did not answer in time");
            return reply.Command is null ? Results.Json(reply.Problem, FleetJson.Options, statusCode: reply.Status) : Results.Json(reply.Command, FleetJson.Operator);
        });

        ops.MapGet("/feed", async (HttpContext http) =>
        {
            await FeedAsync(http, Directory(), History()).ConfigureAwait(false);
            return Results.Empty;
        });

        ops.MapGet("/cluster", (HttpContext http) =>
        {
            var cluster = Cluster.Get(http.RequestServices.GetRequiredService<ActorSystem>());
            var state = cluster.State;
            return Results.Json(new ClusterView(cluster.SelfAddress.ToString(),
                state.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address.ToString()).ToList(),
                state.Unreachable.Select(m => m.Address.ToString()).ToList()), FleetJson.Operator);
        });
    }

    private static async Task<IResult> Register(IActorRef region, string id, IReadOnlyList<string> tags, bool onlyIfNew)
    {
        string token = ReportRules.NewToken();
        var reply = await AskRegion<DeviceProtocol.Registered>(region, new DeviceProtocol.Register(id, ReportRules.HashToken(token), tags, onlyIfNew)).ConfigureAwait(false);
        if (reply is null)
            return Error(503, "the fleet did not answer in time");
        return reply.Ok ? Results.Json(new Enrolled(id, token), FleetJson.Options, statusCode: 201) : Error(409, reply.Error!);
    }

    private static IResult? TagsProblem(IReadOnlyList<string>? tags) =>
        tags is null ? null
        : tags.Count > ReportRules.MaxTags ? Error(400, $"at most {ReportRules.MaxTags} tags")
        : tags.Any(t => !ReportRules.IsName(t)) ? Error(400, "a tag is 1 to 64 letters, digits, '.', '_' or '-'")
        : null;

    /// <summary>Server-sent events: the current list as one `devices` event and the links-up series of the last 24 h as one
    /// `history` event, then a `device` event per change and a `sample` event per new point of the series.</summary>
    private static async Task FeedAsync(HttpContext http, IActorRef directory, IActorRef history)
    {
        var channel = Channel.CreateBounded<object>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var current = await directory.Ask<FleetDirectoryProtocol.Devices>(new FleetDirectoryProtocol.Follow(channel.Writer), AskTimeout).ConfigureAwait(false);
        try
        {
            // The series comes from the fleet's singleton; while it moves between nodes the page starts without it.
            var series = await AskActor<LinksUpHistoryProtocol.History>(history, LinksUpHistoryProtocol.GetHistory.Instance, TimeSpan.FromSeconds(2)).ConfigureAwait(false)
                ?? new LinksUpHistoryProtocol.History([], 0);
            http.Response.StatusCode = 200;
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await WriteEvent(http, "devices", new DeviceList(current.Items, current.Total, current.Complete)).ConfigureAwait(false);
            await WriteEvent(http, "history", series).ConfigureAwait(false);
            await foreach (var item in channel.Reader.ReadAllAsync(http.RequestAborted).ConfigureAwait(false))
            {
                if (item is DeviceSummary summary)
                    await WriteEvent(http, "device", summary).ConfigureAwait(false);
                else if (item is LinksUpPoint point)
                    await WriteEvent(http, "sample", point).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            directory.Tell(new FleetDirectoryProtocol.Unfollow(channel.Writer));
        }
    }

    private static async Task WriteEvent(HttpContext http, string name, object data)
    {
        await http.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, FleetJson.Operator)}\n\n", http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    private static (DeviceFilter? Filter, IResult? Problem) Filter(IQueryCollection query)
    {
        bool? Flag(string name, out string? bad)
        {
            bad = null;
            if (!query.TryGetValue(name, out var value))
                return null;
            if (bool.TryParse(value.ToString(), out bool b))
                return b;
            bad = $"{name} must be true or false";
            return null;
        }
        var down = Flag("down", out var e1);
        var dead = Flag("dead-path", out var e2);
        var weak = Flag("weak-signal", out var e3);
        if ((e1 ?? e2 ?? e3) is { } bad)
            return (null, Error(400, bad));
        double? hours = null;
        if (query.TryGetValue("not-seen-hours", out var h))
        {
            if (!double.TryParse(h.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) || parsed < 0 || parsed > 24 * 365)
                return (null, Error(400, "not-seen-hours must be a number of hours"));
            hours = parsed;
        }
        string? tag = query.TryGetValue("tag", out var t) ? t.ToString() : null;
        string? text = query.TryGetValue("q", out var q) ? q.ToString() : null;
        if (text is { Length: > 64 })
            return (null, Error(400, "q is at most 64 characters"));
        return (new DeviceFilter(down, dead, weak, hours, tag, text), null);
    }

    private static string? Bearer(HttpContext http)
    {
        string? header = http.Request.Headers.Authorization;
        const string Scheme = "Bearer ";
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            return null;
        var token = header[Scheme.Length..].Trim();
        return token.Length is > 0 and <= 256 ? token : null;
    }

    private static async Task<(T? Value, int Bytes, IResult? Problem)> ReadJson<T>(HttpContext http) where T : class
    {
        if (http.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, 0, Error(415, "the body must be JSON (Content-Type: application/json)"));
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            return (null, 0, Error(413, "the body is larger than this service accepts", "keep reports small"));
        }
        try
        {
            return (JsonSerializer.Deserialize<T>(body, FleetJson.Options), body.Length, null);
        }
        catch (JsonException e)
        {
            return (null, body.Length, Error(400, $"the body is not valid JSON for this request: {Shorten(e.Message)}"));
        }
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] : text;

    private static Task<T?> AskRegion<T>(IActorRef region, IDeviceMessage message) where T : class => AskActor<T>(region, message);

    private static async Task<T?> AskActor<T>(IActorRef actor, object message, TimeSpan? timeout = null) where T : class
    {
        try
        {
            return await actor.Ask<T>(message, timeout ?? AskTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return null;
        }
    }

    public static IResult Error(int status, string error, string? hint = null) => Results.Json(new Problem(error, hint), FleetJson.Options, statusCode: status);
}
