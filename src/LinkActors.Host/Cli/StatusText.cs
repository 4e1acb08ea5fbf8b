using System.Globalization;
using System.Text;
using LinkActors.Host.Doctor;
using LinkActors.Host.Management;
using LinkActors.Ppp.Text;

namespace LinkActors.Host.Cli;

/// <summary>The human-readable forms of the management endpoint's answers.</summary>
public static class StatusText
{
    public static string Link(LinkView link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var text = new StringBuilder();
        string state = link.IsUp ? "up" : link.Running ? link.Phase.ToLowerInvariant() : link.GaveUp is not null ? "stopped" : "down";
        text.Append(CultureInfo.InvariantCulture, $"{link.Name}: {state}");
        if (link.UptimeSeconds is { } uptime && link.IsUp)
            text.Append(" for ").Append(Durations.Human(TimeSpan.FromSeconds(Math.Round(uptime))));
        text.Append(CultureInfo.InvariantCulture, $" (phase {link.Phase}{(link.Required ? ", required" : "")})\n");
        // Only what is known: no "remote ," for a peer that gave no address.
        var address = new List<string>();
        if (link.Local is not null)
            address.Add($"local {link.Local}");
        if (link.Remote is not null)
            address.Add($"remote {link.Remote}");
        if (link.Dns.Count > 0)
            address.Add($"DNS {string.Join(" ", link.Dns)}");
        if (address.Count > 0)
            text.Append("  address  ").AppendJoin(", ", address).Append('\n');
        if (link.Layers.Count > 0)
            text.Append("  layers   ").Append(string.Join(", ", link.Layers.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key} {l.Value}"))).Append('\n');
        if (link.Traffic is { } t)
            text.Append(CultureInfo.InvariantCulture, $"  traffic  sent {t.PacketsSent} packets ({Bytes(t.BytesSent)}), received {t.PacketsReceived} packets ({Bytes(t.BytesReceived)})\n");
        if (link.Line is { } line)
            text.Append(CultureInfo.InvariantCulture, $"  line     sent {line.FramesSent} frames ({Bytes(line.BytesSent)}), received {line.FramesReceived} frames ({Bytes(line.BytesReceived)})\n");
        if (link.Errors is { Total: > 0 } e)
            text.Append(CultureInfo.InvariantCulture, $"  errors   bad FCS {e.BadFcs}, runts {e.Runts}, oversize {e.Oversize}, aborted {e.Aborted}, dropped on send {e.TxDropped}\n");
        if (link.EchoRttMs is { } rtt)
            text.Append(CultureInfo.InvariantCulture, $"  echo     LCP round trip {rtt:0.#} ms\n");
        if (link.ProbeBytes > 0)
            text.Append(CultureInfo.InvariantCulture, $"  probes   the idle-link probe spent {Bytes(link.ProbeBytes)} (watchdog.probe-budget)\n");
        if (link.Modem is { } modem)
            text.Append("  modem    ").Append(modem.Summary).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"  attempts {link.Attempts} ({link.Redials} redials, {link.ConsecutiveFailures} failed in a row)");
        if (link.NextAttempt is { } next && !link.Running)
            text.Append(CultureInfo.InvariantCulture, $", next dial at {next:HH:mm:ss}");
        text.Append('\n');
        if (link.Failure is { } failure)
            text.Append("  failing  ").Append(failure.Code).Append(": ").Append(failure.Message).Append('\n');
        if (link.LastFailure is { } last)
            text.Append("  last end ").Append(last.Code).Append(": ").Append(last.Message).Append('\n');
        if (link.GaveUp is { } gaveUp)
            text.Append("  stopped  ").Append(gaveUp).Append('\n');
        return text.ToString();
    }

    public static string Event(EventView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return string.Create(CultureInfo.InvariantCulture, $"{view.Time.ToLocalTime():HH:mm:ss.fff} {view.Link} {view.Summary}");
    }

    public static string Diagnosis(Diagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        var text = new StringBuilder();
        text.Append(diagnosis.Summary).Append('\n');
        foreach (var finding in diagnosis.Findings)
        {
            text.Append('\n').Append(finding.Severity switch
            {
                Severity.Problem => "PROBLEM ",
                Severity.Warning => "WARNING ",
                Severity.Info => "note    ",
                _ => "ok      ",
            }).Append(finding.Title).Append('\n');
            text.Append("  ").Append(finding.Explanation).Append('\n');
            Section(text, "seen", finding.Evidence);
            Section(text, "likely causes", finding.LikelyCauses);
            Section(text, "try next", finding.NextSteps);
        }
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
            return;
        text.Append("  ").Append(title).Append(":\n");
        foreach (var line in lines)
            text.Append("    - ").Append(line).Append('\n');
    }

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
    };
}
