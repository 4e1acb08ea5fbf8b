using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Ppp.Auth;

/// <summary>
/// How we check a peer with CHAP-MD5: our name (sent in the Challenge and the secrets' server
/// column), pppd's chap-restart, chap-max-challenge and chap-interval (0: no rechallenge), and
/// "remotename" to look the peer up under instead of the name it sends.
/// </summary>
public sealed record ChapServerSettings(string Name, SecretsTable Secrets)
{
    public TimeSpan ChallengeTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public int MaxChallenges { get; init; } = 10;

    public TimeSpan RechallengeInterval { get; init; } = TimeSpan.Zero;

    public string? RemoteName { get; init; }
}

/// <summary>
/// CHAP-MD5, the authenticator (RFC 1994 §2-4): sends a Challenge of random octets from the
/// caller's <see cref="IRandomSource"/>, retransmits it on <see cref="Timeout"/>, checks the
/// Response against the secrets table and answers Success or Failure. With a rechallenge interval
/// it challenges again after success (§2.3); a failed rechallenge fails the link.
/// </summary>
public sealed class ChapServer : IAuthMachine
{
    private const string SuccessMessage = "Access granted";
    private const string FailureMessage = "Access denied";

    private readonly ChapServerSettings _settings;
    private readonly IRandomSource _random;
    private readonly byte[] _name;
    private byte[] _challengePacket = [];
    private byte[] _challenge = [];
    private bool _challengeValid;
    private bool _done;
    private bool _failed;
    private byte _identifier;
    private int _transmits;

    public ChapServer(ChapServerSettings settings, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(settings.Name);
        ArgumentNullException.ThrowIfNull(settings.Secrets);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxChallenges, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.ChallengeTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.RechallengeInterval, TimeSpan.Zero);
        _settings = settings;
        _random = random;
        _name = AuthText.Encode(settings.Name);
    }

    public ushort Protocol => PppProtocol.Chap;

    public AuthRole Role => AuthRole.Server;

    public AuthProgress State { get; private set; }

    /// <summary>The name the peer authenticated as, once it did.</summary>
    public string? PeerName { get; private set; }

    public IReadOnlyList<EngineOutput> Start()
    {
        State = AuthProgress.Pending;
        _done = false;
        _failed = false;
        PeerName = null;
        Span<byte> first = stackalloc byte[1];
        // pppd starts from a random Identifier so a stale Response from an earlier link cannot match.
        _random.Fill(first);
        _identifier = first[0];
        return NewChallenge();
    }

    public IReadOnlyList<EngineOutput> Stop()
    {
        bool hadTimer = State == AuthProgress.Pending || (State == AuthProgress.Succeeded && _settings.RechallengeInterval > TimeSpan.Zero);
        State = AuthProgress.Idle;
        _challengeValid = false;
        return hadTimer ? [new StopRestartTimer()] : [];
    }

    /// <summary>The timer fired: retransmit the Challenge, give up, or start a rechallenge.</summary>
    public IReadOnlyList<EngineOutput> Timeout()
    {
        if (State is AuthProgress.Idle or AuthProgress.Failed)
            return [];
        if (!_challengeValid)
            return State == AuthProgress.Succeeded && _settings.RechallengeInterval > TimeSpan.Zero ? NewChallenge() : [];
        if (_transmits >= _settings.MaxChallenges)
        {
            _challengeValid = false;
            _failed = true;
            State = AuthProgress.Failed;
            return [new AuthFailed(PppProtocol.Chap, AuthRole.Server, $"peer did not answer {_transmits} CHAP Challenges")];
        }
        return SendChallenge();
    }

    public IReadOnlyList<EngineOutput> Receive(ReadOnlySpan<byte> information)
    {
        if (!AuthPacket.TryParse(information, out var packet) || packet.Code != ChapCode.Response || State == AuthProgress.Idle)
            return [];
        // RFC 1994 §4.1: a Response carries the Identifier of the Challenge it answers; others are stale.
        if (packet.Identifier != _identifier)
            return [];
        if (!_challengeValid)
        {
            // Our Success or Failure was lost and the peer retransmitted: say it again.
            return _done ? [Status(packet.Identifier)] : [];
        }
        var data = packet.Data;
        if (!AuthPacket.TryReadCounted(ref data, out var response))
            return [];
        string sentName = AuthText.Printable(data);
        string name = string.IsNullOrEmpty(_settings.RemoteName) ? sentName : _settings.RemoteName;
        var entry = _settings.Secrets.Find(name, _settings.Name);
        string? failure = entry switch
        {
            null => $"no CHAP secret for peer '{name}' on '{_settings.Name}'",
            _ when !ChapMd5.Verify(packet.Identifier, AuthText.Encode(entry.Secret), _challenge, response) =>
                $"peer '{name}' failed CHAP authentication (wrong secret)",
            _ => null,
        };
        _challengeValid = false;
        bool first = !_done;
        _done = true;
        _failed = failure is not null;
        var outputs = new List<EngineOutput> { new StopRestartTimer(), Status(packet.Identifier) };
        if (failure is not null)
        {
            State = AuthProgress.Failed;
            outputs.Add(new AuthFailed(PppProtocol.Chap, AuthRole.Server, failure));
            return outputs;
        }
        State = AuthProgress.Succeeded;
        PeerName = name;
        if (first)
            outputs.Add(new AuthSucceeded(PppProtocol.Chap, AuthRole.Server, name, SuccessMessage) { Addresses = entry!.Addresses });
        if (_settings.RechallengeInterval > TimeSpan.Zero)
            outputs.Add(new StartRestartTimer(_settings.RechallengeInterval));
        return outputs;
    }

    private IReadOnlyList<EngineOutput> NewChallenge()
    {
        Span<byte> lengthPick = stackalloc byte[1];
        _random.Fill(lengthPick);
        int length = ChapMd5.MinChallengeLength + (lengthPick[0] % (ChapMd5.MaxChallengeLength - ChapMd5.MinChallengeLength + 1));
        _challenge = new byte[length];
        _random.Fill(_challenge);
        _identifier++;
        // RFC 1994 §4.1: Value-Size, Value, Name.
        var body = new byte[1 + length + _name.Length];
        body[0] = (byte)length;
        _challenge.CopyTo(body, 1);
        _name.CopyTo(body, 1 + length);
        _challengePacket = AuthPacket.Build(ChapCode.Challenge, _identifier, body);
        _challengeValid = true;
        _transmits = 0;
        if (State == AuthProgress.Succeeded)
            State = AuthProgress.Pending;
        return SendChallenge();
    }

    private IReadOnlyList<EngineOutput> SendChallenge()
    {
        _transmits++;
        return [new SendControl(PppProtocol.Chap, _challengePacket), new StartRestartTimer(_settings.ChallengeTimeout)];
    }

    private SendControl Status(byte identifier) =>
        new(PppProtocol.Chap, AuthPacket.Build(_failed ? ChapCode.Failure : ChapCode.Success, identifier,
            AuthText.Encode(_failed ? FailureMessage : SuccessMessage)));
}
