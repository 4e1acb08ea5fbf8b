using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using LinkActors.Actors.Link;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LinkActors.Host.Management;

public sealed partial class ManagementServer
{
    public static readonly IReadOnlyList<string> Actions = ["up", "down", "redial", "reset-modem"];
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private void MapRoutes(WebApplication app)
    {
        app.MapGet("/alive", async (HttpContext context) =>
        {
            bool alive = await IsAliveAsync(context.RequestAborted).ConfigureAwait(false);
            await Json(context, alive ? 200 : 503, new { alive, status = alive ? "the actor system is running" : "the actor system is not running" }).ConfigureAwait(false);
        });
        app.MapGet("/ready", async (HttpContext context) =>
        {
            bool alive = await IsAliveAsync(context.RequestAborted).ConfigureAwait(false);
            var links = alive ? await _facts!.ReadAllAsync().ConfigureAwait(false) : [];
            var view = Readiness.Evaluate(alive, links);
            await Json(context, view.Ready ? 200 : 503, view).ConfigureAwait(false);
        });
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            if (await Refused(context, control: false).ConfigureAwait(false))
                return;
            _metrics!.Update(await _facts!.ReadAllAsync().ConfigureAwait(false));
            context.Response.ContentType = PrometheusExporter.ContentType;
            await context.Response.WriteAsync(_exporter!.Scrape(), context.RequestAborted).ConfigureAwait(false);
        });
        app.MapGet("/links", async (HttpContext context) =>
        {
            if (await Refused(context, control: false).ConfigureAwait(false))
                return;
            await Json(context, 200, new LinksView(await _facts!.ReadAllAsync().ConfigureAwait(false))).ConfigureAwait(false);
        });
        app.MapGet("/links/{name}", async (HttpContext context, string name) =>
        {
            if (await Refused(context, control: false).ConfigureAwait(false) || await UnknownLink(context, name).ConfigureAwait(false))
                return;
            var view = await _facts!.ReadAsync(name).ConfigureAwait(false);
            await (view is null ? NotFound(context, name) : Json(context, 200, view)).ConfigureAwait(false);
        });
        app.MapGet("/links/{name}/events", async (HttpContext context, string name) =>
        {
            if (await Refused(context, control: false).ConfigureAwait(false) || await UnknownLink(context, name).ConfigureAwait(false))
                return;
            long after = 0;
            string? since = context.Request.Query["after"];
            since ??= context.Request.Headers["Last-Event-ID"];
            if (since is not null && !long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out after))
            {
                await Json(context, 400, new ErrorView($"after must be an event sequence number, not \"{since}\"", name)).ConfigureAwait(false);
                return;
            }
            if (context.Request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true))
            {
                await TailAsync(context, name, after).ConfigureAwait(false);
                return;
            }
            var recorded = await _facts!.Events.Ask<LinkEvents.Recorded>(new LinkEvents.GetEvents(name, after), _facts.Timeout).ConfigureAwait(false);
            await Json(context, 200, new EventsView(name, recorded.Events)).ConfigureAwait(false);
        });
        app.MapGet("/" + ManagementProof.ChallengeRoute, async (HttpContext context) =>
        {
            string? nonce = context.Request.Query["nonce"];
            if (!ManagementProof.IsNonce(nonce))
            {
                await Json(context, 400, new ErrorView("nonce must be 64 lowercase hex digits")).ConfigureAwait(false);
                return;
            }
            if (_token.Answer(nonce!) is not { } answer)
            {
                await Json(context, 404, new ErrorView("this daemon has no management token, so there is nothing to prove",
                    Hint: "control the links over the control socket, or set linkactors.management.token")).ConfigureAwait(false);
                return;
            }
            await Json(context, 200, answer).ConfigureAwait(false);
        });
        app.MapPost("/links/{name}/{action}", async (HttpContext context, string name, string action) =>
        {
            if (await Refused(context, control: true).ConfigureAwait(false) || await UnknownLink(context, name).ConfigureAwait(false)
                || !await BodyArrivedAsync(context).ConfigureAwait(false))
                return;
            await ControlAsync(context, name, action).ConfigureAwait(false);
        });
    }

    private async Task ControlAsync(HttpContext context, string name, string action)
    {
        object? command = action switch
        {
            "up" => new LinkManagement.Up(name),
            "down" => new LinkManagement.Down(name),
            "redial" => new LinkManagement.Redial(name),
            "reset-modem" => ResetModemCommand(name),
            _ => null,
        };
        if (command is null && action != "reset-modem")
        {
            await Json(context, 400, new ErrorView($"unknown action \"{action}\"", name, $"one of: {string.Join(", ", Actions)}")).ConfigureAwait(false);
            return;
        }
        if (command is null)
        {
            await Json(context, 501, new ErrorView("reset-modem is not available: this daemon's link manager has no modem reset command yet",
                name, "use redial, or reset the modem by hand (AT+CFUN=1,1) and redial")).ConfigureAwait(false);
            return;
        }
        _facts!.Manager.Tell(command, ActorRefs.NoSender);
        if (_log.IsEnabled(LogLevel.Information))
            _log.LogInformation("{Link}: {Action} requested over the management endpoint", name, action);
        string detail = action switch
        {
            "up" => "the link will be dialed (its failure count is reset)",
            "down" => "the link is being taken down and will stay down",
            "redial" => "the link is hanging up and dialing again now",
            _ => "the modem reset has been requested",
        };
        await Json(context, 202, new ActionView(name, action, true, detail)).ConfigureAwait(false);
    }

    /// <summary>The link manager's modem reset command, when the manager has one (LinkManagement.ResetModem(link)).</summary>
    private static object? ResetModemCommand(string link)
    {
        var type = typeof(LinkManagement).GetNestedType("ResetModem");
        return type?.GetConstructor([typeof(string)]) is { } constructor ? constructor.Invoke([link]) : null;
    }

    /// <summary>Server-sent events: the backlog after <paramref name="after"/>, then each new event as it is recorded.</summary>
    private async Task TailAsync(HttpContext context, string name, long after)
    {
        var channel = Channel.CreateBounded<EventView>(new BoundedChannelOptions(1024)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var events = _facts!.Events;
        var backlog = await events.Ask<LinkEvents.Recorded>(new LinkEvents.Follow(name, channel.Writer, after), _facts.Timeout).ConfigureAwait(false);
        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            var cancel = context.RequestAborted;
            await context.Response.WriteAsync(": linkactors events of " + name + "\n\n", cancel).ConfigureAwait(false);
            foreach (var view in backlog.Events)
                await WriteEventAsync(context.Response, view, cancel).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
            while (!cancel.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                wait.CancelAfter(KeepAlive);
                bool more;
                try
                {
                    more = await channel.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", cancel).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
                    continue;
                }
                if (!more)
                    break;
                while (channel.Reader.TryRead(out var view))
                    await WriteEventAsync(context.Response, view, cancel).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client stopped following.
        }
        finally
        {
            events.Tell(new LinkEvents.Unfollow(channel.Writer));
        }
    }

    private static Task WriteEventAsync(HttpResponse response, EventView view, CancellationToken cancel)
    {
        var text = new StringBuilder()
            .Append("id: ").Append(view.Sequence.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("event: ").Append(view.Type).Append('\n')
            .Append("data: ").Append(JsonSerializer.Serialize(view, ManagementJson.Options)).Append("\n\n");
        return response.WriteAsync(text.ToString(), cancel);
    }

    /// <summary>True (and the answer written) when the request lacks the token it needs.</summary>
    private async Task<bool> Refused(HttpContext context, bool control)
    {
        // The control socket's file mode (0660, group linkactors) decides who reaches it: no token there.
        if (ViaControlSocket(context))
            return false;
        bool needed = control || _settings.ReadsNeedToken;
        if (!needed)
            return false;
        var result = _token.Check(context.Request);
        if (result == TokenCheck.Result.Accepted)
            return false;
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"linkactors\"";
        string socket = _settings.Socket is { } path ? $"the control socket {path} (as root or a member of group {ControlSocket.ServiceAccount})" : "the control socket";
        string error = !_token.IsSet
            ? "control verbs over TCP need the management token, and this daemon has none"
            : result == TokenCheck.Result.Missing
                ? "this request needs the management token: send Authorization: Bearer <token>"
                : "the management token is not right";
        await Json(context, 401, new ErrorView(error, Hint: $"linkactors CLI: use {socket}, or --token / LINKACTORS_TOKEN over TCP")).ConfigureAwait(false);
        return true;
    }

    /// <summary>A request that came over the Unix domain socket (it has no IP addresses).</summary>
    private static bool ViaControlSocket(HttpContext context) =>
        context.Connection.LocalIpAddress is null && context.Connection.RemoteIpAddress is null;

    /// <summary>Control requests carry no body; this much is read and thrown away at most.</summary>
    private const int MaxBodyBytes = 4096;

    /// <summary>How long a control request's body may take to arrive before the request is dropped.</summary>
    private static readonly TimeSpan BodyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A control request acts only once the whole request has arrived: one that announces a body and
    /// never sends it (Content-Length: 1000000000000) does nothing. False (and the answer written when
    /// the client still listens) when the body is too large or did not come.
    /// </summary>
    private static async Task<bool> BodyArrivedAsync(HttpContext context)
    {
        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            await Json(context, 413, new ErrorView(string.Create(CultureInfo.InvariantCulture,
                $"a control request carries no body (at most {MaxBodyBytes} bytes are accepted); nothing was done"))).ConfigureAwait(false);
            return false;
        }
        if (context.Request.ContentLength == 0 || (context.Request.ContentLength is null && !context.Request.Headers.TransferEncoding.Any(v => v is not null)))
            return true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(BodyTimeout);
        var buffer = new byte[MaxBodyBytes + 1];
        int total = 0;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer.AsMemory(total, buffer.Length - total), timeout.Token).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > MaxBodyBytes)
                {
                    await Json(context, 413, new ErrorView("a control request carries no body; nothing was done")).ConfigureAwait(false);
                    return false;
                }
            }
            return true;
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            await Json(context, 408, new ErrorView("the request's body did not arrive; nothing was done")).ConfigureAwait(false);
            return false;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The client went away, or sent less than it announced: nothing is done.
            return false;
        }
    }

    private async Task<bool> UnknownLink(HttpContext context, string name)
    {
        if (_facts!.IsConfigured(name))
            return false;
        await NotFound(context, name).ConfigureAwait(false);
        return true;
    }

    private Task NotFound(HttpContext context, string name) =>
        Json(context, 404, new ErrorView($"no link named \"{name}\"", name, $"configured links: {string.Join(", ", _facts!.Names.Order(StringComparer.Ordinal))}"));
}
