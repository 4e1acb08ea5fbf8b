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

/// <summary>Talks to a running daemon's management endpoint (the CLI verbs and the tests).</summary>
public sealed class ManagementClient : IDisposable
{
    public static readonly Uri DefaultEndpoint = new($"http://127.0.0.1:{ManagementSettings.DefaultPort}/");
    private readonly HttpClient _http;

    public ManagementClient(Uri endpoint, string? token, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = new HttpClient
        {
            BaseAddress = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/"),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        if (!string.IsNullOrEmpty(token))
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

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
