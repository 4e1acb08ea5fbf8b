using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LinkActors.Fleet.Tests;
using LinkActors.Fleet.Wire;

namespace LinkActors.Fleet.Page.Tests;

/// <summary>
/// 50 simulated devices that report through the real device API (HTTP POST with their own tokens, as the
/// daemon's reporter does): every fifth is down, every seventh has a dead data path, every sixth a weak signal.
/// </summary>
public sealed class SimulatedFleet
{
    public const int Count = 50;
    private readonly Uri _service;
    private readonly Dictionary<string, (string Token, long Seq)> _devices = new(StringComparer.Ordinal);
    private readonly HttpClient _http;

    public SimulatedFleet(Uri service, HttpMessageHandler? handler = null)
    {
        _service = service;
        _http = new HttpClient(handler ?? new HttpClientHandler()) { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static string Name(int i) => $"sim-{i:000}";

    public static bool SeededDown(int i) => i % 5 == 0;

    public static bool SeededDeadPath(int i) => !SeededDown(i) && i % 7 == 0;

    public static bool SeededWeak(int i) => !SeededDown(i) && i % 6 == 0;

    public static LinkFacts Facts(int i, long tx = 1000, long rx = 900)
    {
        if (SeededDown(i))
        {
            return new LinkFacts("ppp0", "Holdoff", false, Dbm: -88, Reg: "registered", Op: "Testnet", Tech: "NB-IoT", TxBytes: tx, RxBytes: rx, Redials: 3,
                Failure: new FailureFacts(i % 10 == 0 ? "no-carrier" : "lcp-timeout", i % 10 == 0 ? "the modem dropped carrier" : "no answer to 10 LCP configure requests"),
                Doctor: "the link is down and redialing", Severity: "Problem");
        }
        int dbm = SeededWeak(i) ? -101 : -70 - i % 15;
        bool dead = SeededDeadPath(i);
        return new LinkFacts("ppp0", "Network", true, "10.64.0." + i, "10.64.0.1", 3600 + i * 60, dbm, "registered", i % 2 == 0 ? "Testnet" : "Othernet", "LTE-M",
            tx, rx, 0, null,
            dead ? "PPP is up but nothing comes back: the data path beyond the modem is dead" : SeededWeak(i) ? "the signal is weak" : "the link is healthy",
            dead ? "Problem" : SeededWeak(i) ? "Warning" : "Info", dead);
    }

    public async Task SeedAsync(HttpClient operatorClient, int count = Count)
    {
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            string token = await FleetTestKit.RegisterAsync(operatorClient, Name(i), i % 2 == 0 ? "site-north" : "site-south", "sim");
            lock (_devices)
                _devices[Name(i)] = (token, 0);
            await ReportAsync(Name(i), [Facts(i)], [new DeviceEvent(DateTimeOffset.UtcNow, "ppp0", "phase", SeededDown(i) ? "phase Dead" : "phase Network: the link is up")]);
        });
    }

    /// <summary>One report through the device API; fails the test unless it is accepted.</summary>
    public async Task<ReportAnswer> ReportAsync(string device, IReadOnlyList<LinkFacts> links, IReadOnlyList<DeviceEvent>? events = null, IReadOnlyList<CommandAck>? acks = null)
    {
        string token;
        long seq;
        lock (_devices)
        {
            var known = _devices[device];
            token = known.Token;
            seq = Math.Max(known.Seq + 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            _devices[device] = (token, seq);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/devices/{device}/report")
        {
            Content = JsonContent.Create(new DeviceReport(seq, "change", links, acks, events), options: FleetJson.Options),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"report of {device}: HTTP {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<ReportAnswer>(body, FleetJson.Options)!;
    }

    public Uri Service => _service;
}
