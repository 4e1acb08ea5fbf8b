using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LinkActors.Host.Management;

/// <summary>The bearer token of the management endpoint, compared in constant time and never logged.</summary>
public sealed class TokenCheck
{
    private readonly byte[]? _expected;

    public TokenCheck(string token) => _expected = token.Length == 0 ? null : Hash(token);

    public bool IsSet => _expected is not null;

    public enum Result { Accepted, Missing, Wrong }

    public Result Check(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? header = request.Headers.Authorization;
        const string Scheme = "Bearer ";
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
            return Result.Missing;
        if (_expected is null)
            return Result.Wrong;
        // Hashing first makes the comparison independent of the length of what was sent.
        return CryptographicOperations.FixedTimeEquals(Hash(header[Scheme.Length..].Trim()), _expected) ? Result.Accepted : Result.Wrong;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
