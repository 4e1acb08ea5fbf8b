using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace LinkActors.Bench;

/// <summary>Megabytes (10^6 octets) of payload per second, from the mean time of one 1500-octet frame.</summary>
public sealed class PayloadThroughputColumn : IColumn
{
    public string Id => nameof(PayloadThroughputColumn);

    public string ColumnName => "Payload MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Payload megabytes (10^6 octets) per second, {FramingBenchmarks.PayloadLength} octets per operation";

    public static double MegabytesPerSecond(double meanNanoseconds) =>
        FramingBenchmarks.PayloadLength / meanNanoseconds * 1e9 / 1e6;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics is { } statistics
            ? MegabytesPerSecond(statistics.Mean).ToString("F0", System.Globalization.CultureInfo.InvariantCulture)
            : "NA";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
