using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Configuration.Pppd;
using LinkActors.Actors.Link;
using LinkActors.Emulator.Bridge;
using LinkActors.Emulator.Modem;
using LinkActors.Emulator.Profiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Host.Tests.PppdCall;

/// <summary>What one run of the user's link showed: the trace, the modem's view, the outcome, the record file.</summary>
public sealed record QuectelRun(
    LinkSettings Client,
    LinkProtocol.Up? Up,
    LinkProtocol.Ended? Ended,
    IReadOnlyList<string> ClientTrace,
    IReadOnlyList<string> AllLog,
    IReadOnlyList<string> CommandsBeforeConnect,
    string? Apn,
    bool LockHeldWhileUp,
    bool LockGoneAfterStop,
    string RecordPath,
    string Diagnostics);

/// <summary>
/// The user's quectel-ppp setup with no hardware: a copy of the fixture tree (Actors.Tests'
/// Pppd/Fixtures/quectel) in a temp root, the emulated BC66 on a pty in place of /dev/ttyS0, and
/// behind the modem's CONNECT a LinkActors server link on loopback TCP acting as the network.
/// </summary>
public sealed class QuectelCallRig : IAsyncDisposable
{
    public const string PeerName = "quectel-ppp";
    public const string PeersPath = "/etc/ppp/peers/quectel-ppp";
    public static readonly IPAddress ServerAddress = IPAddress.Parse("192.0.2.1");
    public static readonly IPAddress ClientAddress = IPAddress.Parse("192.0.2.2");
    private static readonly TimeSpan UpWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _work;
    private readonly List<string> _emulatorLog = [];
    private readonly ConcurrentQueue<string> _commands = new();
    private ModemEmulator? _modem;
    private volatile bool _connected;

    private QuectelCallRig(DirectoryInfo work)
    {
        _work = work;
        Root = Path.Combine(work.FullName, "root");
        // A unique device name: `lock` (kept as the user wrote it) takes /var/lock/LCK..NAME.
        DevicePath = Path.Combine(work.FullName, $"ttyQ{Guid.NewGuid().ToString("N")[..8]}");
        RecordPath = Path.Combine(work.FullName, "quectel.record");
        Environment = new PppdEnvironment(Root, "/root");
    }

    /// <summary>The directory that stands for "/" for the import.</summary>
    public string Root { get; }

    /// <summary>The emulator's pty symlink: what the peers file names instead of /dev/ttyS0.</summary>
    public string DevicePath { get; }

    public string RecordPath { get; }

    public PppdEnvironment Environment { get; }

    public string LockFile => Path.Combine("/var/lock", "LCK.." + Path.GetFileName(DevicePath));

    /// <summary>
    /// Copies the fixture tree and edits the peers file in exactly two lines: /dev/ttyS0 becomes
    /// the emulator's pty, and the record file moves from /tmp into this run's directory.
    /// </summary>
    public static QuectelCallRig Create()
    {
        var rig = new QuectelCallRig(Directory.CreateTempSubdirectory("linkactors-pppd-call-"));
        string source = Path.Combine(FindFixtures(), "quectel");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(rig.Root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        string peers = Path.Join(rig.Root, PeersPath);
        string original = File.ReadAllText(peers);
        string edited = original
            .Replace("\n/dev/ttyS0\n", $"\n{rig.DevicePath}\n", StringComparison.Ordinal)
            .Replace("\nrecord /tmp/quectel.record\n", $"\nrecord {rig.RecordPath}\n", StringComparison.Ordinal);
        if (CountDifferentLines(original, edited) != 2)
            throw new InvalidOperationException("the fixture's peers file no longer has the /dev/ttyS0 and record lines this test replaces");
        File.WriteAllText(peers, edited);

        // pppd takes a path outside /dev as the device only if it exists, and the import looks for
        // it under the fake root: the tree gets the device too, as the system it describes would
        // have it (a symlink to the same pty). Not a change to the user's files.
        string mirrored = Path.Join(rig.Root, rig.DevicePath);
        Directory.CreateDirectory(Path.GetDirectoryName(mirrored)!);
        File.CreateSymbolicLink(mirrored, rig.DevicePath);
        return rig;
    }

    /// <summary>The text of the user's peers file as this run has it.</summary>
    public string PeersFileText => File.ReadAllText(Path.Join(Root, PeersPath));

    /// <summary>
    /// The link to run, from the imported settings. The one change: the chat scripts are named as
    /// pppd names them (/etc/chatscripts/...), which is right for `linkactors call` on the device,
    /// but here the tree's copy must be read, not the test machine's /etc.
    /// </summary>
    public LinkSettings ToRun(LinkSettings imported)
    {
        ArgumentNullException.ThrowIfNull(imported);
        return imported with
        {
            Connect = imported.Connect.ChatFile is { } connect ? imported.Connect with { ChatFile = Environment.Resolve(connect) } : imported.Connect,
            Disconnect = imported.Disconnect.ChatFile is { } disconnect ? imported.Disconnect with { ChatFile = Environment.Resolve(disconnect) } : imported.Disconnect,
        };
    }

    /// <summary>
    /// Starts the emulated BC66 and a host with the network's server link and <paramref name="client"/>;
    /// waits (bounded) for the client to come up or end, stops the host, and returns what was seen.
    /// </summary>
    /// <param name="requireChap">The server asks the client to authenticate with CHAP.</param>
    /// <param name="debug">The host's debug logging (pppd's `debug`).</param>
    /// <param name="offerIpv6">The server negotiates IPV6CP too.</param>
    public async Task<QuectelRun> RunAsync(LinkSettings client, bool requireChap, bool debug, bool offerIpv6 = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        int port = FreeLoopbackPort();
        _modem = ModemEmulator.Start(new ModemEmulatorOptions
        {
            Profile = ModemProfile.Bc66,
            LinkPath = DevicePath,
            Server = PppServers.Tcp("127.0.0.1", port),
            RegistrationDelay = TimeSpan.FromMilliseconds(500),
            GuardTime = TimeSpan.FromMilliseconds(200),
            Log = line =>
            {
                lock (_emulatorLog)
                    _emulatorLog.Add(line);
            },
        });
        _modem.CommandReceived += (_, command) =>
        {
            if (!_connected)
                _commands.Enqueue(command);
        };
        _modem.Connected += (_, _) => _connected = true;

        var server = Assert.Single(Settings.Create(Settings.Parse(ServerHocon(port, requireChap, offerIpv6), "isp"), "isp"));
        // The in-process packet endpoint for both links: no TUN interface on the test machine (we
        // may be root, where network.mode = auto would make one). The link settings stay as imported.
        using var host = LinkHost.Build([server, client], new LogOptions(Debug: debug, LogFile: null), LinkDependencyFactory.Default);
        var log = new ConcurrentQueue<LogEvent>();
        var events = Channel.CreateUnbounded<object>();
        LinkProtocol.Up? up = null;
        LinkProtocol.Ended? ended = null;
        bool lockWhileUp = false;
        try
        {
            using (var starting = new CancellationTokenSource(StopWithin))
                await host.StartAsync(starting.Token);
            var system = host.Services.GetRequiredService<ActorSystem>();
            // The chat runs for seconds before the first PPP frame: the trace of LCP on is all here.
            var logger = system.ActorOf(Props.Create(() => new Collector(e => log.Enqueue((LogEvent)e))), "pppd-call-log");
            system.EventStream.Subscribe(logger, typeof(LogEvent));
            var listener = system.ActorOf(Props.Create(() => new Collector(e => events.Writer.TryWrite(e))), "pppd-call-events");
            system.EventStream.Subscribe(listener, typeof(LinkProtocol.Up));
            system.EventStream.Subscribe(listener, typeof(LinkProtocol.Ended));

            using var wait = new CancellationTokenSource(UpWithin);
            try
            {
                while (up is null && ended is null)
                {
                    var message = await events.Reader.ReadAsync(wait.Token);
                    if (message is LinkProtocol.Up u && u.Link == client.Name)
                        up = u;
                    else if (message is LinkProtocol.Ended e && e.Link == client.Name)
                        ended = e;
                }
            }
            catch (OperationCanceledException)
            {
                // Neither: reported below with the log.
            }
            lockWhileUp = up is not null && File.Exists(LockFile);
        }
        finally
        {
            using var stopping = new CancellationTokenSource(StopWithin);
            await host.StopAsync(stopping.Token);
        }
        string? apn = _modem.GetApn(1);
        await _modem.DisposeAsync();
        _modem = null;

        var lines = log.Select(Describe).ToList();
        string clientSource = $"/user/links/{Uri.EscapeDataString(client.Name)}-";
        var trace = log.Where(e => e.LogSource.Contains(clientSource, StringComparison.Ordinal)).Select(e => e.Message.ToString() ?? "").ToList();
        string diagnostics;
        lock (_emulatorLog)
            diagnostics = "log:\n" + string.Join("\n", lines) + "\nemulator:\n" + string.Join("\n", _emulatorLog);
        return new QuectelRun(client, up, ended, trace, lines, [.. _commands], apn, lockWhileUp, !File.Exists(LockFile), RecordPath, diagnostics);
    }

    public async ValueTask DisposeAsync()
    {
        if (_modem is not null)
            await _modem.DisposeAsync();
        try
        {
            _work.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The emulator removes its own pty link; nothing else here is held open.
        }
    }

    private static string Describe(LogEvent e) => $"{e.LogLevel()} [{e.LogSource}] {e.Message}";

    private static string ServerHocon(int port, bool requireChap, bool offerIpv6) => $$"""
        linkactors.links.isp {
          role = server
          device = "socket::{{port}}"
          local = true
          lock = false
          {{(requireChap
              ? """auth { require = chap, secrets = [ { client = "*", server = "*", secret = "network-secret", addresses = ["192.0.2.2"] } ] }"""
              : "auth.require = none")}}
          ipcp { local = "192.0.2.1", remote = "192.0.2.2" }
          ipv6cp.enabled = {{(offerIpv6 ? "true" : "false")}}
          network.mode = endpoint
        }
        """;

    private static int CountDifferentLines(string a, string b)
    {
        var left = a.Split('\n');
        var right = b.Split('\n');
        return left.Length != right.Length ? int.MaxValue : left.Zip(right, (l, r) => l != r).Count(differs => differs);
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>tests/LinkActors.Actors.Tests/Pppd/Fixtures, found above the test output, the current directory or this file.</summary>
    private static string FindFixtures([CallerFilePath] string thisFile = "")
    {
        string[] starts = [AppContext.BaseDirectory, Directory.GetCurrentDirectory(), Path.GetDirectoryName(thisFile) ?? "/"];
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LinkActors.sln")))
                    return Path.Combine(dir.FullName, "tests", "LinkActors.Actors.Tests", "Pppd", "Fixtures");
            }
        }
        throw new DirectoryNotFoundException("LinkActors.sln not found above the test output, the current directory or the test source");
    }

    /// <summary>Hands event-stream messages to a callback.</summary>
    private sealed class Collector : ReceiveActor
    {
        public Collector(Action<object> sink) => ReceiveAny(sink);
    }
}
