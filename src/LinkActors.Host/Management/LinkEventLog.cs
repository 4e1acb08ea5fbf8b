using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using LinkActors.Actors.Link;
using LinkActors.Ppp.Chat;

namespace LinkActors.Host.Management;

/// <summary>Messages of the <see cref="LinkEventLog"/>.</summary>
public static class LinkEvents
{
    /// <summary>Recent events of a link after <paramref name="After"/> (a sequence number), oldest first; answered with <see cref="Recorded"/>.</summary>
    public sealed record GetEvents(string Link, long After = 0);

    /// <summary>Answers <see cref="Recorded"/> with the backlog, then writes each new event of the link to <paramref name="Writer"/>.</summary>
    public sealed record Follow(string Link, ChannelWriter<EventView> Writer, long After = 0);

    public sealed record Unfollow(ChannelWriter<EventView> Writer);

    public sealed record Recorded(IReadOnlyList<EventView> Events);

    /// <summary>What the log remembers of a link beyond one attempt; answered with <see cref="Memory"/>.</summary>
    public sealed record GetMemory(string Link);

    /// <param name="Modem">The last modem report, kept after the attempt that heard it has ended.</param>
    /// <param name="EchoRoundTrip">The last LCP echo round trip, when the link publishes it.</param>
    /// <param name="GaveUp">Why the manager stopped dialing, until the link runs again.</param>
    public sealed record Memory(ModemInfo? Modem, TimeSpan? EchoRoundTrip, string? GaveUp)
    {
        /// <summary>The modem's answers after the last dead data path (issue 19).</summary>
        public ModemCheckView? ModemCheck { get; init; }

        /// <summary>Bytes the watchdog's idle-link probe spent on the line since the daemon started.</summary>
        public long ProbeBytes { get; init; }
    }
}

/// <summary>
/// Keeps the recent events of every link in a bounded ring, for `GET /links/{name}/events`, the live
/// tail and the doctor, and counts what the metrics need from events (redials, failures, echo round trips).
/// It listens to every LinkActors event on the event stream that names a link, so events added later
/// (the watchdog's, say) show up without a change here.
/// </summary>
public sealed class LinkEventLog : ReceiveActor
{
    public const int Capacity = 256;
    private static readonly ConcurrentDictionary<Type, (PropertyInfo? Link, PropertyInfo? RoundTrip)> s_shapes = new();
    private readonly Dictionary<string, Queue<EventView>> _rings = [];
    private readonly Dictionary<string, LinkEvents.Memory> _memory = [];
    private readonly List<(string Link, ChannelWriter<EventView> Writer)> _followers = [];
    private readonly LinkMetrics? _metrics;
    private long _sequence;

    public LinkEventLog(LinkMetrics? metrics)
    {
        _metrics = metrics;
        Receive<LinkEvents.GetEvents>(g => Sender.Tell(new LinkEvents.Recorded(Backlog(g.Link, g.After))));
        Receive<LinkEvents.Follow>(f =>
        {
            Sender.Tell(new LinkEvents.Recorded(Backlog(f.Link, f.After)));
            _followers.Add((f.Link, f.Writer));
        });
        Receive<LinkEvents.Unfollow>(u => _followers.RemoveAll(f => ReferenceEquals(f.Writer, u.Writer)));
        Receive<LinkEvents.GetMemory>(g => Sender.Tell(_memory.GetValueOrDefault(g.Link) ?? new LinkEvents.Memory(null, null, null)));
        ReceiveAny(Record);
    }

    public static Props Props(LinkMetrics? metrics) => Akka.Actor.Props.Create(() => new LinkEventLog(metrics));

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(object));

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        foreach (var (_, writer) in _followers)
            writer.TryComplete();
    }

    private void Record(object message)
    {
        var type = message.GetType();
        if (type.Namespace?.StartsWith("LinkActors.", StringComparison.Ordinal) != true)
            return;
        var shape = s_shapes.GetOrAdd(type, t => (
            t.GetProperty("Link", typeof(string)),
            t.GetProperty("RoundTrip", typeof(TimeSpan))));
        if (shape.Link?.GetValue(message) is not string link)
            return;

        Remember(link, message, shape.RoundTrip);
        if (shape.RoundTrip is not null)
            return; // a round trip every echo interval would flush the ring; it is a metric, not an event
        var view = new EventView(++_sequence, Context.System.Scheduler.Now, link, type.Name, Summarize(message), Data(message));
        if (!_rings.TryGetValue(link, out var ring))
            _rings[link] = ring = new Queue<EventView>(Capacity);
        if (ring.Count == Capacity)
            ring.Dequeue();
        ring.Enqueue(view);
        _followers.RemoveAll(f => f.Link == link && !f.Writer.TryWrite(view));
    }

    private void Remember(string link, object message, PropertyInfo? roundTrip)
    {
        var memory = _memory.GetValueOrDefault(link) ?? new LinkEvents.Memory(null, null, null);
        switch (message)
        {
            case LinkProtocol.ModemInfoUpdated m:
                memory = memory with { Modem = m.Modem };
                _metrics?.ModemReported(link, m.Modem);
                break;
            case Actors.Modem.ModemQueryProtocol.ModemAsked asked:
                memory = memory with { ModemCheck = ModemViews.From(asked, Context.System.Scheduler.Now) };
                break;
            case LinkManagement.GaveUp g:
                memory = memory with { GaveUp = g.Reason };
                break;
            case LinkManagement.RedialScheduled:
                _metrics?.RedialScheduled(link);
                break;
            case Actors.Watchdog.WatchdogProtocol.ProbeBytesSpent p:
                memory = memory with { ProbeBytes = memory.ProbeBytes + p.Bytes };
                _metrics?.ProbeBytesSpent(link, p.Bytes);
                break;
            case LinkProtocol.PhaseChanged { Phase: LinkProtocol.Phase.Dial }:
                memory = memory with { GaveUp = null };
                break;
            case LinkProtocol.Ended e:
                _metrics?.Ended(link, e.Reason.Code);
                break;
            default:
                if (roundTrip?.GetValue(message) is TimeSpan rtt)
                {
                    memory = memory with { EchoRoundTrip = rtt };
                    _metrics?.EchoRoundTrip(link, rtt);
                }
                break;
        }
        _memory[link] = memory;
    }

    private List<EventView> Backlog(string link, long after) =>
        _rings.TryGetValue(link, out var ring) ? ring.Where(e => e.Sequence > after).ToList() : [];

    /// <summary>The event in words, from fields that carry no secret.</summary>
    public static string Summarize(object message) => message switch
    {
        LinkProtocol.PhaseChanged p => p.Detail is null ? $"phase {p.Phase}" : $"phase {p.Phase} ({p.Detail})",
        LinkProtocol.LayerChanged l => $"{l.Layer} {l.From} -> {l.To}",
        LinkProtocol.ModemInfoUpdated m => $"modem: {m.Modem.Describe()}",
        LinkProtocol.Authenticated a => $"{a.Protocol} authentication succeeded ({a.Role.ToLowerInvariant()}, peer {a.PeerName})",
        LinkProtocol.Up u => $"up: local {u.Local}, remote {u.Remote}, DNS {u.Dns1} {u.Dns2}",
        LinkProtocol.Ipv6Up u => string.Create(CultureInfo.InvariantCulture, $"IPv6 up: local ::{u.LocalInterfaceId:x}, peer ::{u.PeerInterfaceId:x}"),
        LinkProtocol.Ended e => string.Create(CultureInfo.InvariantCulture, $"ended: {e.Reason} (connected {e.ConnectTime:g})"),
        LinkManagement.GaveUp g => $"not dialing again: {g.Reason}",
        LinkProtocol.DataPathDead d => $"dead data path: {d.Failure.Message}",
        Actors.Modem.ModemQueryProtocol.ModemAsked a => a.ToString(),
        LinkManagement.RedialScheduled r => string.Create(CultureInfo.InvariantCulture, $"dialing again in {r.After.TotalSeconds:0.#} s (attempt {r.Attempt})"),
        _ => message.ToString() ?? message.GetType().Name,
    };

    /// <summary>The fields of the events this log knows; for any other event only its own ToString,
    /// which by the project's rule never prints a secret (serializing its properties might).</summary>
    private static JsonElement Data(object message)
    {
        object shape = message switch
        {
            LinkProtocol.PhaseChanged p => new { p.Phase, p.Detail },
            LinkProtocol.LayerChanged l => new { l.Layer, l.From, l.To },
            LinkProtocol.ModemInfoUpdated m => new { Modem = ModemViews.From(m.Modem) },
            LinkProtocol.Authenticated a => new { a.Protocol, a.Role, a.PeerName },
            LinkProtocol.Up u => new { Local = u.Local?.ToString(), Remote = u.Remote?.ToString(), Dns1 = u.Dns1?.ToString(), Dns2 = u.Dns2?.ToString(), u.Negotiated },
            LinkProtocol.Ipv6Up u => new { u.LocalInterfaceId, u.PeerInterfaceId },
            LinkProtocol.Ended e => new { Reason = new FailureView(e.Reason.ExitCode, e.Reason.Code, e.Reason.Message), ConnectTimeSeconds = e.ConnectTime.TotalSeconds },
            LinkManagement.GaveUp g => new { g.Reason },
            Actors.Modem.ModemQueryProtocol.ModemAsked a => new
            {
                Answers = a.Answers.Describe(), a.Answered, IpcpAddress = a.IpcpAddress?.ToString(),
                Findings = a.Findings.Select(f => new ModemFindingView(f.Code, f.Text)).ToList(),
            },
            LinkManagement.RedialScheduled r => new { AfterSeconds = r.After.TotalSeconds, r.Attempt },
            _ => new { Text = message.ToString() },
        };
        return JsonSerializer.SerializeToElement(shape, ManagementJson.Options);
    }
}
