using System.Diagnostics.Metrics;
using LinkActors.Actors.Link;
using LinkActors.Ppp.Chat;

namespace LinkActors.Host.Management;

/// <summary>
/// The links' instruments (System.Diagnostics.Metrics, meter "LinkActors"). Counters that live in the
/// actors (octets, frames, packets, errors) are observed from the last snapshot handed to
/// <see cref="Update"/>, summed over attempts so that they only grow; events (redials, failures, echo
/// round trips) are counted as they happen. One instance per host: tests run several hosts in one process.
/// </summary>
public sealed class LinkMetrics : IDisposable
{
    public const string MeterName = "LinkActors";
    private static readonly string[] s_phases = Enum.GetNames<LinkProtocol.Phase>();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Totals> _links = [];
    private readonly Dictionary<string, ModemInfo> _modems = [];
    private readonly Counter<long> _redials;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _probeBytes;
    private readonly Histogram<double> _echoRoundTrip;

    public LinkMetrics(IEnumerable<string> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        foreach (var link in links)
            _links[link] = new Totals();
        Meter = new Meter(MeterName, "1.0");
        Meter.CreateObservableCounter("linkactors.link.bytes", () => Observe(t => [
            (t.Sum.BytesSent, "tx"), (t.Sum.BytesReceived, "rx")], "direction"), "By",
            "Octets over the line under PPP, framing and control protocols included");
        Meter.CreateObservableCounter("linkactors.link.frames", () => Observe(t => [
            (t.Sum.FramesSent, "tx"), (t.Sum.FramesReceived, "rx")], "direction"), null, "PPP frames over the line");
        Meter.CreateObservableCounter("linkactors.link.packets", () => Observe(t => [
            (t.Sum.PacketsSent, "tx"), (t.Sum.PacketsReceived, "rx")], "direction"), null, "IP packets through the network side");
        Meter.CreateObservableCounter("linkactors.link.ip.bytes", () => Observe(t => [
            (t.Sum.IpBytesSent, "tx"), (t.Sum.IpBytesReceived, "rx")], "direction"), "By", "IP octets through the network side");
        Meter.CreateObservableCounter("linkactors.link.errors", () => Observe(t => [
            (t.Sum.BadFcs, "bad-fcs"), (t.Sum.Runts, "runt"), (t.Sum.Oversize, "oversize"), (t.Sum.Aborted, "aborted"),
            (t.Sum.TxDropped, "tx-dropped")], "kind"), null, "Frames lost, by kind");
        Meter.CreateObservableCounter("linkactors.link.attempts", () => ObserveLinks(t => t.Attempts), null, "Attempts started (the first dial and every redial)");
        Meter.CreateObservableGauge("linkactors.link.phase", ObservePhases, null, "1 for the phase the link is in, 0 for the others");
        Meter.CreateObservableGauge("linkactors.link.up", () => ObserveLinks(t => t.Up ? 1 : 0), null, "1 while IP flows over the link");
        Meter.CreateObservableGauge("linkactors.link.uptime", () => ObserveLinks(t => t.UptimeSeconds), "s", "Time since the link came up, 0 when it is not up");
        Meter.CreateObservableGauge("linkactors.modem.signal", ObserveSignal, "dBm", "Received signal strength from +CSQ");
        Meter.CreateObservableGauge("linkactors.modem.registered", ObserveRegistered, null, "1 when the modem last reported itself registered");
        Meter.CreateObservableGauge("linkactors.modem.rsrp", () => ObserveModem(m => m.ExtendedSignal?.RsrpDbm), "dBm", "LTE reference signal received power from +CESQ");
        Meter.CreateObservableGauge("linkactors.modem.rsrq.db", () => ObserveModem(m => m.ExtendedSignal?.RsrqDb), null, "LTE reference signal received quality from +CESQ");
        Meter.CreateObservableGauge("linkactors.modem.attached", () => ObserveModem(m => m.PacketAttached is { } a ? a ? 1 : 0 : null), null,
            "1 when the modem last reported itself attached for data (+CGATT)");
        Meter.CreateObservableGauge("linkactors.modem.pdp.active", () => ObserveModem(m => m.PdpContexts is { } c ? c.Count(x => x.Active == true) : null), null,
            "PDP contexts the modem last reported active (+CGACT)");
        _redials = Meter.CreateCounter<long>("linkactors.link.redials", null, "Redials scheduled by the link manager");
        _failures = Meter.CreateCounter<long>("linkactors.link.failures", null, "Attempts that ended other than by request, by reason code");
        _probeBytes = Meter.CreateCounter<long>("linkactors.link.probe.bytes", "By", "Bytes the watchdog's idle-link probe spent on the line (requests and answers)");
        _echoRoundTrip = Meter.CreateHistogram<double>("linkactors.link.lcp.echo.rtt", "s", "LCP echo round trip");
    }

    public Meter Meter { get; }

    /// <summary>Takes a fresh read of every link; counters of an attempt that ended are kept in the totals.</summary>
    public void Update(IReadOnlyList<LinkView> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        lock (_gate)
        {
            foreach (var view in links)
            {
                if (!_links.TryGetValue(view.Name, out var totals))
                    _links[view.Name] = totals = new Totals();
                totals.Apply(view);
            }
        }
    }

    public void ProbeBytesSpent(string link, int bytes) => _probeBytes.Add(bytes, new KeyValuePair<string, object?>("link", link));

    public void RedialScheduled(string link) => _redials.Add(1, new KeyValuePair<string, object?>("link", link));

    public void Ended(string link, string code)
    {
        if (code != "user-request")
            _failures.Add(1, new("link", link), new("reason", code));
    }

    public void EchoRoundTrip(string link, TimeSpan roundTrip) =>
        _echoRoundTrip.Record(roundTrip.TotalSeconds, new KeyValuePair<string, object?>("link", link));

    public void ModemReported(string link, ModemInfo modem)
    {
        lock (_gate)
            _modems[link] = modem;
    }

    public void Dispose() => Meter.Dispose();

    private List<Measurement<long>> Observe(Func<Totals, (long Value, string Label)[]> values, string labelName)
    {
        var result = new List<Measurement<long>>();
        lock (_gate)
        {
            foreach (var (link, totals) in _links)
                foreach (var (value, label) in values(totals))
                    result.Add(new Measurement<long>(value, new("link", link), new(labelName, label)));
        }
        return result;
    }

    private List<Measurement<double>> ObserveLinks(Func<Totals, double> value)
    {
        lock (_gate)
            return _links.Select(l => new Measurement<double>(value(l.Value), new KeyValuePair<string, object?>("link", l.Key))).ToList();
    }

    private List<Measurement<int>> ObservePhases()
    {
        var result = new List<Measurement<int>>();
        lock (_gate)
        {
            foreach (var (link, totals) in _links)
                foreach (var phase in s_phases)
                    result.Add(new Measurement<int>(totals.Phase == phase ? 1 : 0, new("link", link), new("phase", phase)));
        }
        return result;
    }

    private List<Measurement<int>> ObserveSignal()
    {
        lock (_gate)
            return _modems.Where(m => m.Value.SignalDbm is not null)
                .Select(m => new Measurement<int>(m.Value.SignalDbm!.Value, new KeyValuePair<string, object?>("link", m.Key))).ToList();
    }

    private List<Measurement<double>> ObserveModem(Func<ModemInfo, double?> value)
    {
        lock (_gate)
            return _modems.Select(m => (m.Key, Value: value(m.Value))).Where(m => m.Value is not null)
                .Select(m => new Measurement<double>(m.Value!.Value, new KeyValuePair<string, object?>("link", m.Key))).ToList();
    }

    private List<Measurement<int>> ObserveRegistered()
    {
        lock (_gate)
            return _modems.Where(m => m.Value.Registration is not null)
                .Select(m => new Measurement<int>(m.Value.Registration!.IsRegistered ? 1 : 0, new KeyValuePair<string, object?>("link", m.Key))).ToList();
    }

    /// <summary>One link's counters: those of finished attempts, plus the current attempt's last read.</summary>
    private sealed class Totals
    {
        private int _attempt;
        private Counters _finished;
        private Counters _current;

        public Counters Sum => _finished + _current;
        public double Attempts { get; private set; }
        public bool Up { get; private set; }
        public double UptimeSeconds { get; private set; }
        public string Phase { get; private set; } = nameof(LinkProtocol.Phase.Dead);

        public void Apply(LinkView view)
        {
            if (view.Attempts != _attempt)
            {
                _finished += _current;
                _current = default;
                _attempt = view.Attempts;
            }
            var line = view.Line;
            var traffic = view.Traffic;
            var errors = view.Errors;
            if (line is not null || traffic is not null || errors is not null)
            {
                _current = new Counters
                {
                    BytesSent = line?.BytesSent ?? _current.BytesSent,
                    BytesReceived = line?.BytesReceived ?? _current.BytesReceived,
                    FramesSent = line?.FramesSent ?? _current.FramesSent,
                    FramesReceived = line?.FramesReceived ?? _current.FramesReceived,
                    PacketsSent = traffic?.PacketsSent ?? _current.PacketsSent,
                    PacketsReceived = traffic?.PacketsReceived ?? _current.PacketsReceived,
                    IpBytesSent = traffic?.BytesSent ?? _current.IpBytesSent,
                    IpBytesReceived = traffic?.BytesReceived ?? _current.IpBytesReceived,
                    BadFcs = errors?.BadFcs ?? _current.BadFcs,
                    Runts = errors?.Runts ?? _current.Runts,
                    Oversize = errors?.Oversize ?? _current.Oversize,
                    Aborted = errors?.Aborted ?? _current.Aborted,
                    TxDropped = errors?.TxDropped ?? _current.TxDropped,
                };
            }
            Attempts = view.Attempts;
            Up = view.IsUp;
            UptimeSeconds = view.UptimeSeconds ?? 0;
            Phase = view.Phase;
        }
    }

    private record struct Counters(
        long BytesSent, long BytesReceived, long FramesSent, long FramesReceived,
        long PacketsSent, long PacketsReceived, long IpBytesSent, long IpBytesReceived,
        long BadFcs, long Runts, long Oversize, long Aborted, long TxDropped)
    {
        public static Counters operator +(Counters a, Counters b) => new(
            a.BytesSent + b.BytesSent, a.BytesReceived + b.BytesReceived, a.FramesSent + b.FramesSent, a.FramesReceived + b.FramesReceived,
            a.PacketsSent + b.PacketsSent, a.PacketsReceived + b.PacketsReceived, a.IpBytesSent + b.IpBytesSent, a.IpBytesReceived + b.IpBytesReceived,
            a.BadFcs + b.BadFcs, a.Runts + b.Runts, a.Oversize + b.Oversize, a.Aborted + b.Aborted, a.TxDropped + b.TxDropped);
    }
}
