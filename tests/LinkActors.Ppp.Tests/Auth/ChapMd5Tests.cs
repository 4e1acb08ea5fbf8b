using LinkActors.Ppp.Auth;

namespace LinkActors.Ppp.Tests.Auth;

public class ChapMd5Tests
{
    [Fact]
    public void ComputeResponse_IdentifierSecretChallengeConcatenated_IsMd5OfRfc1321Abc()
    {
        // RFC 1994 §4.1: MD5(Identifier || secret || challenge). With Identifier 0x61 ('a'), secret "b"
        // and challenge "c" the input is "abc", whose digest RFC 1321 §A.5 lists.
        var response = ChapMd5.ComputeResponse(0x61, "b"u8, "c"u8);

        Assert.Equal(Convert.FromHexString("900150983cd24fb0d6963f7d28e17f72"), response);
    }

    [Fact]
    public void ComputeResponse_KnownVector_MatchesIndependentComputation()
    {
        // Computed independently (Python hashlib) over 01 "secret" 00 01 .. 0f.
        byte[] challenge = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];

        var response = ChapMd5.ComputeResponse(1, "secret"u8, challenge);

        Assert.Equal(Convert.FromHexString("740e86463bda3a4d7017d6e0fba0699d"), response);
    }

    [Fact]
    public void Verify_WrongSecretOrIdentifierOrLength_IsFalse()
    {
        byte[] challenge = [1, 2, 3, 4];
        var response = ChapMd5.ComputeResponse(7, "secret"u8, challenge);

        Assert.True(ChapMd5.Verify(7, "secret"u8, challenge, response));
        Assert.False(ChapMd5.Verify(7, "Secret"u8, challenge, response));
        Assert.False(ChapMd5.Verify(8, "secret"u8, challenge, response));
        Assert.False(ChapMd5.Verify(7, "secret"u8, challenge, response.AsSpan(0, 15)));
    }
}
