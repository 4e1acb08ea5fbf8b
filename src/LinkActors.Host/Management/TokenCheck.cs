using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LinkActors.Host.Management;

/// <summary>
/// The management token, compared in constant time and never logged. A request shows it either as
/// <c>Authorization: Bearer TOKEN</c> (curl, scripts) or, as the CLI does, signed with a nonce this
/// daemon issued (<see cref="ManagementProof"/>); each issued nonce is good for one request within
/// <see cref="NonceLifetime"/>, and at most <see cref="MaxOutstanding"/> are kept (the oldest go first).
/// </summary>
public sealed class TokenCheck
{
    public static readonly TimeSpan NonceLifetime = TimeSpan.FromSeconds(30);
    public const int MaxOutstanding = 256;
    private readonly string? _token;
    private readonly byte[]? _expected;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, long> _issued = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly object _gate = new();

    public TokenCheck(string token, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        _token = token.Length == 0 ? null : token;
        _expected = _token is null ? null : Hash(_token);
        _time = time ?? TimeProvider.System;
    }

    public bool IsSet => _token is not null;

    public enum Result { Accepted, Missing, Wrong }

    /// <summary>The answer to a client's nonce: a fresh nonce of ours and the proof that we hold the token; null without a token.</summary>
    public ChallengeView? Answer(string clientNonce)
    {
        if (_token is null)
            return null;
        string nonce = ManagementProof.NewNonce();
        long now = _time.GetTimestamp();
        lock (_gate)
        {
            while (_order.Count >= MaxOutstanding)
                _issued.Remove(_order.Dequeue());
            _issued[nonce] = now;
            _order.Enqueue(nonce);
        }
        return new ChallengeView(nonce, ManagementProof.Proof(_token, clientNonce, nonce));
    }

    public Result Check(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? header = request.Headers.Authorization;
        const string Bearer = "Bearer ";
        if (header is not null && header.StartsWith(ManagementProof.Scheme + " ", StringComparison.OrdinalIgnoreCase))
            return CheckSigned(header[(ManagementProof.Scheme.Length + 1)..].Trim(), request);
        if (header is null || !header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) || header.Length == Bearer.Length)
            return Result.Missing;
        if (_expected is null)
            return Result.Wrong;
        // Hashing first makes the comparison independent of the length of what was sent.
        return CryptographicOperations.FixedTimeEquals(Hash(header[Bearer.Length..].Trim()), _expected) ? Result.Accepted : Result.Wrong;
    }

    private Result CheckSigned(string value, HttpRequest request)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (_token is null || colon < 0)
            return Result.Wrong;
        string nonce = value[..colon];
        lock (_gate)
        {
            // Single use: a nonce is gone once a request has shown it, right or wrong.
            if (!_issued.Remove(nonce, out long issued) || _time.GetElapsedTime(issued) > NonceLifetime)
                return Result.Wrong;
        }
        string target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : request.PathBase + request.Path + request.QueryString;
        return ManagementProof.Same(ManagementProof.RequestMac(_token, nonce, request.Method, target), value[(colon + 1)..]) ? Result.Accepted : Result.Wrong;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
