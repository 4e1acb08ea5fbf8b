using System.Globalization;

namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>
/// What a link imported from pppd's files does that pppd would not, in plain words, each with the way to
/// turn it off: `call --dump`, `call` at start and `import-pppd` say it, so nothing beyond pppd is a surprise.
/// </summary>
public static class BeyondPppd
{
    /// <param name="managementEndpoint">Where `call` serves status/events/doctor ("127.0.0.1:8558"); null: none.</param>
    public static IReadOnlyList<string> Describe(LinkSettings link, string? managementEndpoint)
    {
        ArgumentNullException.ThrowIfNull(link);
        var watchdog = link.Watchdog;
        var lines = new List<string>();
        string window = watchdog.Window.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        string budget = watchdog.ProbeBudget.ToString(CultureInfo.InvariantCulture);
        string resets = watchdog.MaxResetsPerHour.ToString(CultureInfo.InvariantCulture);
        if (watchdog.Window > TimeSpan.Zero)
        {
            string after = link.Persist
                ? "with persist the link heals: hang up, ask the modem why, dial again"
                : "without persist the link ends with exit code 32 (dead-data-path)";
            lines.Add($"data-path watchdog: on, window {window} s (IP sent and nothing received that long means the data path is dead; " +
                $"it reads packet counters only and costs no bytes); {after}. Off: watchdog.window = 0s (linkactors call: --watchdog-window 0)");
            lines.Add(watchdog.ProbeBudget > 0
                ? $"idle-link probes: on, at most {budget} bytes a day, sent only after {window} s without anything received " +
                  "(ICMP to watchdog.ping-target, else a DNS query to the peer's DNS server, else ICMP to the peer). Off: watchdog.probe-budget = 0"
                : "idle-link probes: off (watchdog.probe-budget = 0)");
            lines.Add($"modem resets by the watchdog's ladder: at most {resets} an hour. Off: watchdog.ladder = [redial]");
        }
        else
        {
            lines.Add("data-path watchdog: off (watchdog.window = 0s)");
        }
        if (watchdog.PingInterval > TimeSpan.Zero)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"ping probe every {watchdog.PingInterval.TotalSeconds:0.###} s. Off: watchdog.ping-interval = 0s"));
        if (managementEndpoint is not null)
            lines.Add($"management endpoint on {managementEndpoint} (linkactors status, events, doctor). Off: linkactors call --management off");
        return lines;
    }
}
