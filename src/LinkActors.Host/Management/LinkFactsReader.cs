using System.Collections.Concurrent;
using Akka.Actor;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Framing;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;

namespace LinkActors.Host.Management;

/// <summary>
/// Reads a link's facts from the actors that hold them: the manager (attempts, last failure), the
/// link's current attempt (phase, layers, addresses, modem), its framing (line counters and errors),
/// its network side (IP counters) and the event log (what outlives an attempt). Every question has a
/// deadline: a busy or vanished actor leaves its part empty rather than hanging the request.
/// </summary>
public sealed class LinkFactsReader
{
    private readonly ActorSystem _system;
    private readonly IActorRef _manager;
    private readonly IActorRef _events;
    private readonly Dictionary<string, LinkSettings> _links;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<IActorRef, bool> _isTun = new();

    public LinkFactsReader(ActorSystem system, IActorRef manager, IActorRef events, IEnumerable<LinkSettings> links, TimeSpan? timeout = null)
    {
        _system = system;
        _manager = manager;
        _events = events;
        _links = links.ToDictionary(l => l.Name, StringComparer.Ordinal);
        _timeout = timeout ?? TimeSpan.FromSeconds(3);
    }

    public IReadOnlyCollection<string> Names => _links.Keys;

    public IActorRef Manager => _manager;

    public IActorRef Events => _events;

    public TimeSpan Timeout => _timeout;

    public bool IsConfigured(string name) => _links.ContainsKey(name);

    /// <summary>What the doctor must know is already in effect, so that it never suggests it.</summary>
    public static IReadOnlyDictionary<string, string> Configured(LinkSettings link)
    {
        ArgumentNullException.ThrowIfNull(link);
        static string Bool(bool value) => value ? "true" : "false";
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["lcp.accomp"] = Bool(link.Lcp.Accomp),
            ["lcp.pcomp"] = Bool(link.Lcp.Pcomp),
            ["lcp.default-asyncmap"] = Bool(link.Lcp.DefaultAsyncmap),
            ["persist"] = Bool(link.Persist),
            ["watchdog.window"] = link.Watchdog.Window.TotalSeconds.ToString("0.#", inv) + "s",
            ["watchdog.probe-budget"] = link.Watchdog.ProbeBudget.ToString(inv),
            ["watchdog.max-resets-per-hour"] = link.Watchdog.MaxResetsPerHour.ToString(inv),
        };
    }

    public bool IsRequired(string name) => _links.TryGetValue(name, out var link) && link.Required;

    public async Task<IReadOnlyList<LinkView>> ReadAllAsync()
    {
        var states = await _manager.Ask<LinkManagement.Links>(LinkManagement.GetLinks.Instance, _timeout).ConfigureAwait(false);
        var views = await Task.WhenAll(states.States.Where(s => _links.ContainsKey(s.Link)).Select(ReadAsync)).ConfigureAwait(false);
        return views.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>One link, or null when no such link is configured.</summary>
    public async Task<LinkView?> ReadAsync(string name)
    {
        if (!_links.ContainsKey(name))
            return null;
        var states = await _manager.Ask<LinkManagement.Links>(LinkManagement.GetLinks.Instance, _timeout).ConfigureAwait(false);
        return states.States.FirstOrDefault(s => s.Link == name) is { } state ? await ReadAsync(state).ConfigureAwait(false) : null;
    }

    private async Task<LinkView> ReadAsync(LinkManagement.LinkState state)
    {
        var memoryTask = AskOrDefault<LinkEvents.Memory>(_events, new LinkEvents.GetMemory(state.Link));
        LinkProtocol.Status? status = null;
        TrafficView? traffic = null;
        FramingProtocol.FramingStats? framing = null;
        if (state.Running)
        {
            status = await AskOrDefault<LinkProtocol.Status>(_manager, new LinkManagement.ToLink(state.Link, LinkProtocol.GetStatus.Instance)).ConfigureAwait(false);
            if (status is { Phase: not (LinkProtocol.Phase.Dead or LinkProtocol.Phase.Dial) })
            {
                var framingTask = AskOrDefault<FramingProtocol.FramingStats>(FramingOf(state), FramingProtocol.GetStats.Instance);
                var side = await AskOrDefault<LinkProtocol.NetworkSide>(_manager, new LinkManagement.ToLink(state.Link, LinkProtocol.GetNetworkSide.Instance)).ConfigureAwait(false);
                if (side?.Actor is { } network)
                    traffic = await TrafficOf(network).ConfigureAwait(false);
                framing = await framingTask.ConfigureAwait(false);
            }
        }
        var memory = await memoryTask.ConfigureAwait(false);
        var now = _system.Scheduler.Now;
        var modem = status?.Modem ?? memory?.Modem;
        return new LinkView(
            Name: state.Link,
            Required: IsRequired(state.Link),
            Running: state.Running,
            Phase: (status?.Phase ?? LinkProtocol.Phase.Dead).ToString(),
            Layers: status?.Layers ?? new Dictionary<string, string>(),
            Local: status?.Local?.ToString(),
            Remote: status?.Remote?.ToString(),
            Dns: new[] { status?.Dns1, status?.Dns2 }.Where(d => d is not null).Select(d => d!.ToString()).ToList(),
            Negotiated: status?.Negotiated,
            UpSince: status?.UpSince,
            UptimeSeconds: status?.UpSince is { } up ? Math.Max(0, (now - up).TotalSeconds) : null,
            Attempts: state.Attempts,
            Redials: Math.Max(0, state.Attempts - 1),
            ConsecutiveFailures: state.ConsecutiveFailures,
            NextAttempt: state.NextAttempt,
            Failure: Failure(status?.Failure),
            LastFailure: Failure(state.LastFailure),
            GaveUp: state.Running ? null : memory?.GaveUp,
            Traffic: traffic,
            Line: framing is null ? null : new LineView(framing.TxBytes, framing.TxFrames, framing.RxBytes, framing.RxFrames, framing.TxQueued),
            Errors: framing is null ? null : new ErrorsView(framing.RxBadFcs, framing.RxRunts, framing.RxOversize, framing.RxAborted,
                framing.RxDiscardedBytes, framing.TxDropped),
            Modem: modem is null ? null : ModemViews.From(modem),
            EchoRttMs: memory?.EchoRoundTrip?.TotalMilliseconds)
        {
            ProbeBytes = memory?.ProbeBytes ?? 0,
            ModemCheck = memory?.ModemCheck,
            Configured = _links.TryGetValue(state.Link, out var settings) ? Configured(settings) : null,
        };
    }

    private static FailureView? Failure(LinkFailure? failure) =>
        failure is null ? null : new FailureView(failure.ExitCode, failure.Code, failure.Message);

    /// <summary>The framing child of the link's current attempt, named as the manager names attempts.</summary>
    private ActorSelection FramingOf(LinkManagement.LinkState state) =>
        _system.ActorSelection(_manager.Path / $"{Uri.EscapeDataString(state.Link)}-{state.Attempts}" / "framing");

    /// <summary>IP counters of the network side: a packet endpoint or a TUN actor, whichever answers (remembered).</summary>
    private async Task<TrafficView?> TrafficOf(IActorRef network)
    {
        if (!_isTun.TryGetValue(network, out bool isTun))
        {
            var pending = new List<Task<object?>>
            {
                AskOrDefault<object>(network, PacketEndpoint.GetStats.Instance),
                AskOrDefault<object>(network, TunProtocol.GetStats.Instance),
            };
            while (pending.Count > 0)
            {
                var done = await Task.WhenAny(pending).ConfigureAwait(false);
                pending.Remove(done);
                switch (await done.ConfigureAwait(false))
                {
                    case PacketEndpoint.Stats e:
                        Remember(network, false);
                        return FromEndpoint(e);
                    case TunProtocol.Stats t:
                        Remember(network, true);
                        return FromTun(t);
                }
            }
            return null;
        }
        return isTun
            ? await AskOrDefault<TunProtocol.Stats>(network, TunProtocol.GetStats.Instance).ConfigureAwait(false) is { } tunStats ? FromTun(tunStats) : null
            : await AskOrDefault<PacketEndpoint.Stats>(network, PacketEndpoint.GetStats.Instance).ConfigureAwait(false) is { } endpointStats ? FromEndpoint(endpointStats) : null;
    }

    private void Remember(IActorRef network, bool isTun)
    {
        if (_isTun.Count > 64)
            _isTun.Clear();
        _isTun[network] = isTun;
    }

    private static TrafficView FromEndpoint(PacketEndpoint.Stats s) => new(s.PacketsSent, s.BytesSent, s.PacketsReceived, s.BytesReceived, s.Dropped);

    private static TrafficView FromTun(TunProtocol.Stats s) => new(s.PacketsSent, s.BytesSent, s.PacketsReceived, s.BytesReceived,
        s.DroppedNoNcp + s.SendFailed + s.WriteErrors);

    private async Task<T?> AskOrDefault<T>(ICanTell target, object message) where T : class
    {
        try
        {
            return await target.Ask<object>(message, _timeout).ConfigureAwait(false) as T;
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
