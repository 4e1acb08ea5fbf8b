using System.Security.Cryptography;
using System.Text;

namespace LinkActors.Host.Management;

/// <summary>
/// How the CLI and the daemon show each other that they hold the same management token without the
/// token crossing the wire: the CLI sends a random nonce, the daemon answers with a nonce of its own and
/// HMAC-SHA256(token, both nonces); only when that proof is right does the CLI send its request, signed
/// with HMAC-SHA256(token, the daemon's nonce, method, target). A program squatting on the port learns
/// neither the token nor a signature it could use for anything but the request the CLI meant to make.
/// </summary>
public static class ManagementProof
{
    /// <summary>The route that answers a challenge.</summary>
    public const string ChallengeRoute = "auth/challenge";

    /// <summary>The Authorization scheme of a signed request: <c>LinkActors-HMAC NONCE:MAC</c>.</summary>
    public const string Scheme = "LinkActors-HMAC";

    private const int NonceBytes = 32;

    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(NonceBytes));

    /// <summary>A nonce as <see cref="NewNonce"/> makes them: 64 lowercase hex digits.</summary>
    public static bool IsNonce(string? text) =>
        text is { Length: NonceBytes * 2 } && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public static string Proof(string token, string clientNonce, string serverNonce) =>
        Mac(token, $"linkactors proof\n{clientNonce}\n{serverNonce}");

    public static string RequestMac(string token, string serverNonce, string method, string target) =>
        Mac(token, $"linkactors request\n{serverNonce}\n{method.ToUpperInvariant()}\n{target}");

    /// <summary>Compares two MACs in constant time (hex text of the same length or not).</summary>
    public static bool Same(string expected, string? given)
    {
        if (given is null)
            return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.ASCII.GetBytes(expected)), SHA256.HashData(Encoding.ASCII.GetBytes(given)));
    }

    private static string Mac(string token, string message) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(message)));
}

/// <summary>The daemon's answer to a challenge.</summary>
public sealed record ChallengeView(string Nonce, string Proof);

/// <summary>The CLI will not talk to this endpoint: it could not prove it is the daemon (one line for the user).</summary>
public sealed class UnverifiedEndpointException : Exception
{
    public UnverifiedEndpointException() { }

    public UnverifiedEndpointException(string message) : base(message) { }

    public UnverifiedEndpointException(string message, Exception innerException) : base(message, innerException) { }
}
