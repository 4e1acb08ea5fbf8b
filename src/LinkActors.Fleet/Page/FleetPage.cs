using System.Reflection;
using System.Text;
using LinkActors.Fleet.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LinkActors.Fleet.Page;

/// <summary>
/// The fleet's web page, served by the fleet service itself from files embedded in this assembly (no CDN: it
/// works offline in a plant or a depot). Without a valid session a browser gets the login page and nothing
/// else; the page then reads the operator API and its live feed with the session cookie.
/// </summary>
public static class FleetPage
{
    private const string ResourcePrefix = "LinkActors.Fleet.page.";
    private const string MessageMark = "<!--message-->";

    /// <summary>Assets a browser may fetch before it logs in (the login page's looks).</summary>
    private static readonly HashSet<string> s_public = new(StringComparer.Ordinal) { "style.css" };

    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> s_files = new(() =>
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[ResourcePrefix.Length..]] = copy.ToArray();
        }
        return files;
    });

    public static IReadOnlyCollection<string> Files => s_files.Value.Keys.ToList();

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<FleetServiceSettings>();
        var session = app.Services.GetRequiredService<OperatorSession>();
        var operatorHash = ReportRules.HashToken(settings.OperatorToken);
        bool Secure(HttpContext http) => settings.Tls || http.Request.IsHttps;

        app.MapGet("/", (HttpContext http) => session.Current(http) is null ? Login(http, null, 200) : File(http, "index.html"));
        app.MapGet("/device/{id}", (HttpContext http, string id) => session.Current(http) is null ? Login(http, null, 200) : File(http, "device.html"));
        app.MapGet("/login", (HttpContext http) => session.Current(http) is null ? Login(http, null, 200) : Results.Redirect("/"));
        app.MapPost("/login", async (HttpContext http) =>
        {
            if (!http.Request.HasFormContentType)
                return Login(http, "Send the form of this page.", 415);
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            string token = form["token"].ToString().Trim();
            if (token.Length is 0 or > 256 || !ReportRules.SameHash(operatorHash, ReportRules.HashToken(token)))
                return Login(http, "That is not the operator token of this fleet.", 401);
            session.SetCookie(http, session.Issue(), Secure(http));
            return Results.Redirect("/", permanent: false);
        });
        app.MapPost("/logout", (HttpContext http) =>
        {
            if (session.Current(http) is not { } nonce)
                return FleetApi.Error(401, "not logged in");
            if (!session.CsrfValid(http, nonce))
                return FleetApi.Error(403, $"the CSRF token is missing or wrong (header {OperatorSession.CsrfHeader})", "reload the page");
            OperatorSession.ClearCookie(http, Secure(http));
            return Results.NoContent();
        });
        app.MapGet("/assets/{name}", (HttpContext http, string name) =>
        {
            if (!s_files.Value.ContainsKey(name) || name.EndsWith(".html", StringComparison.Ordinal))
                return Results.NotFound();
            if (!s_public.Contains(name) && session.Current(http) is null)
                return FleetApi.Error(401, "log in first");
            return File(http, name);
        });
    }

    /// <summary>Headers of every page response: only this origin's scripts, styles and connections; never framed.</summary>
    private static void Harden(HttpContext http, bool cache)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = cache ? "private, max-age=300" : "no-store";
    }

    private static IResult File(HttpContext http, string name)
    {
        Harden(http, cache: !name.EndsWith(".html", StringComparison.Ordinal));
        return Results.Bytes(s_files.Value[name], ContentType(name));
    }

    private static IResult Login(HttpContext http, string? message, int status)
    {
        Harden(http, cache: false);
        string html = Encoding.UTF8.GetString(s_files.Value["login.html"]);
        if (message is not null)
            html = html.Replace(MessageMark, $"<p class=\"error\" role=\"alert\">{System.Net.WebUtility.HtmlEncode(message)}</p>", StringComparison.Ordinal);
        return Results.Text(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
