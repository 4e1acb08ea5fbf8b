using Akka.Actor;
using LinkActors.Actors.Framing;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Actors.Link;

/// <summary>Messages of an <see cref="AuthActor"/>.</summary>
public static class Authentication
{
    public sealed record Start
    {
        public static Start Instance { get; } = new();
    }

    public sealed record Stop
    {
        public static Stop Instance { get; } = new();
    }

    /// <summary>One role of one protocol finished well (pppd: "PAP authentication succeeded").</summary>
    public sealed record Succeeded(ushort Protocol, AuthRole Role, string PeerName, AllowedAddresses? Addresses);

    /// <summary>One role of one protocol failed, and why (never with a secret in it).</summary>
    public sealed record Failed(ushort Protocol, AuthRole Role, string Reason);
}

/// <summary>
/// Runs PAP or CHAP for one link in one or both roles: both sides may authenticate each other at
/// once over the same protocol number, so packets are dispatched to a role by their code
/// (RFC 1334 §2.2, RFC 1994 §4).
/// </summary>
public sealed class AuthActor : ReceiveActor, IWithTimers
{
    private readonly ushort _protocol;
    private readonly IAuthMachine? _client;
    private readonly IAuthMachine? _server;
    private readonly IActorRef _framing;
    private readonly IActorRef _supervisor;

    public AuthActor(ushort protocol, IAuthMachine? client, IAuthMachine? server, IActorRef framing, IActorRef supervisor)
    {
        _protocol = protocol;
        _client = client;
        _server = server;
        _framing = framing;
        _supervisor = supervisor;

        Receive<Authentication.Start>(_ =>
        {
            if (_server is not null)
                Carry(_server, _server.Start());
            if (_client is not null)
                Carry(_client, _client.Start());
        });
        Receive<Authentication.Stop>(_ =>
        {
            if (_server is not null)
                Carry(_server, _server.Stop());
            if (_client is not null)
                Carry(_client, _client.Stop());
        });
        Receive<FramingProtocol.FrameReceived>(f => f.Protocol == _protocol, f =>
        {
            if (RoleFor(f.Information.Span) is { } machine)
                Carry(machine, machine.Receive(f.Information.Span));
        });
        Receive<TimerFired>(t =>
        {
            var machine = t.Role == AuthRole.Client ? _client : _server;
            if (machine is not null)
                Carry(machine, machine.Timeout());
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record TimerFired(AuthRole Role);

    /// <summary>Which of our roles a packet is for, by its code; null when no such role runs.</summary>
    private IAuthMachine? RoleFor(ReadOnlySpan<byte> information)
    {
        if (information.IsEmpty)
            return null;
        byte code = information[0];
        bool forServer = _protocol == PppProtocol.Pap
            ? code == PapCode.AuthenticateRequest          // RFC 1334 §2.2.1: requests come from the peer being checked
            : code == ChapCode.Response;                   // RFC 1994 §4.1: a Response answers our Challenge
        return forServer ? _server : _client;
    }

    private void Carry(IAuthMachine machine, IReadOnlyList<EngineOutput> outputs)
    {
        var key = new TimerFired(machine.Role);
        foreach (var output in outputs)
        {
            switch (output)
            {
                case SendControl send:
                    _framing.Tell(new FramingProtocol.SendFrame(send.Protocol, send.Packet));
                    break;
                case StartRestartTimer start:
                    Timers.StartSingleTimer(key, key, start.After);
                    break;
                case StopRestartTimer:
                    Timers.Cancel(key);
                    break;
                case AuthSucceeded ok:
                    Timers.Cancel(key);
                    _supervisor.Tell(new Authentication.Succeeded(ok.Protocol, ok.Role, ok.PeerName, ok.Addresses));
                    break;
                case AuthFailed failed:
                    Timers.Cancel(key);
                    _supervisor.Tell(new Authentication.Failed(failed.Protocol, failed.Role, failed.Reason));
                    break;
            }
        }
    }

    public static Props Props(ushort protocol, Func<IAuthMachine?> client, Func<IAuthMachine?> server, IActorRef framing, IActorRef supervisor) =>
        Akka.Actor.Props.Create(() => new AuthActor(protocol, client(), server(), framing, supervisor));
}
