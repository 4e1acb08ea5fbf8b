using System.Net;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkActors.Host.Management;

/// <summary>
/// The management endpoint: Kestrel inside the daemon's generic host, started after the actor system
/// and stopped before it. Its own small web application shares the host's services (actor system,
/// health checks, metrics, logs) but not its lifetime.
/// </summary>
public sealed partial class ManagementServer : IHostedService, IAsyncDisposable
{
    public const string AliveTag = "alive";
    private readonly ManagementSettings _settings;
    private readonly IServiceProvider _services;
    private readonly ILogger<ManagementServer> _log;
    private readonly TokenCheck _token;
    private WebApplication? _app;
    private LinkFactsReader? _facts;
    private LinkMetrics? _metrics;
    private PrometheusExporter? _exporter;

    public ManagementServer(ManagementSettings settings, IServiceProvider services, ILogger<ManagementServer> log)
    {
        _settings = settings;
        _services = services;
        _log = log;
        _token = new TokenCheck(settings.Token);
    }

    /// <summary>Where the endpoint listens once started (with the real port when 0 was configured).</summary>
    public Uri? BaseAddress { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _settings.Validate();
        _facts = _services.GetRequiredService<LinkFactsReader>();
        _metrics = _services.GetRequiredService<LinkMetrics>();
        _exporter = new PrometheusExporter(_metrics.Meter);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(ManagementServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_services.GetRequiredService<ILoggerFactory>());
        var address = _settings.Bind == "localhost" ? IPAddress.Loopback : IPAddress.Parse(_settings.Bind);
        if (_settings.Socket is { } socketPath)
            ControlSocket.Prepare(socketPath, removeStale: true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Control requests carry no body; nothing the endpoint reads is larger than this.
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Listen(address, _settings.Port);
            if (_settings.Socket is { } socket)
                kestrel.ListenUnixSocket(socket);
        });
        var app = builder.Build();
        app.UseStatusCodePages(StatusCodeJson);
        app.Use(Guard);
        MapRoutes(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw Unavailable(_settings, e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException ? AddressInUse : (e.InnerException ?? e).Message, e);
        }
        _app = app;
        if (_settings.Socket is { } listening)
            ControlSocket.Secure(listening);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(a => !a.StartsWith("http://unix:", StringComparison.Ordinal));
        BaseAddress = bound is null ? null : new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal) + "/");
        if (_log.IsEnabled(LogLevel.Information))
        {
            _log.LogInformation("Management endpoint on {Address} ({Access})", BaseAddress,
                _token.IsSet ? "control verbs need the token" : "reads only: control verbs over TCP need a token, and none is set");
            if (_settings.Socket is { } path)
                _log.LogInformation("Control socket {Path} (status and control for root and group {Group})", path, ControlSocket.ServiceAccount);
        }
    }

    /// <summary>
    /// Tries the endpoint's address before anything else starts, so that a taken port stops the daemon
    /// before any link dials; the listener is closed again at once (Kestrel binds it for real).
    /// </summary>
    public static void CheckCanListen(ManagementSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Enabled)
            return;
        if (settings.Socket is { } socketPath)
            ControlSocket.Prepare(socketPath, removeStale: false);
        if (settings.Port == 0)
            return;
        var address = settings.Bind == "localhost" ? IPAddress.Loopback : IPAddress.Parse(settings.Bind);
        using var socket = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, settings.Port));
            socket.Listen(1);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw Unavailable(settings, e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse ? AddressInUse : e.Message, e);
        }
    }

    private const string AddressInUse = "the address is already in use (another daemon, or another program, listens there)";

    private static ManagementUnavailableException Unavailable(ManagementSettings settings, string reason, Exception cause) =>
        new($"management endpoint: cannot listen on {settings.Bind} port {settings.Port}: {reason}", cause);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
            if (_settings.Socket is { } socket)
                ControlSocket.Remove(socket);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync().ConfigureAwait(false);
        _exporter?.Dispose();
    }

    /// <summary>Alive: the actor system runs, as Akka.Hosting's liveness check (and any other tagged alive) says.</summary>
    public async Task<bool> IsAliveAsync(CancellationToken cancellationToken)
    {
        var system = _services.GetRequiredService<ActorSystem>();
        if (system.WhenTerminated.IsCompleted)
            return false;
        var health = _services.GetService<HealthCheckService>();
        if (health is null)
            return true;
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(AliveTag), cancellationToken).ConfigureAwait(false);
        return report.Status == HealthStatus.Healthy;
    }

    /// <summary>Errors never escape as a crash or an HTML page: a timeout is 504, anything else 500, both JSON.</summary>
    private async Task Guard(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (AskTimeoutException) when (!context.Response.HasStarted)
        {
            await Json(context, StatusCodes.Status504GatewayTimeout, new ErrorView("the link manager did not answer in time")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            _log.LogError(e, "Management request {Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
            await Json(context, StatusCodes.Status500InternalServerError, new ErrorView($"internal error: {e.GetType().Name}")).ConfigureAwait(false);
        }
    }

    private static Task StatusCodeJson(StatusCodeContext context)
    {
        var http = context.HttpContext;
        string error = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => $"no such route: {http.Request.Method} {http.Request.Path}",
            StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}",
            _ => $"status {http.Response.StatusCode}",
        };
        return Json(http, http.Response.StatusCode, new ErrorView(error,
            Hint: "routes: GET /alive /ready /metrics /links /links/{name} /links/{name}/events /auth/challenge; POST /links/{name}/up|down|redial|reset-modem"));
    }

    internal static Task Json<T>(HttpContext context, int status, T value)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(value, ManagementJson.Options, contentType: "application/json; charset=utf-8", context.RequestAborted);
    }
}

/// <summary>The management endpoint could not listen (port taken, address not on this host): the daemon stops with one line.</summary>
public sealed class ManagementUnavailableException : Exception
{
    public ManagementUnavailableException() { }

    public ManagementUnavailableException(string message) : base(message) { }

    public ManagementUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
