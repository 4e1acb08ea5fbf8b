using System.Security.Cryptography;

namespace LinkActors.Ppp.Auth;

/// <summary>CHAP packet codes (RFC 1994 §4).</summary>
public static class ChapCode
{
    public const byte Challenge = 1;
    public const byte Response = 2;
    public const byte Success = 3;
    public const byte Failure = 4;
}

/// <summary>The MD5 algorithm of CHAP (RFC 1994 §2.2, §4.1).</summary>
public static class ChapMd5
{
    /// <summary>pppd's chap-md5 challenge lengths: 16 to 24 random octets.</summary>
    public const int MinChallengeLength = 16;
    public const int MaxChallengeLength = 24;

    /// <summary>An MD5 digest is 16 octets.</summary>
    public const int ResponseLength = 16;

    /// <summary>RFC 1994 §4.1: the Response Value is MD5 over Identifier || secret || Challenge Value.</summary>
    public static byte[] ComputeResponse(byte identifier, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> challenge)
    {
        byte[] input = new byte[1 + secret.Length + challenge.Length];
        input[0] = identifier;
        secret.CopyTo(input.AsSpan(1));
        challenge.CopyTo(input.AsSpan(1 + secret.Length));
        byte[] digest = MD5.HashData(input);
        // The buffer held the secret.
        CryptographicOperations.ZeroMemory(input);
        return digest;
    }

    /// <summary>Checks a Response Value in constant time, so timing says nothing about the expected digest.</summary>
    public static bool Verify(byte identifier, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> response) =>
        response.Length == ResponseLength
        && CryptographicOperations.FixedTimeEquals(ComputeResponse(identifier, secret, challenge), response);
}
