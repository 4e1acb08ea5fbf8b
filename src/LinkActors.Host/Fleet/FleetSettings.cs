using System.Globalization;
using Akka.Configuration;
using LinkActors.Actors.Configuration;
using LinkActors.Fleet.Service;

namespace LinkActors.Host.Fleet;

/// <summary>The reporter as `linkactors.fleet { ... }` configures it; off unless url is set. <see cref="ToString"/> shows no token.</summary>
public sealed record FleetSettings(
    Uri? Url,
    string DeviceId,
    string Token,
    string? CaFile,
    long Budget,
    TimeSpan Heartbeat,
    TimeSpan Coalesce,
    TimeSpan MinInterval,
    int Queue,
    long WatchBudget)
{
    public const string TokenVariable = "LINKACTORS_FLEET_TOKEN";
    private const string Path = "linkactors.fleet";

    public bool Enabled => Url is not null;

    /// <summary>How long a report about a link gone down waits for it to come back, so a short outage costs one report, not two.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMinutes(3);

    public static FleetSettings Create(Config config, string source, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var full = config.WithFallback(Settings.Reference);
        string key = Path;
        try
        {
            string Str(string k) => (full.GetString(key = $"{Path}.{k}") ?? "").Trim();
            TimeSpan Time(string k) => full.GetTimeSpan(key = $"{Path}.{k}");
            long Long(string k) => full.GetLong(key = $"{Path}.{k}");
            string url = Str("url");
            Uri? uri = null;
            if (url.Length > 0 && (!Uri.TryCreate(url, UriKind.Absolute, out uri) || uri.Scheme is not ("https" or "http")))
                throw new SettingsException(source, $"{Path}.url", $"\"{url}\" is not an https:// URL");
            var settings = new FleetSettings(
                Url: uri,
                DeviceId: Str("device-id"),
                Token: (environment ?? Environment.GetEnvironmentVariable)(TokenVariable) is { Length: > 0 } t ? t : Str("token"),
                CaFile: Str("ca-file") is { Length: > 0 } ca ? ca : null,
                Budget: Long("budget"),
                Heartbeat: Time("heartbeat"),
                Coalesce: Time("coalesce"),
                MinInterval: Time("min-interval"),
                Queue: (int)Long("queue"),
                WatchBudget: Long("watch-budget"))
            {
                Settle = Time("settle"),
            };
            settings.Validate(source);
            return settings;
        }
        catch (Exception e) when (e is FormatException or ConfigurationException or InvalidCastException or OverflowException)
        {
            throw new SettingsException(source, key, e.Message);
        }
    }

    public void Validate(string source = "configuration")
    {
        if (!Enabled)
            return;
        if (Url!.Scheme == "http" && !Url.IsLoopback)
            throw new SettingsException(source, $"{Path}.url", "reports carry the device's token: use https:// (plain http only to a service on this machine)");
        if (!ReportRules.IsName(DeviceId))
            throw new SettingsException(source, $"{Path}.device-id", "required: 1 to 64 letters, digits, '.', '_' or '-'");
        if (Token.Length == 0)
            throw new SettingsException(source, $"{Path}.token", $"required (or {TokenVariable}): the device's token from the fleet service");
        if (CaFile is not null && !File.Exists(CaFile))
            throw new SettingsException(source, $"{Path}.ca-file", $"{CaFile} does not exist");
        if (Budget < 2000)
            throw new SettingsException(source, $"{Path}.budget", string.Create(CultureInfo.InvariantCulture, $"{Budget} bytes a day is too little for even one report over TLS (at least 2000)"));
        if (Heartbeat < TimeSpan.FromMinutes(1))
            throw new SettingsException(source, $"{Path}.heartbeat", "at least 1 minute");
        if (Settle < TimeSpan.Zero)
            throw new SettingsException(source, $"{Path}.settle", "must not be negative");
        if (Coalesce < TimeSpan.Zero || MinInterval < TimeSpan.Zero)
            throw new SettingsException(source, $"{Path}.{(Coalesce < TimeSpan.Zero ? "coalesce" : "min-interval")}", "must not be negative");
        if (Queue is < 1 or > 1000)
            throw new SettingsException(source, $"{Path}.queue", "between 1 and 1000");
        if (WatchBudget < 0)
            throw new SettingsException(source, $"{Path}.watch-budget", "must not be negative");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"FleetSettings {{ Url = {Url}, DeviceId = {DeviceId}, Token = {(Token.Length > 0 ? "<set>" : "<none>")}, Budget = {Budget} B/day, Heartbeat = {Heartbeat} }}");
}
