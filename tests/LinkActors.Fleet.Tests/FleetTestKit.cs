using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LinkActors.Fleet.Service;
using LinkActors.Fleet.Wire;
using LinkActors.Host.Fleet;

namespace LinkActors.Fleet.Tests;

/// <summary>A CA and a server certificate for 127.0.0.1 signed by it, written as PEM files for the service and the reporter.</summary>
public sealed class TestCertificates
{
    /// <param name="alsoFor">Another address the server certificate names (a service in a network namespace).</param>
    public TestCertificates(string directory, IPAddress? alsoFor = null)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=LinkActors test fleet CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        if (alsoFor is not null)
            names.AddIpAddress(alsoFor);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));
        CaFile = Path.Combine(directory, "ca.pem");
        CertificateFile = Path.Combine(directory, "server.pem");
        KeyFile = Path.Combine(directory, "server.key");
        File.WriteAllText(CaFile, ca.ExportCertificatePem());
        File.WriteAllText(CertificateFile, server.ExportCertificatePem());
        File.WriteAllText(KeyFile, serverKey.ExportPkcs8PrivateKeyPem());
    }

    public string CaFile { get; }

    public string CertificateFile { get; }

    public string KeyFile { get; }
}

public static class FleetTestKit
{
    public const string OperatorToken = "operator-token-for-tests-0123456789";
    public const string EnrolmentToken = "enrolment-token-for-tests-0123456789";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Scratch()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"la-fleet-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The HOCON of one node; <paramref name="contactPoints"/> are the management ports of every node.</summary>
    public static string NodeConfig(string database, int httpPort, int remotePort, int managementPort, IReadOnlyList<int>? contactPoints = null,
        TestCertificates? tls = null) =>
        $$"""
        linkactors.fleet-service {
          http { bind = "127.0.0.1", port = {{httpPort}}{{(tls is null ? "" : $", certificate = \"{tls.CertificateFile}\", key = \"{tls.KeyFile}\"")}} }
          operator-token = "{{OperatorToken}}"
          enrolment-token = "{{EnrolmentToken}}"
          cluster {
            port = {{remotePort}}
            management-port = {{managementPort}}
            contact-points = [{{string.Join(", ", (contactPoints ?? []).Select(p => $"\"127.0.0.1:{p}\""))}}]
            required-contact-points = {{Math.Max(1, contactPoints?.Count ?? 1)}}
            stable-after = 4s
          }
          persistence.connection-string = "Data Source={{database}}"
        }
        akka.management.cluster.bootstrap.contact-point-discovery { stable-margin = 1s, interval = 500ms }
        akka.management.cluster.bootstrap.contact-point.probe-interval = 500ms
        akka.cluster.failure-detector { acceptable-heartbeat-pause = 3s, heartbeat-interval = 500ms }
        akka.loglevel = WARNING
        """;

    public static HttpClient Operator(Uri service, HttpMessageHandler? handler = null)
    {
        var client = new HttpClient(handler ?? new HttpClientHandler()) { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        return client;
    }

    public static async Task<string> RegisterAsync(HttpClient operatorClient, string device, params string[] tags)
    {
        // A fresh cluster may answer 503 while its shards are first allocated: an operator tries again.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await operatorClient.PutAsJsonAsync($"api/v1/devices/{device}", new FleetApi.RegisterRequest(tags), FleetJson.Options);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
                continue;
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<Enrolled>(FleetJson.Options))!.Token;
        }
    }

    public static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last = await read();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{what}: not within {timeout.TotalSeconds:0} s (last: {last})");
            await Task.Delay(200);
            last = await read();
        }
        return last;
    }

    public static FleetSettings ReporterSettings(Uri url, string device, string token, string? caFile = null) =>
        new(url, device, token, caFile, Budget: 10_000_000, Heartbeat: TimeSpan.FromHours(6), Coalesce: TimeSpan.Zero,
            MinInterval: TimeSpan.Zero, Queue: 32, WatchBudget: 100_000) { Settle = TimeSpan.Zero };
}

/// <summary>A device for the tests: facts set by the test, commands recorded (how often each id ran).</summary>
public sealed class SimulatedDevice : IFleetFacts, IFleetCommands
{
    public ConcurrentDictionary<string, int> Ran { get; } = new();

    public string Phase { get; set; } = "Network";

    public IReadOnlyList<Type> Triggers { get; } = [typeof(DeviceChanged)];

    public DeviceEvent? Describe(object published, DateTimeOffset now) =>
        published is DeviceChanged c ? new DeviceEvent(now, "ppp0", "phase", $"phase {c.Phase}") : null;

    public Task<IReadOnlyList<LinkFacts>> ReadAsync() =>
        Task.FromResult<IReadOnlyList<LinkFacts>>([new LinkFacts("ppp0", Phase, Phase == "Network", "10.0.0.2", "10.0.0.1", 100, -80, "registered", "Test")]);

    public Task<CommandAck> RunAsync(FleetCommand command)
    {
        Ran.AddOrUpdate(command.Id, 1, (_, n) => n + 1);
        return Task.FromResult(new CommandAck(command.Id, "done", $"{command.Verb} simulated"));
    }

    public sealed record DeviceChanged(string Phase);
}

/// <summary>The 3-node cluster test: run when FLEET_CLUSTER_TEST=1 (it needs minutes and a quiet machine; see the README).</summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FLEET_CLUSTER_TEST") != "1")
            Skip = "the 3-node fleet cluster test runs with FLEET_CLUSTER_TEST=1 (three node processes sharing one SQLite file are slow on a loaded 2-core machine)";
    }
}
