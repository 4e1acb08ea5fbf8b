using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LinkActors.Fleet.Page;

/// <summary>
/// The page's login: after the operator token is shown once, the browser holds a session cookie (HttpOnly,
/// SameSite=Strict, Secure over TLS) that carries a random nonce, its expiry and an HMAC of both under a key
/// derived from the operator token. Nothing is kept on the server, so every node of the fleet accepts it,
/// and changing the operator token ends every session. The token itself never goes back to the browser.
/// Commands also need the CSRF token (an HMAC of the nonce under the same key), which the page reads with
/// its session from GET /api/v1/session and sends in a header: a form or a link on another site cannot.
/// </summary>
public sealed class OperatorSession
{
    public const string CookieName = "linkactors-fleet-session";
    public const string CsrfHeader = "X-CSRF-Token";
    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;

    public OperatorSession(string operatorToken, TimeSpan lifetime, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(operatorToken);
        _key = SHA256.HashData(Encoding.UTF8.GetBytes("linkactors fleet page session\n" + operatorToken));
        _lifetime = lifetime;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>A new session cookie's value.</summary>
    public string Issue()
    {
        string nonce = Base64Url(RandomNumberGenerator.GetBytes(18));
        string expires = _clock.GetUtcNow().Add(_lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{nonce}.{expires}.{Mac("session", nonce + "." + expires)}";
    }

    /// <summary>The session's nonce when the cookie is genuine and not expired; null otherwise.</summary>
    public string? Validate(string? cookie)
    {
        if (cookie is null || cookie.Length > 200)
            return null;
        var parts = cookie.Split('.');
        if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long expires))
            return null;
        var expected = Encoding.ASCII.GetBytes(Mac("session", parts[0] + "." + parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2])))
            return null;
        return _clock.GetUtcNow().ToUnixTimeSeconds() < expires ? parts[0] : null;
    }

    /// <summary>The session's nonce from the request's cookie, or null.</summary>
    public string? Current(HttpContext http) => Validate(http.Request.Cookies[CookieName]);

    public string CsrfToken(string nonce) => Mac("csrf", nonce);

    /// <summary>Whether the request carries the right CSRF token for its session (constant-time compare).</summary>
    public bool CsrfValid(HttpContext http, string nonce)
    {
        string? presented = http.Request.Headers[CsrfHeader];
        return presented is { Length: > 0 and < 200 }
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CsrfToken(nonce)), Encoding.ASCII.GetBytes(presented));
    }

    public void SetCookie(HttpContext http, string value, bool secure) =>
        http.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = secure,
            Path = "/",
            MaxAge = _lifetime,
            IsEssential = true,
        });

    public static void ClearCookie(HttpContext http, bool secure) =>
        http.Response.Cookies.Delete(CookieName, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = secure, Path = "/" });

    private string Mac(string purpose, string text) => Base64Url(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "\n" + text)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
