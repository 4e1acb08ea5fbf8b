using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LinkActors.Bench;

// In-process, so that the benchmark does not rebuild the solution into the shared obj folders.
var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .AddColumn(new PayloadThroughputColumn());

var summaries = BenchmarkSwitcher.FromAssembly(typeof(FramingBenchmarks).Assembly).Run(args, config);

Console.WriteLine();
Console.WriteLine($"Payload throughput ({FramingBenchmarks.PayloadLength}-octet payloads, MB = 10^6 octets):");
foreach (var summary in summaries)
{
    foreach (var report in summary.Reports)
    {
        if (report.ResultStatistics is not { } statistics)
            continue;
        long? allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
        Console.WriteLine(
            $"  {report.BenchmarkCase.DisplayInfo,-60} {PayloadThroughputColumn.MegabytesPerSecond(statistics.Mean),8:F0} MB/s  {statistics.Mean,8:F1} ns/frame  {allocated?.ToString() ?? "?"} B allocated/frame");
    }
}
