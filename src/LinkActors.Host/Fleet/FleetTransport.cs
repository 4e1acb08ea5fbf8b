using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using LinkActors.Fleet.Wire;

namespace LinkActors.Host.Fleet;

/// <summary>How a report went: an answer (200), a refusal with the service's reason (4xx), or no answer at all.</summary>
public sealed record TransportResult(int Status, ReportAnswer? Answer, Problem? Problem, string? Error)
{
    public bool Accepted => Status == 200 && Answer is not null;
}

/// <summary>Sends a report and returns the answer; what it costs on the wire is in <see cref="Meter"/>.</summary>
public interface IFleetTransport
{
    Task<TransportResult> SendAsync(DeviceReport report, CancellationToken cancel);

    WireMeter Meter { get; }
}

/// <summary>
/// HTTPS to the fleet service with HttpClient: the system's trust store, or only the CA of a pinned PEM
/// file; TLS sessions resumed across connections (the handler keeps the session cache); connections
/// closed soon after a report (a cellular NAT forgets idle ones anyway) with a reset, and metered.
/// </summary>
public sealed class FleetTransport : IFleetTransport, IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _report;
    private readonly X509Certificate2Collection? _pinned;

    private readonly Func<Socket> _newSocket;

    /// <param name="newSocket">Makes the TCP socket for a connection (a test makes it inside a network namespace); a plain one by default.</param>
    public FleetTransport(Uri service, string deviceId, string token, string? caFile, TimeSpan? idle = null, Func<Socket>? newSocket = null)
    {
        _newSocket = newSocket ?? (() => new Socket(SocketType.Stream, ProtocolType.Tcp));
        ArgumentNullException.ThrowIfNull(service);
        Meter = new WireMeter();
        if (caFile is not null)
        {
            _pinned = [];
            _pinned.ImportFromPemFile(caFile);
        }
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = idle ?? TimeSpan.FromSeconds(15),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectCallback = ConnectAsync,
        };
        if (_pinned is not null)
            handler.SslOptions.RemoteCertificateValidationCallback = ValidatePinned;
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _client.DefaultRequestHeaders.UserAgent.Clear();
        _report = new Uri(service, $"/api/v1/devices/{Uri.EscapeDataString(deviceId)}/report");
    }

    public WireMeter Meter { get; }

    public async Task<TransportResult> SendAsync(DeviceReport report, CancellationToken cancel)
    {
        try
        {
            using var content = JsonContent.Create(report, options: FleetJson.Options);
            using var response = await _client.PostAsync(_report, content, cancel).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status == 200)
                return new TransportResult(200, await response.Content.ReadFromJsonAsync<ReportAnswer>(FleetJson.Options, cancel).ConfigureAwait(false), null, null);
            Problem? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync<Problem>(FleetJson.Options, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
            }
            return new TransportResult(status, null, problem, problem?.Error ?? $"HTTP {status}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or IOException)
        {
            return new TransportResult(0, null, null, e.InnerException?.Message ?? e.Message);
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        // Closed with a reset, not FIN/ACK both ways: the connection is closed only when idle (the answer read, nothing
        // in flight), and one segment costs less than four on a metered link (WireMeter.CloseBytes).
        var socket = _newSocket();
        socket.NoDelay = true;
        socket.LingerState = new LingerOption(true, 0);
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancel).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        Meter.Opened(socket);
        return new MeteredStream(socket, Meter);
    }

    /// <summary>Only a chain to the pinned CA is trusted; the name must still match.</summary>
    private bool ValidatePinned(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            return false;
        using var pinnedChain = new X509Chain();
        pinnedChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        pinnedChain.ChainPolicy.CustomTrustStore.AddRange(_pinned!);
        pinnedChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
            pinnedChain.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        return pinnedChain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A NetworkStream that has the meter read the socket's counters before it closes.</summary>
    private sealed class MeteredStream(Socket socket, WireMeter meter) : NetworkStream(socket, ownsSocket: true)
    {
        private int _closed;

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
                meter.Closing(Socket);
            base.Dispose(disposing);
        }
    }
}
