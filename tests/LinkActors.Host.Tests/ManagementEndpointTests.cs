using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LinkActors.Host.Doctor;
using LinkActors.Host.Management;
using LinkActors.Host.Tests.Support;

namespace LinkActors.Host.Tests;

/// <summary>One daemon for the class: BC66 emulator, ISP server link, client link, a broken link.</summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    public LinkDaemon Daemon { get; private set; } = null!;

    /// <summary>/ready as it answered right after the host started, before any link was up.</summary>
    public (HttpStatusCode Status, HealthView? Body) FirstReady { get; private set; }

    public async Task InitializeAsync()
    {
        Daemon = await LinkDaemon.StartAsync();
        using var http = new HttpClient { BaseAddress = Daemon.Endpoint };
        using var response = await http.GetAsync("ready");
        FirstReady = (response.StatusCode, JsonSerializer.Deserialize<HealthView>(await response.Content.ReadAsStringAsync(), ManagementJson.Options));
    }

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}

public sealed class ManagementEndpointTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private LinkDaemon Daemon => fixture.Daemon;

    private HttpClient Http(string? token = null)
    {
        var http = new HttpClient { BaseAddress = Daemon.Endpoint };
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    [Fact]
    public async Task Ready_IsFalseBeforeTheRequiredLinkIsUp_ThenTrue()
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fixture.FirstReady.Status);
        Assert.False(fixture.FirstReady.Body!.Ready);
        Assert.Contains("client", fixture.FirstReady.Body.Waiting);

        await Daemon.WaitUpAsync();
        using var http = Http();
        using var response = await http.GetAsync("ready");
        var body = JsonSerializer.Deserialize<HealthView>(await response.Content.ReadAsStringAsync(), ManagementJson.Options)!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.Ready);
        Assert.True(body.Alive);
        Assert.Empty(body.Waiting);
    }

    [Fact]
    public async Task Alive_IsTrueWhileTheActorSystemRuns()
    {
        using var http = Http();
        using var response = await http.GetAsync("alive");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("alive").GetBoolean());
    }

    [Fact]
    public async Task LinkRoute_ShowsTheNegotiatedFacts()
    {
        await Daemon.WaitUpAsync();
        await Daemon.PingAsync(3);
        var link = await Daemon.WaitForAsync("client", l => l.IsUp && l.Traffic is { PacketsReceived: >= 3 });

        Assert.Equal("Network", link.Phase);
        Assert.True(link.Required);
        Assert.True(link.Running);
        Assert.Equal("192.0.2.2", link.Local);
        Assert.Equal("192.0.2.1", link.Remote);
        Assert.Equal(["198.51.100.53", "198.51.100.54"], link.Dns);
        Assert.Equal("Opened", link.Layers["LCP"]);
        Assert.Equal("Opened", link.Layers["IPCP"]);
        Assert.NotNull(link.Negotiated);
        Assert.NotNull(link.UpSince);
        Assert.True(link.UptimeSeconds >= 0);
        Assert.True(link.Attempts >= 1);
        Assert.True(link.Traffic!.PacketsSent >= 3);
        Assert.True(link.Traffic.BytesSent > 0 && link.Traffic.BytesReceived > 0);
        Assert.True(link.Line!.BytesSent > 0 && link.Line.FramesReceived > 0);
        Assert.Equal(0, link.Errors!.BadFcs);
        var modem = link.Modem!;
        Assert.Equal(8, modem.Rssi);
        Assert.Equal(-97, modem.SignalDbm);
        Assert.Equal("26201", modem.Operator);
        Assert.True(modem.Registered);
        Assert.True(modem.Roaming);
        Assert.Equal("NB-IoT", modem.Technology);
        Assert.Contains("BC66", modem.Model, StringComparison.Ordinal);
        Assert.Contains("BC66NBR01A10", modem.Revision, StringComparison.Ordinal);

        // The raw JSON uses the documented names.
        using var http = Http();
        using var json = JsonDocument.Parse(await http.GetStringAsync("links/client"));
        foreach (var name in new[] { "name", "phase", "layers", "local", "remote", "dns", "traffic", "line", "errors", "modem", "attempts", "redials", "lastFailure", "upSince" })
            Assert.True(json.RootElement.TryGetProperty(name, out _), name);
    }

    [Fact]
    public async Task LinksRoute_ListsEveryLink_AndTheBrokenOneSaysWhy()
    {
        var broken = await Daemon.WaitForAsync("broken", l => !l.Running && l.LastFailure is not null);
        var all = await Daemon.Client.LinksAsync();
        Assert.True(all.Ok);
        Assert.Equal(["broken", "client", "isp"], all.Value!.Links.Select(l => l.Name).ToArray());
        Assert.Equal("open-failed", broken.LastFailure!.Code);
        Assert.Equal(7, broken.LastFailure.ExitCode);
        Assert.Contains("no-such-modem", broken.LastFailure.Message, StringComparison.Ordinal);
        Assert.NotNull(broken.GaveUp);
        Assert.False(broken.Required);

        var diagnosis = LinkDoctor.Examine(new DoctorFacts(broken, (await Daemon.Client.EventsAsync("broken")).Value!.Events));
        Assert.Equal("device", diagnosis.Findings[0].Code);
    }

    [Fact]
    public async Task Events_AreKeptPerLink_InOrder()
    {
        await Daemon.WaitUpAsync();
        var events = await Daemon.Client.EventsAsync("client");
        Assert.True(events.Ok);
        var list = events.Value!.Events;
        Assert.All(list, e => Assert.Equal("client", e.Link));
        Assert.Equal(list.Select(e => e.Sequence).Order().ToArray(), list.Select(e => e.Sequence).ToArray());
        Assert.Contains(list, e => e.Type == "PhaseChanged" && e.Summary.StartsWith("phase Network", StringComparison.Ordinal));
        Assert.Contains(list, e => e.Type == "ModemInfoUpdated");
        var up = list.Last(e => e.Type == "Up");
        Assert.Equal("192.0.2.2", up.Data.GetProperty("local").GetString());

        var later = await Daemon.Client.EventsAsync("client", after: up.Sequence);
        Assert.All(later.Value!.Events, e => Assert.True(e.Sequence > up.Sequence));
    }

    [Fact]
    public async Task EventStream_SendsTheBacklog_ThenLiveEvents()
    {
        await Daemon.WaitForAsync("broken", l => !l.Running && l.GaveUp is not null);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new List<EventView>();
        long lastBacklog = (await Daemon.Client.EventsAsync("broken")).Value!.Events[^1].Sequence;
        bool kicked = false;
        await foreach (var view in Daemon.Client.FollowAsync("broken", 0, cancel.Token))
        {
            received.Add(view);
            if (view.Sequence == lastBacklog && !kicked)
            {
                kicked = true;
                // A live event: bring the broken link up again; it dials (PhaseChanged Dial) and fails again.
                Assert.True((await Daemon.Client.ControlAsync("broken", "up")).Ok);
            }
            if (view.Sequence > lastBacklog && view.Type == "Ended")
                break;
        }
        Assert.True(kicked);
        Assert.Contains(received, e => e.Sequence <= lastBacklog);
        Assert.Contains(received, e => e.Sequence > lastBacklog && e.Type == "PhaseChanged");
        Assert.All(received, e => Assert.Equal("broken", e.Link));
    }

    [Fact]
    public async Task Redial_HangsUpAndComesBackUp_WithOneMoreAttempt()
    {
        var before = await Daemon.WaitUpAsync();
        var result = await Daemon.Client.ControlAsync("client", "redial");
        Assert.Equal(202, result.Status);
        Assert.Equal("redial", result.Value!.Action);
        var after = await Daemon.WaitForAsync("client", l => l.Attempts > before.Attempts && l.IsUp, TimeSpan.FromSeconds(90));
        Assert.True(after.Redials >= 1);
        Assert.Equal("user-request", after.LastFailure!.Code);
        Assert.Equal("192.0.2.2", after.Local);
    }

    [Fact]
    public async Task ControlVerbs_NeedTheToken_WhenOneIsConfigured()
    {
        using var none = Http();
        using var missing = await none.PostAsync("links/broken/down", null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Contains("Bearer", missing.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("needs the management token", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var wrong = Http("not-the-token");
        using var refused = await wrong.PostAsync("links/broken/down", null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("not right", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(LinkDaemon.Token, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var right = Http(LinkDaemon.Token);
        using var accepted = await right.PostAsync("links/broken/down", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        // Reads on loopback need no token.
        using var read = await none.GetAsync("links/broken");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task SignedRequest_AfterTheDaemonsProof_IsGoodOnce_AndTheTokenIsNeverSent()
    {
        using var http = Http();
        string clientNonce = ManagementProof.NewNonce();
        var answer = JsonSerializer.Deserialize<ChallengeView>(await http.GetStringAsync($"auth/challenge?nonce={clientNonce}"), ManagementJson.Options)!;
        Assert.Equal(ManagementProof.Proof(LinkDaemon.Token, clientNonce, answer.Nonce), answer.Proof);

        string signature = $"{answer.Nonce}:{ManagementProof.RequestMac(LinkDaemon.Token, answer.Nonce, "POST", "/links/broken/up")}";
        using var first = new HttpRequestMessage(HttpMethod.Post, "links/broken/up");
        first.Headers.Authorization = new AuthenticationHeaderValue(ManagementProof.Scheme, signature);
        Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(first)).StatusCode);
        // The same signature again (a replay), and one made for another request: refused.
        using var replay = new HttpRequestMessage(HttpMethod.Post, "links/broken/up");
        replay.Headers.Authorization = new AuthenticationHeaderValue(ManagementProof.Scheme, signature);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(replay)).StatusCode);
        var second = JsonSerializer.Deserialize<ChallengeView>(await http.GetStringAsync($"auth/challenge?nonce={ManagementProof.NewNonce()}"), ManagementJson.Options)!;
        using var other = new HttpRequestMessage(HttpMethod.Post, "links/client/down");
        other.Headers.Authorization = new AuthenticationHeaderValue(ManagementProof.Scheme,
            $"{second.Nonce}:{ManagementProof.RequestMac(LinkDaemon.Token, second.Nonce, "POST", "/links/broken/up")}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(other)).StatusCode);
        Assert.True((await Daemon.WaitForAsync("client", v => v.IsUp)).IsUp);
    }

    [Fact]
    public async Task ControlRequest_WhoseBodyNeverArrives_DoesNothing()
    {
        await Daemon.WaitForAsync("client", v => v.IsUp);
        int attempts = (await Daemon.Client.LinkAsync("client")).Value!.Attempts;
        string head = $"POST /links/client/down HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {LinkDaemon.Token}\r\n";

        // Announced as 10^12 bytes: refused at once.
        // The connection stays open: a client that half-closes may see Kestrel drop the request before the answer.
        string huge = await RawAsync(head + "Content-Length: 1000000000000\r\n\r\n", keepOpen: true);
        Assert.StartsWith("HTTP/1.1 413", huge, StringComparison.Ordinal);
        Assert.Contains("nothing was done", huge, StringComparison.Ordinal);

        // 100 bytes announced, 3 sent, the rest never comes: the request times out without acting.
        string partial = await RawAsync(head + "Content-Length: 100\r\n\r\nabc", keepOpen: true);
        Assert.DoesNotContain("202", partial.Split("\r\n")[0], StringComparison.Ordinal);

        var link = (await Daemon.Client.LinkAsync("client")).Value!;
        Assert.True(link.IsUp);
        Assert.Equal(attempts, link.Attempts);
    }

    /// <summary>Sends raw bytes to the endpoint and returns what comes back until the daemon closes or 30 s pass.</summary>
    private async Task<string> RawAsync(string request, bool keepOpen)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(Daemon.Endpoint.Host, Daemon.Endpoint.Port);
        using var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        if (!keepOpen)
            client.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var answer = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                answer.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
                if (answer.ToString().Contains("\r\n0\r\n\r\n", StringComparison.Ordinal))
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }
        return answer.ToString();
    }

    [Theory]
    [InlineData("GET", "links/nope", 404, "no link named")]
    [InlineData("POST", "links/nope/up", 404, "no link named")]
    [InlineData("POST", "links/client/explode", 400, "unknown action")]
    [InlineData("GET", "links/client/events?after=abc", 400, "sequence number")]
    [InlineData("GET", "no/such/route", 404, "no such route")]
    [InlineData("DELETE", "links/client", 405, "not allowed")]
    [InlineData("GET", "links/%2e%2e%2Fetc%20x", 404, "no link named")]
    [InlineData("POST", "links/broken/reset-modem", 501, "reset-modem")]
    public async Task BadRequests_GetAClearJsonError(string method, string path, int status, string words)
    {
        using var http = Http(LinkDaemon.Token);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (path.EndsWith("reset-modem", StringComparison.Ordinal) && response.StatusCode == HttpStatusCode.Accepted)
            return; // the link manager has a modem reset command now
        Assert.Equal(status, (int)response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.Contains(words, json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AreStrictPrometheusText_WithTheLinksFacts()
    {
        await Daemon.WaitUpAsync();
        await Daemon.PingAsync(2, identifier: 0x4d54);
        await Daemon.WaitForAsync("client", l => l.IsUp && l.Traffic is { PacketsReceived: >= 2 });
        using var http = Http();
        using var response = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var (types, samples) = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("counter", types["linkactors_link_bytes_total"]);
        Assert.Equal("counter", types["linkactors_link_packets_total"]);
        Assert.Equal("counter", types["linkactors_link_errors_total"]);
        Assert.Equal("gauge", types["linkactors_link_phase"]);
        Assert.Equal("gauge", types["linkactors_modem_signal_dbm"]);
        Assert.Equal("histogram", types["linkactors_link_lcp_echo_rtt_seconds"]);
        double Value(string name, params (string Key, string Value)[] labels) =>
            samples.Single(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Value;
        Assert.True(Value("linkactors_link_bytes_total", ("link", "client"), ("direction", "tx")) > 0);
        Assert.True(Value("linkactors_link_packets_total", ("link", "client"), ("direction", "rx")) >= 2);
        Assert.Equal(1, Value("linkactors_link_phase", ("link", "client"), ("phase", "Network")));
        Assert.Equal(0, Value("linkactors_link_phase", ("link", "client"), ("phase", "Dial")));
        Assert.Equal(1, Value("linkactors_link_up", ("link", "client")));
        Assert.Equal(0, Value("linkactors_link_up", ("link", "broken")));
        Assert.Equal(-97, Value("linkactors_modem_signal_dbm", ("link", "client")));
        Assert.Equal(0, Value("linkactors_link_errors_total", ("link", "client"), ("kind", "bad-fcs")));
    }

    [Fact]
    public async Task Metrics_EchoRoundTrip_HasSamplesOnceLcpEchoIsAnswered()
    {
        // The client link runs lcp-echo every 2 s: each answer is a sample of the round-trip histogram.
        await Daemon.WaitUpAsync();
        using var http = Http();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        double count = 0;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync("metrics");
            var (_, samples) = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
            count = samples.Where(s => s.Name == "linkactors_link_lcp_echo_rtt_seconds_count" && s.Labels.GetValueOrDefault("link") == "client")
                .Sum(s => s.Value);
            if (count > 0)
                break;
            await Task.Delay(250);
        }
        Assert.True(count > 0, "no LCP echo round trip was recorded for the client link");
    }

    [Fact]
    public async Task Doctor_OnAHealthyLink_SaysItIsUp()
    {
        await Daemon.WaitUpAsync();
        await Daemon.PingAsync(2, identifier: 0x4443);
        await Daemon.WaitForAsync("client", l => l.IsUp && l.Traffic is { PacketsReceived: >= 1 });
        var (facts, error) = await DoctorFactsReader.ReadAsync(Daemon.Client, "client", TimeSpan.Zero, CancellationToken.None);
        Assert.Null(error);
        var diagnosis = LinkDoctor.Examine(facts!);
        Assert.DoesNotContain(diagnosis.Findings, f => f.Severity == Severity.Problem);
        Assert.Contains(diagnosis.Findings, f => f.Code == "up");
        Assert.Contains(diagnosis.Findings, f => f.Code == "weak-signal"); // the BC66 fixture's CSQ 8 is -97 dBm
    }
}
