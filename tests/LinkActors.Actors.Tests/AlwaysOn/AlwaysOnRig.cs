using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Emulator.Bridge;
using LinkActors.Emulator.Modem;
using LinkActors.Emulator.Profiles;
using Xunit.Abstractions;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Actors.Tests.AlwaysOn;

/// <summary>
/// What `linkactors demo` wires, for tests: an emulated BC66 on a pty (reached through a symlink), whose
/// CONNECT leads over loopback TCP to a server link (the ISP), and a client link that dials the modem,
/// pings the server every second and redials on its own. Every event of both links is kept, time-stamped.
/// With <c>clientNamespace</c> the client's network side is a TUN interface in that network namespace (as on a
/// device); otherwise both links use the in-process endpoint.
/// </summary>
internal sealed class AlwaysOnRig : IAsyncDisposable
{
    public static readonly IPAddress ServerAddress = IPAddress.Parse("192.0.2.1");
    private readonly ActorSystem _system;
    private readonly ITestOutputHelper _output;
    private readonly int _port;
    private readonly ConcurrentQueue<string> _commands = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IActorRef? _clientManager;
    private IActorRef? _serverManager;
    private IActorRef? _recorder;
    private readonly ModemProfile _profile;

    public AlwaysOnRig(ActorSystem system, ITestOutputHelper output, string clientExtra = "", Action<ModemEmulator>? beforeLinks = null,
        string? clientNamespace = null, ModemProfile? profile = null)
    {
        _system = system;
        _profile = profile ?? ModemProfile.Bc66;
        _output = output;
        Work = Directory.CreateTempSubdirectory("la-alwayson-");
        ModemPath = Path.Combine(Work.FullName, "modem");
        _port = FreeLoopbackPort();
        Modem = StartModem();
        beforeLinks?.Invoke(Modem);
        _recorder = system.ActorOf(Props.Create(() => new EventRecorder(Events, _clock)));
        foreach (var type in new[] { typeof(LinkProtocol.Up), typeof(LinkProtocol.Ended), typeof(LinkProtocol.PingResult), typeof(LinkProtocol.DataPathDead),
                     typeof(LinkProtocol.Renegotiating), typeof(LinkProtocol.RegistrationWaitEnded), typeof(LinkProtocol.DeviceWaitEnded),
                     typeof(LinkProtocol.ModemResetDone), typeof(LinkProtocol.CarrierLost), typeof(LinkManagement.GaveUp),
                     typeof(LinkManagement.RedialScheduled), typeof(LinkManagement.EscalationStepTaken),
                     typeof(LinkProtocol.ModemInfoUpdated), typeof(LinkActors.Actors.Cmux.CmuxProtocol.Multiplexed), typeof(LinkActors.Actors.Cmux.CmuxProtocol.NotMultiplexed),
                     typeof(TunProtocol.InterfaceCreated), typeof(TunProtocol.InterfaceRemoved) })
            system.EventStream.Subscribe(_recorder, type);
        if (clientNamespace is not null)
            clientExtra = $"network {{ mode = tun, state-directory = \"{Work.FullName}/state\" }}\n{clientExtra}";
        var links = Settings.Create(Settings.Parse(Hocon(clientExtra), "always-on test"), "always-on test");
        _serverManager = system.ActorOf(LinkManager.Props([links.Single(l => l.Name == "isp")], LinkDependencyFactory.Default));
        _clientManager = system.ActorOf(LinkManager.Props([links.Single(l => l.Name == "client")], clientNamespace is null
            ? LinkDependencyFactory.Default
            : l => LinkDependencyFactory.Default(l) with { NetworkProps = NetworkFactory.For(l, clientNamespace) }));
    }

    public DirectoryInfo Work { get; }

    public string ModemPath { get; }

    public ModemEmulator Modem { get; private set; }

    public IActorRef Client => _clientManager!;

    /// <summary>Every event, with the seconds since the rig started.</summary>
    public ConcurrentQueue<(double At, object Event)> Events { get; } = new();

    /// <summary>The AT command lines the modem (any of its incarnations) received.</summary>
    public IReadOnlyCollection<string> Commands => _commands;

    public double Now => _clock.Elapsed.TotalSeconds;

    public void Log(string text) => _output.WriteLine($"[{Now,7:0.000}] {text}");

    /// <summary>Waits (bounded) for an event of the client link after <paramref name="since"/> that matches; fails the test when the bound passes.</summary>
    public async Task<(double At, T Event)> WaitFor<T>(Func<T, bool> match, TimeSpan within, double since, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            foreach (var (at, e) in Events)
            {
                if (at >= since && e is T t && match(t))
                    return (at, t);
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no {what} within {within.TotalSeconds:0} s (since t={since:0.0}); last events:\n"
            + string.Join("\n", Events.TakeLast(25).Select(e => $"  [{e.At:0.000}] {e.Event}")));
    }

    public Task<(double At, LinkProtocol.PingResult Event)> WaitForPingAnswered(TimeSpan within, double since) =>
        WaitFor<LinkProtocol.PingResult>(p => p.Link == "client" && p.RoundTrip is not null, within, since, "answered ping");

    public IEnumerable<T> EventsOf<T>(double since = 0) => Events.Where(e => e.At >= since && e.Event is T).Select(e => (T)e.Event);

    /// <summary>The emulator goes away as an unplugged USB modem does: its pty and symlink vanish.</summary>
    public async Task UnplugAsync()
    {
        await Modem.DisposeAsync();
        Log("modem unplugged");
    }

    public void PlugIn()
    {
        Modem = StartModem();
        Log("modem plugged in again");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var manager in new[] { _clientManager, _serverManager })
        {
            if (manager is null)
                continue;
            try
            {
                await manager.Ask<LinkManagement.AllStopped>(new LinkManagement.StopAll("test done"), TimeSpan.FromSeconds(15));
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                _output.WriteLine("a link manager did not stop within 15 s");
            }
            _system.Stop(manager);
        }
        _clientManager = _serverManager = null;
        if (_recorder is not null)
            _system.Stop(_recorder);
        await Modem.DisposeAsync();
        try
        {
            Work.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ModemEmulator StartModem()
    {
        var modem = ModemEmulator.Start(new ModemEmulatorOptions
        {
            Profile = _profile,
            LinkPath = ModemPath,
            Server = PppServers.Tcp("127.0.0.1", _port),
            RegistrationDelay = TimeSpan.FromSeconds(1),
            BootDelay = TimeSpan.FromSeconds(1),
            Log = line => Log("modem: " + line),
        });
        modem.CommandReceived += (_, line) => _commands.Enqueue(line);
        return modem;
    }

    private string Hocon(string clientExtra) => $$"""
        linkactors.links {
          isp {
            role = server
            device = "socket::{{_port}}"
            local = true
            lock = false
            ipcp { local = "192.0.2.1", remote = "192.0.2.2" }
            lcp { restart = 1s, echo-interval = 1s, echo-failure = 3 }
            persist = true
            holdoff = 0s
            maxfail = 0
          }
          client {
            device = "{{ModemPath}}"
            local = true
            lock = false
            connect {
              timeout = 5s
              script = [ ABORT, BUSY, ABORT, "NO CARRIER", ABORT, ERROR, "", AT, OK, ATE0, OK,
                "AT+CGDCONT=1,\"IP\",\"iot.1nce.net\",,0,0", OK, "ATDT*99#", CONNECT, "" ]
            }
            ipcp { noipdefault = true }
            lcp { restart = 1s, echo-interval = 1s, echo-failure = 3 }
            persist = true
            holdoff = 1s
            maxfail = 0
            registration { timeout = 30s, poll = 500ms }
            watchdog { ping-interval = 1s, window = 5s, device-wait = 30s, modem-reset-wait = 20s }
            {{clientExtra}}
          }
        }
        """;

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class EventRecorder : ReceiveActor
    {
        public EventRecorder(ConcurrentQueue<(double, object)> events, Stopwatch clock) =>
            ReceiveAny(m => events.Enqueue((clock.Elapsed.TotalSeconds, m)));
    }
}
