using LinkActors.Tests.Shared;
using System.Net;
using Akka.Actor;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Emulator.Bridge;
using LinkActors.Emulator.Modem;
using LinkActors.Emulator.Profiles;
using LinkActors.Host.Management;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Host.Tests.Support;

/// <summary>
/// A whole daemon in this process, wired as the demo does: an emulated BC66 on a pty whose CONNECT
/// leads over loopback TCP to a LinkActors server link (the ISP), a client link dialing the modem,
/// and a link that fails on purpose (its device does not exist). The management endpoint listens on
/// 127.0.0.1 on a free port, with a token.
/// </summary>
public sealed class LinkDaemon : IAsyncDisposable
{
    public const string Token = "test-token-0123456789";
    public static readonly IPAddress ServerAddress = IPAddress.Parse("192.0.2.1");
    public static readonly IPAddress ClientAddress = IPAddress.Parse("192.0.2.2");
    private readonly DirectoryInfo _work;

    private readonly SocatPtyPair _line;

    private LinkDaemon(DirectoryInfo work, SocatPtyPair line, ModemEmulator modem, IHost host, ManagementClient client, ManagementClient anonymous)
    {
        _work = work;
        _line = line;
        Modem = modem;
        Host = host;
        Client = client;
        Anonymous = anonymous;
    }

    public ModemEmulator Modem { get; }
    public IHost Host { get; }

    /// <summary>With the token.</summary>
    public ManagementClient Client { get; }

    /// <summary>Without a token.</summary>
    public ManagementClient Anonymous { get; }

    public Uri Endpoint => Client.Endpoint;

    public ActorSystem System => Host.Services.GetRequiredService<ActorSystem>();

    /// <summary>Starts everything; <paramref name="beforeStart"/> may inject modem faults before the first dial.</summary>
    /// <param name="clientSettings">More HOCON for the client link ("watchdog { window = 3s }").</param>
    public static async Task<LinkDaemon> StartAsync(Action<ModemEmulator>? beforeStart = null, TimeSpan? registrationDelay = null, string clientSettings = "")
    {
        var work = Directory.CreateTempSubdirectory("linkactors-host-tests-");
        // The ISP's line: a pty pair; the server link holds one end, each call of the modem opens the other.
        var line = new SocatPtyPair();
        var modem = ModemEmulator.Start(new ModemEmulatorOptions
        {
            Profile = ModemProfile.Bc66,
            LinkPath = Path.Combine(work.FullName, "modem"),
            Server = _ => ValueTask.FromResult<IPppServerConnection>(new StreamPppServerConnection(line.OpenB())),
            RegistrationDelay = registrationDelay ?? TimeSpan.FromMilliseconds(300),
            GuardTime = TimeSpan.FromMilliseconds(200),
        });
        beforeStart?.Invoke(modem);
        var links = Settings.Create(Settings.Parse(Hocon(line.A, modem.PortPath, work.FullName, clientSettings), "test"), "test");
        var host = LinkHost.Build(links, new LogOptions(Debug: false, LogFile: null),
            management: new ManagementSettings(true, "127.0.0.1", 0, Token));
        await host.StartAsync().ConfigureAwait(false);
        var endpoint = host.Services.GetRequiredService<ManagementServer>().BaseAddress!;
        return new LinkDaemon(work, line, modem, host, new ManagementClient(endpoint, Token), new ManagementClient(endpoint, null));
    }

    public async Task<LinkView> WaitForAsync(string link, Func<LinkView, bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        LinkView? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var result = await Client.LinkAsync(link).ConfigureAwait(false);
            if (result.Ok)
            {
                last = result.Value!;
                if (condition(last))
                    return last;
            }
            await Task.Delay(200).ConfigureAwait(false);
        }
        var events = await Client.EventsAsync(link).ConfigureAwait(false);
        var isp = await Client.EventsAsync("isp").ConfigureAwait(false);
        throw new TimeoutException($"{link} did not reach the expected state; last seen: {last}\nevents:\n"
            + string.Join("\n", (events.Value?.Events ?? []).Concat(isp.Value?.Events ?? []).OrderBy(e => e.Sequence).Select(e => $"{e.Time:HH:mm:ss.fff} {e.Link} {e.Summary}")));
    }

    public Task<LinkView> WaitUpAsync(string link = "client") => WaitForAsync(link, l => l.IsUp);

    /// <summary>Sends ICMP echo requests from the client's network side to the server (none while the link is down).</summary>
    public async Task PingAsync(int count, ushort identifier = 0x4c41)
    {
        var side = await System.ActorSelection("/user/links")
            .Ask<LinkProtocol.NetworkSide>(new LinkManagement.ToLink("client", LinkProtocol.GetNetworkSide.Instance), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        // Between attempts the link has no network side: nothing to send through.
        if (side.Actor is null)
            return;
        for (ushort seq = 1; seq <= count; seq++)
            side.Actor.Tell(new NetworkProtocol.SendPacket(Icmp.BuildEchoRequest(ClientAddress, ServerAddress, identifier, seq, "linkactors test"u8)));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await Host.StopAsync().ConfigureAwait(false);
        Host.Dispose();
        await Modem.DisposeAsync().ConfigureAwait(false);
        _line.Dispose();
        try
        {
            _work.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Hocon(string ispDevice, string modemPath, string work, string clientSettings) => $$"""
        linkactors.links {
          isp {
            role = server
            required = false
            device = "{{ispDevice}}"
            local = true
            lock = false
            persist = true
            holdoff = 0s
            maxfail = 0
            auth {
              require = chap
              secrets = [ { client = "test-device", server = "*", secret = "test-secret", addresses = ["192.0.2.2"] } ]
            }
            ipcp { local = "192.0.2.1", remote = "192.0.2.2", ms-dns = ["198.51.100.53", "198.51.100.54"] }
            network { mode = endpoint, state-directory = "{{work}}/isp-state" }
          }
          client {
            device = "{{modemPath}}"
            local = true
            lock = false
            connect {
              timeout = 10s
              script = [
                ABORT, BUSY, ABORT, "NO CARRIER", ABORT, "NO DIALTONE", ABORT, ERROR, ABORT, "NO ANSWER",
                "", AT, OK, ATE0, OK, ATI, OK, "AT+CSQ", OK, "AT+CPIN?", OK, "AT+COPS?", OK, "AT+CGREG?",
                OK, "AT+CGDCONT=1,\"IP\",\"iot.1nce.net\",,0,0", OK, "ATDT*99#", CONNECT, ""
              ]
            }
            # Back to command mode and hang up, so that the next dial finds the modem answering AT.
            disconnect { timeout = 5s, script = ["", "\\d+++\\c", OK, ATH, OK] }
            auth { user = "test-device", password = "test-secret", refuse-pap = true }
            ipcp { noipdefault = true, usepeerdns = true }
            lcp { echo-interval = 2s, echo-failure = 5 }
            persist = true
            holdoff = 1s
            maxfail = 0
            registration { timeout = 4s, poll = 500ms }
            network { mode = endpoint, state-directory = "{{work}}/client-state" }
            {{clientSettings}}
          }
          broken {
            required = false
            device = "{{work}}/no-such-modem"
            local = true
            lock = false
            persist = false
            watchdog { device-wait = 0s }
            network { mode = endpoint, state-directory = "{{work}}/broken-state" }
          }
        }
        """;
}
