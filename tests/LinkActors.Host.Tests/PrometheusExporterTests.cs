using System.Diagnostics.Metrics;
using LinkActors.Host.Management;
using LinkActors.Host.Tests.Support;

namespace LinkActors.Host.Tests;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void LabelValues_AreEscaped_AndParseBack()
    {
        using var meter = new Meter("LinkActors.Test." + Guid.NewGuid());
        using var exporter = new PrometheusExporter(meter);
        var counter = meter.CreateCounter<long>("test.events", null, "Events with \\ and\nnew lines");
        string odd = "a \"quoted\" back\\slash\nand line";
        counter.Add(2, new KeyValuePair<string, object?>("link", odd));
        counter.Add(3, new KeyValuePair<string, object?>("link", odd));

        var (types, samples) = PrometheusText.Parse(exporter.Scrape());

        Assert.Equal("counter", types["test_events_total"]);
        var sample = Assert.Single(samples);
        Assert.Equal(odd, sample.Labels["link"]);
        Assert.Equal(5, sample.Value);
    }

    [Fact]
    public void Histograms_AreCumulativeBuckets_WithSumAndCount()
    {
        using var meter = new Meter("LinkActors.Test." + Guid.NewGuid());
        using var exporter = new PrometheusExporter(meter);
        var histogram = meter.CreateHistogram<double>("test.rtt", "s");
        foreach (var value in new[] { 0.003, 0.2, 0.2, 20 })
            histogram.Record(value, new KeyValuePair<string, object?>("link", "wan"));

        var (types, samples) = PrometheusText.Parse(exporter.Scrape());

        Assert.Equal("histogram", types["test_rtt_seconds"]);
        double Bucket(string le) => samples.Single(s => s.Name == "test_rtt_seconds_bucket" && s.Labels["le"] == le).Value;
        Assert.Equal(1, Bucket("0.005"));
        Assert.Equal(3, Bucket("0.25"));
        Assert.Equal(3, Bucket("10"));
        Assert.Equal(4, Bucket("+Inf"));
        Assert.Equal(4, samples.Single(s => s.Name == "test_rtt_seconds_count").Value);
        Assert.Equal(20.403, samples.Single(s => s.Name == "test_rtt_seconds_sum").Value, 6);
    }

    [Fact]
    public void ObservableGauges_AreReadAtEachScrape_AndOtherMetersAreLeftOut()
    {
        using var meter = new Meter("LinkActors.Test." + Guid.NewGuid());
        using var other = new Meter("LinkActors.Test.Other." + Guid.NewGuid());
        using var exporter = new PrometheusExporter(meter);
        int value = 1;
        meter.CreateObservableGauge("test.level", () => value, "dBm");
        other.CreateCounter<long>("other.count").Add(1);

        Assert.Equal(1, PrometheusText.Parse(exporter.Scrape()).Samples.Single(s => s.Name == "test_level_dbm").Value);
        value = -97;
        var (types, samples) = PrometheusText.Parse(exporter.Scrape());
        Assert.Equal(-97, samples.Single().Value);
        Assert.DoesNotContain(types.Keys, k => k.StartsWith("other", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("linkactors.link.bytes", "By", true, "linkactors_link_bytes_total")]
    [InlineData("linkactors.link.uptime", "s", false, "linkactors_link_uptime_seconds")]
    [InlineData("linkactors.modem.signal", "dBm", false, "linkactors_modem_signal_dbm")]
    [InlineData("linkactors.modem.rsrp", "dBm", false, "linkactors_modem_rsrp_dbm")]
    [InlineData("linkactors.modem.rsrq.db", null, false, "linkactors_modem_rsrq_db")]
    [InlineData("9lives-x", null, false, "_9lives_x")]
    public void MetricNames(string name, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusExporter.MetricName(name, unit, counter));

    [Fact]
    public void ModemAnswers_AreGauges_RsrpRsrqAttachedActiveContexts()
    {
        using var metrics = new LinkMetrics(["wan"]);
        using var exporter = new PrometheusExporter(metrics.Meter);
        metrics.ModemReported("wan", LinkActors.Ppp.Chat.ModemInfo.Parse(
            "+CESQ: 99,99,255,255,20,45\r\n+CGATT: 1\r\n+CGACT: 1,1\r\n+CGACT: 2,0\r\n"));

        var samples = PrometheusText.Parse(exporter.Scrape()).Samples;

        double Value(string name) => samples.Single(s => s.Name == name && s.Labels["link"] == "wan").Value;
        Assert.Equal(-96, Value("linkactors_modem_rsrp_dbm"));
        Assert.Equal(-10, Value("linkactors_modem_rsrq_db"));
        Assert.Equal(1, Value("linkactors_modem_attached"));
        Assert.Equal(1, Value("linkactors_modem_pdp_active"));
    }
}
