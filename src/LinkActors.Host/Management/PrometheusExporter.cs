using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace LinkActors.Host.Management;

/// <summary>
/// Renders the instruments of one <see cref="Meter"/> in the Prometheus text exposition format
/// (version 0.0.4): counters as `_total`, gauges, histograms as cumulative `_bucket{le=...}` with
/// `_sum` and `_count`. A <see cref="MeterListener"/> collects synchronous measurements as they are
/// made; observable instruments are read at each scrape.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";
    private static readonly double[] s_bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly object _gate = new();
    private readonly MeterListener _listener = new();
    private readonly Dictionary<Instrument, Family> _families = [];

    public PrometheusExporter(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter))
                return;
            lock (_gate)
                _families[instrument] = new Family(instrument);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.MeasurementsCompleted = (instrument, _) =>
        {
            lock (_gate)
                _families.Remove(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and renders everything.</summary>
    public string Scrape()
    {
        lock (_gate)
        {
            foreach (var family in _families.Values.Where(f => f.Observable))
                family.Series.Clear();
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
                family.Render(text);
            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>A Prometheus metric name from an instrument's name and unit: dots become underscores,
    /// the unit becomes a suffix (By: _bytes, s: _seconds), counters end in _total.</summary>
    public static string MetricName(string name, string? unit, bool counter)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length + 8);
        foreach (char c in name)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
            builder.Insert(0, '_');
        string suffix = unit switch
        {
            "By" => "_bytes",
            "s" => "_seconds",
            "dBm" => "_dbm",
            _ => "",
        };
        string result = builder.ToString();
        if (suffix.Length > 0 && !result.EndsWith(suffix, StringComparison.Ordinal))
            result += suffix;
        return counter ? result + "_total" : result;
    }

    /// <summary>A label value inside double quotes: backslash, double quote and line feed escaped.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>HELP text: backslash and line feed escaped.</summary>
    public static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string labels = Labels(tags);
        lock (_gate)
        {
            if (_families.TryGetValue(instrument, out var family))
                family.Add(labels, value);
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
            return "";
        var pairs = tags.ToArray();
        Array.Sort(pairs, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var builder = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (builder.Length > 0)
                builder.Append(',');
            builder.Append(MetricName(key, null, false)).Append("=\"")
                .Append(EscapeLabelValue(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")).Append('"');
        }
        return builder.ToString();
    }

    private enum Kind { Counter, Gauge, Histogram }

    private sealed class Family
    {
        private readonly Kind _kind;
        private readonly bool _accumulates;
        private readonly string _help;

        public Family(Instrument instrument)
        {
            var type = instrument.GetType().GetGenericTypeDefinition();
            Observable = instrument.IsObservable;
            _kind = type == typeof(Histogram<>) ? Kind.Histogram
                : type == typeof(Counter<>) || type == typeof(ObservableCounter<>) ? Kind.Counter
                : Kind.Gauge;
            // A synchronous counter or up-down counter reports increments; an observable one its current total.
            _accumulates = !Observable && type != typeof(Histogram<>) && type != typeof(Gauge<>);
            Name = MetricName(instrument.Name, instrument.Unit, _kind == Kind.Counter);
            _help = instrument.Description ?? instrument.Name;
        }

        public string Name { get; }

        public bool Observable { get; }

        public Dictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);

        public void Add(string labels, double value)
        {
            if (!Series.TryGetValue(labels, out var series))
                Series[labels] = series = new Series(_kind == Kind.Histogram ? new long[s_bounds.Length] : null);
            if (_kind == Kind.Histogram)
            {
                series.Count++;
                series.Sum += value;
                for (int i = 0; i < s_bounds.Length; i++)
                    if (value <= s_bounds[i])
                        series.Buckets![i]++;
            }
            else
            {
                series.Value = _accumulates ? series.Value + value : value;
            }
        }

        public void Render(StringBuilder text)
        {
            text.Append("# HELP ").Append(Name).Append(' ').Append(EscapeHelp(_help)).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(_kind switch
            {
                Kind.Counter => "counter",
                Kind.Histogram => "histogram",
                _ => "gauge",
            }).Append('\n');
            foreach (var (labels, series) in Series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                if (_kind != Kind.Histogram)
                {
                    Sample(text, Name, labels, null, series.Value);
                    continue;
                }
                string baseName = Name;
                for (int i = 0; i < s_bounds.Length; i++)
                    Sample(text, baseName + "_bucket", labels, FormatValue(s_bounds[i]), series.Buckets![i]);
                Sample(text, baseName + "_bucket", labels, "+Inf", series.Count);
                Sample(text, baseName + "_sum", labels, null, series.Sum);
                Sample(text, baseName + "_count", labels, null, series.Count);
            }
        }

        private static void Sample(StringBuilder text, string name, string labels, string? le, double value)
        {
            text.Append(name);
            if (labels.Length > 0 || le is not null)
            {
                text.Append('{').Append(labels);
                if (le is not null)
                    text.Append(labels.Length > 0 ? "," : "").Append("le=\"").Append(le).Append('"');
                text.Append('}');
            }
            text.Append(' ').Append(FormatValue(value)).Append('\n');
        }
    }

    private sealed class Series(long[]? buckets)
    {
        public double Value { get; set; }
        public long[]? Buckets { get; } = buckets;
        public long Count { get; set; }
        public double Sum { get; set; }
    }
}
