using LinkActors.Fleet.Page;
using Microsoft.AspNetCore.Http;

namespace LinkActors.Fleet.Page.Tests;

/// <summary>The page's session cookie and CSRF token, without a browser: genuine, tampered, expired, another fleet's.</summary>
public sealed class OperatorSessionTests
{
    private const string Token = "operator-token-for-tests-0123456789";

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Issue_ThenValidate_GivesTheNonce_UntilTheSessionExpires()
    {
        var clock = new Clock(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var session = new OperatorSession(Token, TimeSpan.FromHours(12), clock);
        string cookie = session.Issue();
        string? nonce = session.Validate(cookie);
        Assert.NotNull(nonce);
        Assert.Equal(nonce, cookie.Split('.')[0]);
        clock.Now += TimeSpan.FromHours(11.9);
        Assert.Equal(nonce, session.Validate(cookie));
        clock.Now += TimeSpan.FromHours(0.2);
        Assert.Null(session.Validate(cookie));
    }

    [Fact]
    public void Validate_RefusesTamperedForeignAndMalformedCookies()
    {
        var session = new OperatorSession(Token, TimeSpan.FromHours(12));
        string cookie = session.Issue();
        var parts = cookie.Split('.');
        // A later expiry with the old MAC, another nonce with the old MAC, another fleet's cookie, garbage.
        Assert.Null(session.Validate($"{parts[0]}.{long.Parse(parts[1]) + 86400}.{parts[2]}"));
        Assert.Null(session.Validate($"AAAA{parts[0][4..]}.{parts[1]}.{parts[2]}"));
        Assert.Null(session.Validate(new OperatorSession("another-fleets-operator-token-42", TimeSpan.FromHours(12)).Issue()));
        foreach (var bad in new[] { null, "", ".", "..", "a.b.c", "a.-1.c", new string('x', 1000), $"{cookie}.x", Token })
            Assert.Null(session.Validate(bad));
        // Two logins are two sessions, with two CSRF tokens.
        Assert.NotEqual(session.Validate(session.Issue()), session.Validate(session.Issue()));
    }

    [Fact]
    public void CsrfValid_OnlyWithThisSessionsToken()
    {
        var session = new OperatorSession(Token, TimeSpan.FromHours(12));
        string nonce = session.Validate(session.Issue())!;
        string other = session.Validate(session.Issue())!;
        HttpContext With(string? header)
        {
            var http = new DefaultHttpContext();
            if (header is not null)
                http.Request.Headers[OperatorSession.CsrfHeader] = header;
            return http;
        }
        Assert.True(session.CsrfValid(With(session.CsrfToken(nonce)), nonce));
        Assert.False(session.CsrfValid(With(null), nonce));
        Assert.False(session.CsrfValid(With(""), nonce));
        Assert.False(session.CsrfValid(With(session.CsrfToken(other)), nonce));
        Assert.False(session.CsrfValid(With(nonce), nonce));
        Assert.DoesNotContain(Token, session.CsrfToken(nonce), StringComparison.Ordinal);
    }
}
