using System.Security.Cryptography;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Auth;

/// <summary>How we check a peer with PAP: our name (the secrets' server column) and pppd's pap-restart.</summary>
public sealed record PapServerSettings(string OurName, SecretsTable Secrets)
{
    /// <summary>How long we wait for the peer's Authenticate-Request (pppd pap-restart / reqtime, 30 s); zero waits forever.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// PAP, the authenticator (RFC 1334 §2): waits for Authenticate-Request, checks the user and password
/// against the secrets table, answers Ack or Nak. A wrong password fails at once, as in pppd.
/// A repeated request after the verdict gets the same answer again (our Ack may have been lost).
/// </summary>
public sealed class PapServer : IAuthMachine
{
    private const string AckMessage = "Login ok";
    private const string NakMessage = "Login incorrect";

    private readonly PapServerSettings _settings;

    public PapServer(PapServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(settings.OurName);
        ArgumentNullException.ThrowIfNull(settings.Secrets);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.RequestTimeout, TimeSpan.Zero);
        _settings = settings;
    }

    public ushort Protocol => PppProtocol.Pap;

    public AuthRole Role => AuthRole.Server;

    public AuthProgress State { get; private set; }

    /// <summary>The name the peer authenticated as, once it did.</summary>
    public string? PeerName { get; private set; }

    public IReadOnlyList<EngineOutput> Start()
    {
        State = AuthProgress.Pending;
        PeerName = null;
        return _settings.RequestTimeout > TimeSpan.Zero ? [new StartRestartTimer(_settings.RequestTimeout)] : [];
    }

    public IReadOnlyList<EngineOutput> Stop()
    {
        bool hadTimer = State == AuthProgress.Pending;
        State = AuthProgress.Idle;
        return hadTimer ? [new StopRestartTimer()] : [];
    }

    /// <summary>The request timer fired: the peer never tried.</summary>
    public IReadOnlyList<EngineOutput> Timeout()
    {
        if (State != AuthProgress.Pending)
            return [];
        State = AuthProgress.Failed;
        return [new AuthFailed(PppProtocol.Pap, AuthRole.Server,
            $"peer sent no PAP Authenticate-Request within {_settings.RequestTimeout.TotalSeconds:0.#} s")];
    }

    public IReadOnlyList<EngineOutput> Receive(ReadOnlySpan<byte> information)
    {
        if (!AuthPacket.TryParse(information, out var packet) || packet.Code != PapCode.AuthenticateRequest)
            return [];
        var data = packet.Data;
        // RFC 1334 §2.2.1: Peer-ID Length, Peer-ID, Passwd-Length, Password; a length that lies drops the packet.
        if (!AuthPacket.TryReadCounted(ref data, out var user) || !AuthPacket.TryReadCounted(ref data, out var password))
            return [];
        switch (State)
        {
            case AuthProgress.Succeeded:
                return [Answer(PapCode.AuthenticateAck, packet.Identifier, AckMessage)];
            case AuthProgress.Failed:
                return [Answer(PapCode.AuthenticateNak, packet.Identifier, NakMessage)];
            case AuthProgress.Idle:
                return [];
        }

        string name = AuthText.Printable(user);
        PeerName = name;
        var entry = _settings.Secrets.Find(name, _settings.OurName);
        string? failure = entry switch
        {
            null => $"no PAP secret for peer '{name}' on '{_settings.OurName}'",
            // Deviation from pppd, on purpose: an empty secret there accepts any password.
            { Secret.Length: 0 } => $"the PAP secret for peer '{name}' is empty",
            _ when !CryptographicOperations.FixedTimeEquals(AuthText.Encode(entry.Secret), password) => $"peer '{name}' gave a wrong PAP password",
            _ => null,
        };
        if (failure is null)
        {
            State = AuthProgress.Succeeded;
            return
            [
                new StopRestartTimer(),
                Answer(PapCode.AuthenticateAck, packet.Identifier, AckMessage),
                new AuthSucceeded(PppProtocol.Pap, AuthRole.Server, name, AckMessage) { Addresses = entry!.Addresses },
            ];
        }
        State = AuthProgress.Failed;
        return
        [
            new StopRestartTimer(),
            Answer(PapCode.AuthenticateNak, packet.Identifier, NakMessage),
            new AuthFailed(PppProtocol.Pap, AuthRole.Server, failure),
        ];
    }

    private static SendControl Answer(byte code, byte identifier, string message)
    {
        // RFC 1334 §2.2.2: Msg-Length, Message.
        byte[] text = AuthText.Encode(message);
        var data = new byte[1 + text.Length];
        data[0] = (byte)text.Length;
        text.CopyTo(data, 1);
        return new SendControl(PppProtocol.Pap, AuthPacket.Build(code, identifier, data));
    }
}
