using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Actors.Link;
using Xunit.Abstractions;

namespace LinkActors.Actors.Tests.AlwaysOn;

/// <summary>
/// Random modem faults every 10-60 s (scaled down for a normal run) while the probe pings every
/// second: availability from the ping log, and the process's memory, descriptors and threads must be
/// as flat at the last fault as at the first. 2.5 minutes by default; LINKACTORS_SOAK_MINUTES for longer.
/// </summary>
[Collection("always-on")]
public sealed class SoakTests : TestKit
{
    private readonly ITestOutputHelper _output;

    public SoakTests(ITestOutputHelper output) : base("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING", output: output) => _output = output;

    private static readonly string[] Kinds = ["drop-carrier", "reboot", "hang", "deregister", "garbage", "black-hole"];
    private const long MemoryMargin = 32L * 1024 * 1024;
    private const int DescriptorMargin = 16;
    private const int ThreadMargin = 16;

    private sealed record Resources(long Memory, int Descriptors, int Threads)
    {
        public static Resources Measure()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var self = Process.GetCurrentProcess();
            return new Resources(GC.GetTotalMemory(forceFullCollection: true), Directory.GetFiles("/proc/self/fd").Length, self.Threads.Count);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"memory {Memory / 1024.0 / 1024.0:0.0} MiB, {Descriptors} fds, {Threads} threads");
    }

    [Fact]
    public async Task RandomFaults_LinkRecovers_ResourcesStayFlat()
    {
        double minutes = double.TryParse(Environment.GetEnvironmentVariable("LINKACTORS_SOAK_MINUTES"), NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0 ? m : 2.5;
        bool scaled = Environment.GetEnvironmentVariable("LINKACTORS_SOAK_MINUTES") is null;
        // 10-60 s between faults on a long soak; 8-16 s in a normal run so that a dozen faults fit.
        (int low, int high) = scaled ? (8, 16) : (10, 60);
        var random = new Random(20250101);
        await using var rig = new AlwaysOnRig(Sys, _output, "watchdog.good-service-reset = 20s");
        await rig.WaitForPingAnswered(TimeSpan.FromSeconds(30), 0);
        var end = TimeSpan.FromMinutes(minutes);
        var soak = Stopwatch.StartNew();
        double soakStart = rig.Now;
        Resources? first = null, last = null;
        var recoveries = new List<(string Fault, double Seconds)>();
        int faults = 0;
        var bag = new List<string>();
        while (soak.Elapsed + TimeSpan.FromSeconds(high) < end)
        {
            await Task.Delay(TimeSpan.FromSeconds(random.Next(low, high)));
            var now = Resources.Measure();
            first ??= now;
            last = now;
            // Every kind of fault once per round, in a random order.
            if (bag.Count == 0)
                bag.AddRange(Kinds.OrderBy(_ => random.Next()));
            string fault = bag[0];
            bag.RemoveAt(0);
            faults++;
            double at = rig.Now;
            rig.Log($"fault {faults}: {fault} ({now})");
            switch (fault)
            {
                case "drop-carrier": rig.Modem.Faults.DropCarrier(); break;
                case "reboot": rig.Modem.Faults.Reboot(); break;
                case "hang": rig.Modem.Faults.Hang(); break;
                case "deregister": rig.Modem.Faults.Deregister(); break;
                case "garbage": rig.Modem.Faults.Garbage(0.001); break;
                default: rig.Modem.Faults.BlackHole(); break;
            }
            if (fault is "hang" or "deregister" or "garbage" or "black-hole")
            {
                await Task.Delay(TimeSpan.FromSeconds(4));
                rig.Modem.Faults.Clear();
            }
            // Traffic must flow again before the next fault; the time is the fault's recovery time.
            var (back, _) = await rig.WaitForPingAnswered(TimeSpan.FromSeconds(60), rig.Now);
            recoveries.Add((fault, back - at));
            rig.Log($"fault {faults}: {fault}: ping answered again after {back - at:0.0} s");
        }
        var pings = rig.EventsOf<LinkProtocol.PingResult>(soakStart).Where(p => p.Link == "client").ToList();
        double availability = pings.Count == 0 ? 0 : pings.Count(p => p.RoundTrip is not null) / (double)pings.Count;
        rig.Log($"soak: {soak.Elapsed.TotalMinutes:0.0} min, {faults} faults, {pings.Count} pings, availability {availability:P1}");
        foreach (var group in recoveries.GroupBy(r => r.Fault))
            rig.Log($"  {group.Key}: {group.Count()}x, recovery mean {group.Average(r => r.Seconds):0.0} s, max {group.Max(r => r.Seconds):0.0} s");
        rig.Log($"resources at the first fault: {first}; at the last: {last}");
        Assert.True(faults >= 3, $"only {faults} faults were injected");
        Assert.NotNull(first);
        Assert.NotNull(last);
        Assert.True(last.Memory - first.Memory <= MemoryMargin, $"memory grew from {first} to {last}");
        Assert.True(last.Descriptors - first.Descriptors <= DescriptorMargin, $"descriptors grew from {first} to {last}");
        Assert.True(last.Threads - first.Threads <= ThreadMargin, $"threads grew from {first} to {last}");
    }
}
