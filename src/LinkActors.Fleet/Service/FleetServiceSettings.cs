using System.Globalization;
using System.Net;
using System.Reflection;
using Akka.Configuration;

namespace LinkActors.Fleet.Service;

public sealed class FleetSettingsException(string source, string key, string reason) : Exception($"{source}: {key}: {reason}")
{
    public string Key { get; } = key;
}

/// <summary>The fleet service as `linkactors.fleet-service { ... }` configures it. <see cref="ToString"/> shows no token.</summary>
public sealed record FleetServiceSettings(
    string Bind,
    int Port,
    string? Certificate,
    string? Key,
    string OperatorToken,
    string EnrolmentToken,
    int MaxReportBytes,
    string Hostname,
    int RemotePort,
    int ManagementPort,
    string ServiceName,
    IReadOnlyList<string> ContactPoints,
    int RequiredContactPoints,
    TimeSpan StableAfter,
    int Shards,
    string Provider,
    string ConnectionString,
    Config Akka,
    TimeSpan HistoryInterval = default,
    TimeSpan Session = default)
{
    public const string OperatorTokenVariable = "LINKACTORS_FLEET_OPERATOR_TOKEN";
    public const string EnrolmentTokenVariable = "LINKACTORS_FLEET_ENROLMENT_TOKEN";
    private const string Root = "linkactors.fleet-service";
    private static readonly Lazy<Config> s_reference = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("LinkActors.Fleet.fleet-reference.conf")!;
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });

    public static Config Reference => s_reference.Value;

    public bool Tls => Certificate is not null;

    public static FleetServiceSettings Load(string path, Func<string, string?>? environment = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FleetSettingsException(path, Root, $"cannot read the file: {e.Message}");
        }
        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is ConfigurationException or FormatException or InvalidOperationException)
        {
            throw new FleetSettingsException(path, Root, $"not valid HOCON: {e.Message}");
        }
        return Create(config, path, environment);
    }

    public static FleetServiceSettings Create(Config config, string source, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var env = environment ?? Environment.GetEnvironmentVariable;
        var full = config.WithFallback(Reference);
        CheckKeys(full.GetConfig(Root), Reference.GetConfig(Root), Root, source);
        string key = Root;
        try
        {
            string Str(string k) => (full.GetString($"{key = $"{Root}.{k}"}") ?? "").Trim();
            int Int(string k) => full.GetInt(key = $"{Root}.{k}");
            string? certificate = Str("http.certificate") is { Length: > 0 } c ? c : null;
            string? keyFile = Str("http.key") is { Length: > 0 } k ? k : null;
            var settings = new FleetServiceSettings(
                Bind: Str("http.bind"),
                Port: Int("http.port"),
                Certificate: certificate,
                Key: keyFile,
                OperatorToken: env(OperatorTokenVariable) is { Length: > 0 } o ? o : Str("operator-token"),
                EnrolmentToken: env(EnrolmentTokenVariable) is { Length: > 0 } n ? n : Str("enrolment-token"),
                MaxReportBytes: Int("max-report-bytes"),
                Hostname: Str("cluster.hostname"),
                RemotePort: Int("cluster.port"),
                ManagementPort: Int("cluster.management-port"),
                ServiceName: Str("cluster.service-name"),
                ContactPoints: (full.GetStringList(key = $"{Root}.cluster.contact-points") ?? []).Select(p => p.Trim()).ToList(),
                RequiredContactPoints: Int("cluster.required-contact-points"),
                StableAfter: full.GetTimeSpan(key = $"{Root}.cluster.stable-after"),
                Shards: Int("cluster.shards"),
                Provider: Str("persistence.provider"),
                ConnectionString: Str("persistence.connection-string"),
                Akka: config.HasPath("akka") ? config : Config.Empty,
                HistoryInterval: full.GetTimeSpan(key = $"{Root}.page.history-interval"),
                Session: full.GetTimeSpan(key = $"{Root}.page.session"));
            settings.Validate(source);
            return settings;
        }
        catch (Exception e) when (e is FormatException or ConfigurationException or InvalidCastException or NullReferenceException)
        {
            throw new FleetSettingsException(source, key, e.Message);
        }
    }

    private static void CheckKeys(Config given, Config reference, string path, string source)
    {
        foreach (var (name, value) in given.Root.GetObject().Items)
        {
            string keyPath = $"{path}.{name}";
            if (!reference.HasPath(name))
                throw new FleetSettingsException(source, keyPath, "unknown key");
            if (value.IsObject() && !value.IsEmpty)
                CheckKeys(given.GetConfig(name), reference.GetConfig(name), keyPath, source);
        }
    }

    public void Validate(string source)
    {
        static string PortError(int p) => string.Create(CultureInfo.InvariantCulture, $"{p} is not a TCP port (0..65535)");
        if (Port is < 0 or > 65535)
            throw new FleetSettingsException(source, $"{Root}.http.port", PortError(Port));
        if (RemotePort is < 0 or > 65535)
            throw new FleetSettingsException(source, $"{Root}.cluster.port", PortError(RemotePort));
        if (ManagementPort is < 0 or > 65535)
            throw new FleetSettingsException(source, $"{Root}.cluster.management-port", PortError(ManagementPort));
        if (Bind != "localhost" && !IPAddress.TryParse(Bind, out _))
            throw new FleetSettingsException(source, $"{Root}.http.bind", $"\"{Bind}\" is not an IP address (or \"localhost\")");
        if ((Certificate is null) != (Key is null))
            throw new FleetSettingsException(source, $"{Root}.http.{(Certificate is null ? "certificate" : "key")}", "set both the certificate and its key, or neither");
        if (Certificate is null && !IsLoopback(Bind))
            throw new FleetSettingsException(source, $"{Root}.http.certificate",
                $"the service would listen on {Bind} without TLS: set a certificate and key, or bind 127.0.0.1 behind a TLS proxy");
        if (OperatorToken.Length < 16)
            throw new FleetSettingsException(source, $"{Root}.operator-token",
                $"an operator token of at least 16 characters is required (or {OperatorTokenVariable})");
        if (EnrolmentToken.Length is > 0 and < 16)
            throw new FleetSettingsException(source, $"{Root}.enrolment-token", "at least 16 characters, or empty to turn enrolment off");
        if (MaxReportBytes is < 1024 or > 1024 * 1024)
            throw new FleetSettingsException(source, $"{Root}.max-report-bytes", "between 1024 and 1048576");
        if (Provider is not ("sqlite" or "postgresql"))
            throw new FleetSettingsException(source, $"{Root}.persistence.provider", $"\"{Provider}\": sqlite or postgresql");
        if (ConnectionString.Length == 0)
            throw new FleetSettingsException(source, $"{Root}.persistence.connection-string", "required");
        if (RequiredContactPoints < 1)
            throw new FleetSettingsException(source, $"{Root}.cluster.required-contact-points", "at least 1");
        if (HistoryInterval < TimeSpan.FromSeconds(1) || HistoryInterval > TimeSpan.FromHours(1))
            throw new FleetSettingsException(source, $"{Root}.page.history-interval", "between 1s and 1h");
        if (Session < TimeSpan.FromMinutes(1) || Session > TimeSpan.FromDays(30))
            throw new FleetSettingsException(source, $"{Root}.page.session", "between 1m and 30d");
        if (Shards is < 1 or > 10000)
            throw new FleetSettingsException(source, $"{Root}.cluster.shards", "between 1 and 10000");
        foreach (var point in ContactPoints)
        {
            int colon = point.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(point[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p is < 1 or > 65535)
                throw new FleetSettingsException(source, $"{Root}.cluster.contact-points", $"\"{point}\" is not host:port");
        }
    }

    public static bool IsLoopback(string bind) =>
        bind == "localhost" || (IPAddress.TryParse(bind, out var address) && IPAddress.IsLoopback(address));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"FleetServiceSettings {{ Http = {Bind}:{Port} {(Tls ? "TLS" : "plain")}, Cluster = {Hostname}:{RemotePort} (management {ManagementPort}), Persistence = {Provider}, Tokens = <not shown> }}");
}
