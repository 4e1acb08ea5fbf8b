using System.Globalization;
using LinkActors.Emulator.Modem;

namespace LinkActors.Emulator.Faults;

/// <summary>
/// The control channel's language, one command a line, for a person at the emulator:
/// <c>drop-carrier</c>, <c>hang</c>, <c>reboot</c>, <c>garbage 0.01</c>, <c>latency 200ms</c>,
/// <c>baud 9600</c>, <c>deregister</c>, <c>black-hole on|off</c>, <c>ignore-icmp 10.0.0.1</c>, <c>dns 10.0.0.2</c>,
/// <c>clear</c>, <c>status</c>, <c>help</c>.
/// </summary>
public static class ControlCommand
{
    public const string Help =
        "drop-carrier | hang | reboot | deregister | deregister-keep-call | garbage <rate 0..1> | latency <200ms|1s> | "
        + "baud <bits/s, 0 = off> | black-hole on|off | ignore-icmp <address>|off | dns <address>|off | stale-pdp <address> | clear | status";

    /// <summary>Applies one line to <paramref name="modem"/> and returns the reply to show.</summary>
    public static string Execute(string line, ModemEmulator modem)
    {
        ArgumentNullException.ThrowIfNull(modem);
        string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            return "";
        string verb = words[0].ToLowerInvariant();
        string? argument = words.Length > 1 ? words[1] : null;
        ModemFaults faults = modem.Faults;
        switch (verb)
        {
            case "drop-carrier":
                faults.DropCarrier();
                return "ok: carrier dropped";
            case "hang":
                faults.Hang();
                return "ok: hung until clear";
            case "reboot":
                faults.Reboot();
                return "ok: rebooting";
            case "deregister-keep-call":
                faults.DeregisterKeepingCall();
                return "ok: deregistered, the call stays up, until clear";
            case "deregister":
                faults.Deregister();
                return "ok: deregistered until clear";
            case "clear":
                faults.Clear();
                return "ok: faults cleared";
            case "garbage":
                if (!double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) || rate is < 0 or > 1)
                    return "error: garbage takes a rate between 0 and 1, e.g. garbage 0.01";
                faults.Garbage(rate);
                return $"ok: garbage {rate}";
            case "latency":
                if (!TryParseDuration(argument, out TimeSpan latency))
                    return "error: latency takes a duration, e.g. latency 200ms";
                faults.Latency(latency);
                return $"ok: latency {latency.TotalMilliseconds} ms";
            case "baud":
                if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out int baud))
                    return "error: baud takes bits per second, e.g. baud 9600 (0 = no limit)";
                faults.Baud(baud);
                return baud == 0 ? "ok: no baud limit" : $"ok: baud {baud}";
            case "black-hole" or "blackhole":
                bool? on = argument?.ToLowerInvariant() switch
                {
                    "on" or "1" or "true" => true,
                    "off" or "0" or "false" => false,
                    null => true,
                    _ => null,
                };
                if (on is null)
                    return "error: black-hole on|off";
                faults.BlackHole(on.Value);
                return on.Value ? "ok: black hole on" : "ok: black hole off";
            case "ignore-icmp":
                if (!TryParseAddressOrOff(argument, out var peer))
                    return "error: ignore-icmp takes an IPv4 address or off, e.g. ignore-icmp 10.0.0.1";
                faults.PeerIgnoresIcmp(peer);
                return peer is null ? "ok: every address answers ICMP" : $"ok: {peer} ignores ICMP echo";
            case "dns":
                if (!TryParseAddressOrOff(argument, out var server))
                    return "error: dns takes the DNS server's IPv4 address or off, e.g. dns 10.0.0.2";
                faults.DnsServerAnswers(server);
                return server is null ? "ok: no DNS server answers" : $"ok: DNS server {server} answers";
            case "stale-pdp":
                if (!System.Net.IPAddress.TryParse(argument ?? "", out var stale) || stale.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                    return "error: stale-pdp takes the IPv4 address the modem's context should report, e.g. stale-pdp 10.64.0.99";
                faults.StalePdp(stale);
                return $"ok: stale PDP context with {stale}";
            case "status":
                return $"mode={modem.Mode} registration={(int)modem.Registration} {faults} {modem.Counters}";
            case "help" or "?":
                return Help;
            default:
                return $"error: unknown command '{words[0]}'; try: {Help}";
        }
    }

    private static bool TryParseAddressOrOff(string? text, out System.Net.IPAddress? address)
    {
        address = null;
        if (string.Equals(text?.Trim(), "off", StringComparison.OrdinalIgnoreCase))
            return true;
        return System.Net.IPAddress.TryParse(text?.Trim(), out address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
    }

    /// <summary>"200ms", "1.5s", "2m", or a bare number of milliseconds.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim().ToLowerInvariant();
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 1.0),
            _ when text.EndsWith('s') => (text[..^1], 1000.0),
            _ when text.EndsWith('m') => (text[..^1], 60_000.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < 0)
            return false;
        duration = TimeSpan.FromMilliseconds(value * scale);
        return true;
    }
}
