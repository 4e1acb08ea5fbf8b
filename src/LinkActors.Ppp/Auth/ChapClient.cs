using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Auth;

/// <summary>
/// How we answer CHAP challenges: our name (pppd "name"/"user"), the secrets to look ours up in
/// (client = our name, server = the challenger's name), an optional "remotename" that overrides
/// the name the peer sends, and pppd's chap-response-interval / chap-response-failure.
/// </summary>
public sealed record ChapClientSettings(string Name, SecretsTable Secrets)
{
    public string? RemoteName { get; init; }

    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public int MaxResponses { get; init; } = 10;
}

/// <summary>
/// CHAP-MD5, the side that proves itself (RFC 1994 §4.1-4.2): answers each Challenge with a
/// Response, retransmits it until Success or Failure, and gives up after
/// <see cref="ChapClientSettings.MaxResponses"/>. Answers rechallenges after success too (§2.3).
/// </summary>
public sealed class ChapClient : IAuthMachine
{
    private readonly ChapClientSettings _settings;
    private readonly byte[] _name;
    private byte[]? _response;
    private byte _identifier;
    private int _transmits;
    private string _peerName = "";

    public ChapClient(ChapClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(settings.Name);
        ArgumentNullException.ThrowIfNull(settings.Secrets);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxResponses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.ResponseTimeout, TimeSpan.Zero);
        _settings = settings;
        _name = AuthText.Encode(settings.Name);
    }

    public ushort Protocol => PppProtocol.Chap;

    public AuthRole Role => AuthRole.Client;

    public AuthProgress State { get; private set; }

    /// <summary>Ready for a challenge; nothing to send until one comes.</summary>
    public IReadOnlyList<EngineOutput> Start()
    {
        State = AuthProgress.Pending;
        _response = null;
        _transmits = 0;
        return [];
    }

    public IReadOnlyList<EngineOutput> Stop()
    {
        bool hadTimer = _response is not null && State == AuthProgress.Pending;
        State = AuthProgress.Idle;
        _response = null;
        return hadTimer ? [new StopRestartTimer()] : [];
    }

    /// <summary>The response retransmit timer fired.</summary>
    public IReadOnlyList<EngineOutput> Timeout()
    {
        if (State != AuthProgress.Pending || _response is null)
            return [];
        if (_transmits >= _settings.MaxResponses)
        {
            State = AuthProgress.Failed;
            return [new AuthFailed(PppProtocol.Chap, AuthRole.Client, $"no answer to {_transmits} CHAP Responses")];
        }
        _transmits++;
        return [new SendControl(PppProtocol.Chap, _response), new StartRestartTimer(_settings.ResponseTimeout)];
    }

    public IReadOnlyList<EngineOutput> Receive(ReadOnlySpan<byte> information)
    {
        if (!AuthPacket.TryParse(information, out var packet) || State is AuthProgress.Idle or AuthProgress.Failed)
            return [];
        return packet.Code switch
        {
            ChapCode.Challenge => Respond(packet),
            ChapCode.Success or ChapCode.Failure => Status(packet),
            _ => [],
        };
    }

    private IReadOnlyList<EngineOutput> Respond(AuthPacket packet)
    {
        var data = packet.Data;
        // RFC 1994 §4.1: Value-Size, Value, Name (the rest). A Value-Size past the end drops the packet.
        if (!AuthPacket.TryReadCounted(ref data, out var challenge))
            return [];
        string sentName = AuthText.Printable(data);
        // pppd's "remotename", when given, names the peer whatever it sends (some peers send no name).
        _peerName = string.IsNullOrEmpty(_settings.RemoteName) ? sentName : _settings.RemoteName;
        var entry = _settings.Secrets.Find(_settings.Name, _peerName);
        if (entry is null)
        {
            State = AuthProgress.Failed;
            return [new AuthFailed(PppProtocol.Chap, AuthRole.Client,
                $"no CHAP secret for '{_settings.Name}' to authenticate to '{_peerName}'")];
        }
        byte[] value = ChapMd5.ComputeResponse(packet.Identifier, AuthText.Encode(entry.Secret), challenge);
        var body = new byte[1 + value.Length + _name.Length];
        body[0] = (byte)value.Length;
        value.CopyTo(body, 1);
        _name.CopyTo(body, 1 + value.Length);
        _response = AuthPacket.Build(ChapCode.Response, packet.Identifier, body);
        _identifier = packet.Identifier;
        _transmits = 1;
        // A rechallenge after success (RFC 1994 §2.3) is answered once: the verdict is already ours.
        if (State == AuthProgress.Succeeded)
            return [new SendControl(PppProtocol.Chap, _response)];
        return [new SendControl(PppProtocol.Chap, _response), new StartRestartTimer(_settings.ResponseTimeout)];
    }

    private IReadOnlyList<EngineOutput> Status(AuthPacket packet)
    {
        // RFC 1994 §4.2: Success/Failure carry the Identifier of the Response they answer. After the
        // verdict, a rechallenge's status changes nothing (pppd ignores it too).
        if (State != AuthProgress.Pending || _response is null || packet.Identifier != _identifier)
            return [];
        string message = AuthText.Printable(packet.Data);
        if (packet.Code == ChapCode.Success)
        {
            State = AuthProgress.Succeeded;
            return [new StopRestartTimer(), new AuthSucceeded(PppProtocol.Chap, AuthRole.Client, _peerName, message)];
        }
        State = AuthProgress.Failed;
        string reason = message.Length == 0 ? "CHAP authentication failed" : $"CHAP authentication failed: {message}";
        return [new StopRestartTimer(), new AuthFailed(PppProtocol.Chap, AuthRole.Client, reason)];
    }
}
