using System.Globalization;
using System.Net;
using Akka.Configuration;
using LinkActors.Actors.Configuration;

namespace LinkActors.Host.Management;

/// <summary>
/// The management endpoint as `linkactors.management { ... }` configures it. The token also comes from
/// the environment (LINKACTORS_TOKEN), which wins over the file so that a fleet can keep it out of the
/// configuration. <see cref="ToString"/> never shows the token.
/// </summary>
/// <param name="Socket">The control socket's path (status and control for root and group linkactors); null: none.</param>
public sealed record ManagementSettings(bool Enabled, string Bind, int Port, string Token, string? Socket = null)
{
    public const string TokenVariable = "LINKACTORS_TOKEN";
    public const int DefaultPort = 8558;
    private const string Path = "linkactors.management";

    public static ManagementSettings Default { get; } = new(true, "127.0.0.1", DefaultPort, "");

    public bool HasToken => Token.Length > 0;

    /// <summary>Only the local machine can reach the endpoint.</summary>
    public bool IsLoopbackOnly => IsLoopback(Bind);

    /// <summary>
    /// Reads over TCP need the token off loopback (all but /alive and /ready). Control verbs over TCP
    /// always need it, even on loopback, where any local user can connect; the control socket needs
    /// none: its file mode decides who connects.
    /// </summary>
    public bool ReadsNeedToken => !IsLoopbackOnly;

    /// <summary>Reads and validates the block; <paramref name="environment"/> looks up LINKACTORS_TOKEN.</summary>
    public static ManagementSettings Create(Config config, string source, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var full = config.WithFallback(Settings.Reference);
        T Read<T>(string key, Func<string, T> read)
        {
            try
            {
                return read($"{Path}.{key}");
            }
            catch (Exception e) when (e is FormatException or ConfigurationException or InvalidCastException or OverflowException or NullReferenceException)
            {
                throw new SettingsException(source, $"{Path}.{key}", $"\"{full.GetString($"{Path}.{key}", "")}\" is not a {(key == "enabled" ? "true or false" : "whole number")}");
            }
        }
        bool enabled = Read("enabled", k => full.GetBoolean(k));
        int port = Read("port", k => full.GetInt(k));
        string bind = full.GetString($"{Path}.bind") ?? "";
        string token = (environment ?? Environment.GetEnvironmentVariable)(TokenVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : full.GetString($"{Path}.token") ?? "";
        string socket = (full.GetString($"{Path}.socket") ?? "").Trim();
        var settings = new ManagementSettings(enabled, bind.Trim(), port, token, socket switch
        {
            "" => ControlSocket.DefaultPath(environment),
            "off" => null,
            _ => socket,
        });
        settings.Validate(source);
        return settings;
    }

    /// <summary>Refuses what must not start: a bad address or port, or a non-loopback bind without a token.</summary>
    public void Validate(string source = "configuration")
    {
        if (!Enabled)
            return;
        if (Port is < 0 or > 65535)
            throw new SettingsException(source, $"{Path}.port", string.Create(CultureInfo.InvariantCulture, $"{Port} is not a TCP port (0..65535; 0 = any free port)"));
        if (Bind != "localhost" && !IPAddress.TryParse(Bind, out _))
            throw new SettingsException(source, $"{Path}.bind", $"\"{Bind}\" is not an IP address (or \"localhost\")");
        // An IPv4 address written as IPv6 (::ffff:127.0.0.1) cannot be bound by an IPv6 socket without dual mode.
        if (IPAddress.TryParse(Bind, out var mapped) && mapped.IsIPv4MappedToIPv6)
            throw new SettingsException(source, $"{Path}.bind", $"\"{Bind}\" is an IPv4 address written as IPv6: write {mapped.MapToIPv4()}");
        if (Socket is not null && (!System.IO.Path.IsPathFullyQualified(Socket) || System.Text.Encoding.UTF8.GetByteCount(Socket) > ControlSocket.MaxPathBytes))
            throw new SettingsException(source, $"{Path}.socket",
                string.Create(CultureInfo.InvariantCulture, $"\"{Socket}\" is not an absolute path of at most {ControlSocket.MaxPathBytes} bytes (or \"off\")"));
        if (!IsLoopbackOnly && !HasToken)
            throw new SettingsException(source, $"{Path}.token",
                $"the endpoint would listen on {Bind}, which is not loopback: set a token (or {TokenVariable}) so that only its holders can read and control the links, or bind 127.0.0.1");
    }

    public static bool IsLoopback(string bind) =>
        bind == "localhost" || (IPAddress.TryParse(bind, out var address) && IPAddress.IsLoopback(address));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"ManagementSettings {{ Enabled = {Enabled}, Bind = {Bind}, Port = {Port}, Token = {(HasToken ? "<set>" : "<none>")}, Socket = {Socket ?? "<none>"} }}");
}
