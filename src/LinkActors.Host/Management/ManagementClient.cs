using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace LinkActors.Host.Management;

/// <summary>An answer of the endpoint: the value on success, else the endpoint's error; the body as sent, for --json.</summary>
public sealed record ClientResult<T>(int Status, T? Value, ErrorView? Error, string Body)
{
    public bool Ok => Status is >= 200 and < 300 && Value is not null;
}

/// <summary>
/// Talks to a running daemon's management endpoint (the CLI verbs and the tests): over the control
/// socket (no token; the socket must be served by root, the linkactors user or ourselves), or over TCP,
/// where a token is never sent: each request is signed once the daemon has proven it holds the same
/// token (<see cref="ManagementProof"/>).
/// </summary>
public sealed class ManagementClient : IDisposable
{
    public static readonly Uri DefaultEndpoint = new($"http://127.0.0.1:{ManagementSettings.DefaultPort}/");
    private static readonly Uri SocketBase = new("http://localhost/");
    private readonly HttpClient _http;

    /// <summary>Over TCP; with a token, every request is signed after the daemon has proven it knows the token.</summary>
    public ManagementClient(Uri endpoint, string? token, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var baseAddress = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        HttpMessageHandler handler = new SocketsHttpHandler();
        if (!string.IsNullOrEmpty(token))
            handler = new ProvenTokenHandler(token, baseAddress) { InnerHandler = handler };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        Description = baseAddress.ToString();
    }

    private ManagementClient(string socketPath, TimeSpan? timeout)
    {
        var handler = new SocketsHttpHandler { ConnectCallback = (_, cancel) => ControlSocket.ConnectVerifiedAsync(socketPath, cancel) };
        _http = new HttpClient(handler) { BaseAddress = SocketBase, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        Description = $"the control socket {socketPath}";
        SocketPath = socketPath;
    }

    /// <summary>Over the control socket at <paramref name="path"/>.</summary>
    public static ManagementClient OverSocket(string path, TimeSpan? timeout = null) => new(path, timeout);

    /// <summary>The URL, or "the control socket PATH", for messages.</summary>
    public string Description { get; }

    /// <summary>The control socket's path when this client uses it.</summary>
    public string? SocketPath { get; }

    public Uri Endpoint => _http.BaseAddress!;

    public Task<ClientResult<LinksView>> LinksAsync(CancellationToken cancel = default) => GetAsync<LinksView>("links", cancel);

    public Task<ClientResult<LinkView>> LinkAsync(string link, CancellationToken cancel = default) => GetAsync<LinkView>($"links/{Uri.EscapeDataString(link)}", cancel);

    public Task<ClientResult<EventsView>> EventsAsync(string link, long after = 0, CancellationToken cancel = default) =>
        GetAsync<EventsView>($"links/{Uri.EscapeDataString(link)}/events{(after > 0 ? $"?after={after}" : "")}", cancel);

    public async Task<ClientResult<ActionView>> ControlAsync(string link, string action, CancellationToken cancel = default)
    {
        using var response = await _http.PostAsync($"links/{Uri.EscapeDataString(link)}/{Uri.EscapeDataString(action)}", null, cancel).ConfigureAwait(false);
        return await ReadAsync<ActionView>(response, cancel).ConfigureAwait(false);
    }

    public async Task<ClientResult<T>> GetAsync<T>(string path, CancellationToken cancel = default)
    {
        using var response = await _http.GetAsync(path, cancel).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancel).ConfigureAwait(false);
    }

    /// <summary>The live tail: server-sent events, backlog first, until cancelled or the daemon ends the stream.</summary>
    public async IAsyncEnumerable<EventView> FollowAsync(string link, long after = 0, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"links/{Uri.EscapeDataString(link)}/events{(after > 0 ? $"?after={after}" : "")}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var failed = await ReadAsync<EventsView>(response, cancel).ConfigureAwait(false);
            throw new HttpRequestException(failed.Error?.Error ?? $"HTTP {failed.Status}", null, response.StatusCode);
        }
        using var stream = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        string? data = null;
        while (await reader.ReadLineAsync(cancel).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.Length == 0 && data is not null)
            {
                if (JsonSerializer.Deserialize<EventView>(data, ManagementJson.Options) is { } view)
                    yield return view;
                data = null;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private static async Task<ClientResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancel)
    {
        string body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        try
        {
            if (response.IsSuccessStatusCode)
                return new ClientResult<T>(status, JsonSerializer.Deserialize<T>(body, ManagementJson.Options), null, body);
            return new ClientResult<T>(status, default, JsonSerializer.Deserialize<ErrorView>(body, ManagementJson.Options), body);
        }
        catch (JsonException)
        {
            return new ClientResult<T>(status, default, new ErrorView($"HTTP {status}: the answer is not JSON"), body);
        }
    }
}

/// <summary>
/// Before each request over TCP: a challenge with a fresh nonce; the daemon must answer with the
/// proof that it holds the token, else nothing more is sent. The request then carries an HMAC of
/// itself under the daemon's one-time nonce, never the token.
/// </summary>
internal sealed class ProvenTokenHandler(string token, Uri baseAddress) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string clientNonce = ManagementProof.NewNonce();
        ChallengeView? answer = null;
        using (var challenge = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, $"{ManagementProof.ChallengeRoute}?nonce={clientNonce}")))
        using (var response = await base.SendAsync(challenge, cancellationToken).ConfigureAwait(false))
        {
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    answer = await response.Content.ReadFromJsonAsync<ChallengeView>(ManagementJson.Options, cancellationToken).ConfigureAwait(false);
                }
                catch (JsonException)
                {
                }
            }
        }
        if (answer is null || !ManagementProof.IsNonce(answer.Nonce) || !ManagementProof.Same(ManagementProof.Proof(token, clientNonce, answer.Nonce), answer.Proof))
            throw new UnverifiedEndpointException($"refusing to send the management token to {baseAddress}: it did not prove that it knows the token " +
                "(another program may be listening there, or the daemon has another token or none)");
        string target = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.PathAndQuery : new Uri(baseAddress, request.RequestUri).PathAndQuery;
        request.Headers.Authorization = new AuthenticationHeaderValue(ManagementProof.Scheme,
            $"{answer.Nonce}:{ManagementProof.RequestMac(token, answer.Nonce, request.Method.Method, target)}");
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
