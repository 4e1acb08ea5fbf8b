using System.Globalization;
using System.Net;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Watchdog;

// Probe bytes a day at the default budget, for an idle link and a busy one: a day of one-second steps
// through the watchdog's own pure parts (DataPathMonitor decides when the link has been idle for the
// probe's interval, ProbePlan what the probe is and costs); every probe is answered (a healthy path).
var settings = WatchdogLinkSettings.Default;
var local = IPAddress.Parse("192.0.2.10");
var peer = IPAddress.Parse("192.0.2.1");
var dns = IPAddress.Parse("192.0.2.53");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"default budget {settings.ProbeBudget} bytes/day, window {settings.Window.TotalSeconds:0} s"));
foreach (var (kind, plan) in new[]
{
    ("DNS probe (peer gave a DNS server)", ProbePlan.For(settings.ProbeBudget, settings.Window, null, local, peer, dns, null)!),
    ("ICMP probe (peer only)", ProbePlan.For(settings.ProbeBudget, settings.Window, null, local, peer, null, null)!),
})
{
    foreach (var (load, receiveEvery) in new[] { ("idle", 0), ("busy (a packet received every 10 s)", 10) })
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var monitor = new DataPathMonitor(settings.Window, start);
        long sent = 0, received = 0, probeBytes = 0;
        int probes = 0;
        for (int s = 1; s <= 86_400; s++)
        {
            var now = start.AddSeconds(s);
            if (receiveEvery > 0 && s % receiveEvery == 0)
            {
                sent++;
                received++;
            }
            monitor.ObserveCounters(now, sent, received);
            if (monitor.ProbeDue(now, plan.Interval))
            {
                probes++;
                probeBytes += plan.BytesPerProbe;
                monitor.ObserveProbe(now, answered: true, plan.ToString());
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {kind,-36} {load,-38} {probes,4} probes, {probeBytes,6} probe bytes/day (interval {plan.Interval.TotalMinutes:0.0} min, {plan.BytesPerProbe} bytes each)"));
    }
}
