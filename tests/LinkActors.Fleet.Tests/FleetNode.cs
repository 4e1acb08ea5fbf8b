using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;
using LinkActors.Fleet.Service;
using Microsoft.AspNetCore.Builder;

namespace LinkActors.Fleet.Tests;

/// <summary>One fleet node in the test process (for the API tests; the cluster test runs nodes as processes).</summary>
public sealed class FleetNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FleetNode(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <param name="extra">More HOCON for the node (the page's settings, say), over the test configuration.</param>
    public static async Task<FleetNode> StartAsync(string database, TestCertificates? tls, string extra = "")
    {
        int http = FleetTestKit.FreePort();
        int management = FleetTestKit.FreePort();
        var config = ConfigurationFactory.ParseString(extra + "\n" + FleetTestKit.NodeConfig(database, http, FleetTestKit.FreePort(), management, [management], tls));
        var settings = FleetServiceSettings.Create(config, "test");
        var app = FleetService.Build(settings);
        await app.StartAsync();
        var node = new FleetNode(app, new Uri($"{(tls is null ? "http" : "https")}://127.0.0.1:{http}/"));
        // The node answers device and operator requests once it is a cluster of its own (bootstrap, then sharding).
        using var client = FleetTestKit.Operator(node.Url, Trusting(tls));
        await FleetTestKit.PollAsync(async () =>
        {
            try
            {
                using var r = await client.GetAsync("api/v1/cluster");
                return r.IsSuccessStatusCode && (await r.Content.ReadAsStringAsync()).Contains("\"up\":[\"", StringComparison.Ordinal);
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, up => up, TimeSpan.FromSeconds(60), "the node forms its cluster");
        return node;
    }

    /// <summary>A handler that trusts only the test CA (or plain HTTP when there is none).</summary>
    public static HttpMessageHandler Trusting(TestCertificates? tls)
    {
        var handler = new SocketsHttpHandler();
        if (tls is not null)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(tls.CaFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                    return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            };
        }
        return handler;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
