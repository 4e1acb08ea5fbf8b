using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Auth;

/// <summary>PAP packet codes (RFC 1334 §2.2).</summary>
public static class PapCode
{
    public const byte AuthenticateRequest = 1;
    public const byte AuthenticateAck = 2;
    public const byte AuthenticateNak = 3;
}

/// <summary>
/// How we authenticate ourselves with PAP: pppd's "user" and "password", pap-timeout and
/// pap-max-authreq. <see cref="ToString"/> never shows the password.
/// </summary>
public sealed record PapClientSettings(string User, string Password)
{
    /// <summary>Retransmit interval for Authenticate-Request (pppd pap-timeout, 3 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Authenticate-Requests sent before giving up (pppd pap-max-authreq, 10).</summary>
    public int MaxRequests { get; init; } = 10;

    public override string ToString() => $"PapClientSettings {{ User = {User}, Password = ***, Timeout = {Timeout}, MaxRequests = {MaxRequests} }}";
}

/// <summary>
/// PAP, the authenticating side (RFC 1334 §2): sends Authenticate-Request until the peer answers
/// Ack or Nak, or <see cref="PapClientSettings.MaxRequests"/> went unanswered. Pure: timers are
/// requested as outputs and fired by calling <see cref="Timeout"/>.
/// </summary>
public sealed class PapClient : IAuthMachine
{
    private readonly PapClientSettings _settings;
    private readonly byte[] _user;
    private readonly byte[] _password;
    private byte _identifier;
    private int _transmits;

    public PapClient(PapClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(settings.User);
        ArgumentNullException.ThrowIfNull(settings.Password);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxRequests, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.Timeout, TimeSpan.Zero);
        _settings = settings;
        _user = AuthText.Encode(settings.User);
        _password = AuthText.Encode(settings.Password);
        // RFC 1334 §2.2.1: Peer-ID and Passwd lengths are single octets.
        if (_user.Length > byte.MaxValue)
            throw new ArgumentException("the PAP user name is longer than 255 octets", nameof(settings));
        if (_password.Length > byte.MaxValue)
            throw new ArgumentException("the PAP password is longer than 255 octets", nameof(settings));
    }

    public ushort Protocol => PppProtocol.Pap;

    public AuthRole Role => AuthRole.Client;

    public AuthProgress State { get; private set; }

    /// <summary>Starts authenticating (the link entered the Authenticate phase).</summary>
    public IReadOnlyList<EngineOutput> Start()
    {
        _transmits = 0;
        State = AuthProgress.Pending;
        return SendRequest();
    }

    /// <summary>The link went down: forget the exchange and stop the timer.</summary>
    public IReadOnlyList<EngineOutput> Stop()
    {
        bool hadTimer = State == AuthProgress.Pending;
        State = AuthProgress.Idle;
        return hadTimer ? [new StopRestartTimer()] : [];
    }

    /// <summary>The retransmit timer fired.</summary>
    public IReadOnlyList<EngineOutput> Timeout()
    {
        if (State != AuthProgress.Pending)
            return [];
        if (_transmits >= _settings.MaxRequests)
        {
            State = AuthProgress.Failed;
            return [new AuthFailed(PppProtocol.Pap, AuthRole.Client, $"no response to {_transmits} PAP Authenticate-Requests")];
        }
        return SendRequest();
    }

    /// <summary>A PAP frame's information field arrived.</summary>
    public IReadOnlyList<EngineOutput> Receive(ReadOnlySpan<byte> information)
    {
        if (!AuthPacket.TryParse(information, out var packet) || State != AuthProgress.Pending)
            return [];
        if (packet.Code is not (PapCode.AuthenticateAck or PapCode.AuthenticateNak))
            return [];
        // RFC 1334 §2.2.2: the Identifier must match the request it answers; an old answer is stale.
        if (packet.Identifier != _identifier)
            return [];
        var data = packet.Data;
        // A missing or lying Msg-Length costs the message, not the verdict (pppd does the same).
        string message = AuthPacket.TryReadCounted(ref data, out var text) ? AuthText.Printable(text) : "";
        if (packet.Code == PapCode.AuthenticateAck)
        {
            State = AuthProgress.Succeeded;
            return [new StopRestartTimer(), new AuthSucceeded(PppProtocol.Pap, AuthRole.Client, "", message)];
        }
        State = AuthProgress.Failed;
        string reason = message.Length == 0 ? "PAP authentication failed" : $"PAP authentication failed: {message}";
        return [new StopRestartTimer(), new AuthFailed(PppProtocol.Pap, AuthRole.Client, reason)];
    }

    private IReadOnlyList<EngineOutput> SendRequest()
    {
        // RFC 1334 §2.2.1: the Identifier changes with every Authenticate-Request, retransmissions included.
        _identifier++;
        _transmits++;
        var data = new byte[2 + _user.Length + _password.Length];
        data[0] = (byte)_user.Length;
        _user.CopyTo(data, 1);
        data[1 + _user.Length] = (byte)_password.Length;
        _password.CopyTo(data, 2 + _user.Length);
        var packet = AuthPacket.Build(PapCode.AuthenticateRequest, _identifier, data);
        Array.Clear(data);
        return [new SendControl(PppProtocol.Pap, packet), new StartRestartTimer(_settings.Timeout)];
    }
}
