using System.Net;
using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Configuration;
using LinkActors.Linux.Dns;
using LinkActors.Linux.Interop;
using LinkActors.Linux.Namespaces;
using LinkActors.Linux.Netlink;
using LinkActors.Linux.Scripts;
using LinkActors.Linux.State;

namespace LinkActors.Actors.Network;

/// <summary>
/// What pppd does to the host around a link, through rtnetlink (never by running `ip`): when IPCP is
/// Opened, our address with the peer's (RFC 1332 §3.3; none for `noremoteip`), the interface up, a
/// default route (`defaultroute`, optionally replacing the existing ones), configured routes, the peer's
/// DNS servers in the link's resolv.conf (RFC 1877), then ip-up; when IPv6CP is Opened, the link-local
/// addresses from the negotiated interface identifiers (RFC 5072 §5), then ipv6-up. Each change is
/// written to the link's state file before it is made, and on the way down (a family going down, or the
/// actor stopping for whatever reason) the state file is replayed backwards by <see cref="HostUndo"/>, the
/// code the next start's crash cleanup runs too, and the down script runs.
/// </summary>
public sealed class RouteActor : ReceiveActor
{
    private readonly LinkSettings _settings;
    private readonly NetworkLinkSettings _network;
    private readonly string _interface;
    private readonly int _index;
    private readonly string? _namespace;
    private readonly TrafficCounters _traffic;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly NetworkStateJournal _journal;
    private NetworkState _state;
    private RtNetlink? _netlink;
    private Ipv4Applied? _ipv4;
    private Ipv6Applied? _ipv6;
    private DateTimeOffset? _upAt;
    private string? _peerName;
    private Task _ipv4Scripts = Task.CompletedTask;
    private Task _ipv6Scripts = Task.CompletedTask;

    public RouteActor(LinkSettings settings, string interfaceName, int interfaceIndex, string? networkNamespace, TrafficCounters traffic)
    {
        _settings = settings;
        _network = settings.Network;
        _interface = interfaceName;
        _index = interfaceIndex;
        _namespace = networkNamespace;
        _traffic = traffic;
        _journal = new NetworkStateJournal(_network.StateDirectory, settings.Name);
        _state = new NetworkState { Link = settings.Name, Interface = interfaceName, InterfaceIndex = interfaceIndex };
        Receive<NetworkProtocol.Ipv4Up>(Ipv4Up);
        Receive<NetworkProtocol.Ipv6Up>(Ipv6Up);
        Receive<NetworkProtocol.Ipv4Down>(down => UndoIpv4(down.Reason));
        Receive<NetworkProtocol.Ipv6Down>(down => UndoIpv6(down.Reason));
    }

    private string Name => _settings.Name;

    private RtNetlink Netlink => _netlink!;

    public static Props Props(LinkSettings settings, string interfaceName, int interfaceIndex, string? networkNamespace, TrafficCounters traffic) =>
        Akka.Actor.Props.Create(() => new RouteActor(settings, interfaceName, interfaceIndex, networkNamespace, traffic));

    protected override void PreStart()
    {
        // The interface is recorded first: a crash from here on leaves a state file naming it.
        _journal.Write(_state);
        _netlink = NetworkNamespaceThread.Run(_namespace, () => new RtNetlink());
    }

    protected override void PostStop()
    {
        var clean = UndoIpv6("the link stopped") & UndoIpv4("the link stopped");
        if (clean)
        {
            try
            {
                _journal.Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Warning("{Link}: cannot delete {Path}: {Reason}", Name, _journal.Path, e.Message);
            }
        }
        else
            _log.Warning("{Link}: not everything could be undone; {Path} is kept for the next start", Name, _journal.Path);
        _netlink?.Dispose();
    }

    /// <summary>Owns a netlink socket and host changes: not restarted, stopped with its interface.</summary>
    protected override void PostRestart(Exception reason) =>
        throw new InvalidOperationException("A route actor is not restarted: its interface is rebuilt with the link.", reason);

    private void Ipv4Up(NetworkProtocol.Ipv4Up up)
    {
        UndoIpv4("IPCP renegotiated");
        _peerName = up.PeerName ?? _peerName;
        if (up.Ipcp.Local is not { } local)
        {
            Context.Parent.Tell(new RouteProtocol.ConfigurationFailed("IPv4", "IPCP gave no local address"));
            return;
        }
        // pppd `noremoteip`: no peer address, a plain /32 on a point-to-point interface.
        var remote = up.Ipcp.Remote is { } r && !r.Equals(IPAddress.Any) ? r : null;
        var applied = new Ipv4Applied(local, remote, up.Ipcp);
        _ipv4 = applied;
        try
        {
            Netlink.SetLinkUp(_index);
            Netlink.AddAddress(_index, local, remote);
            applied.AddressAdded = true;
            if (_network.DefaultRoute)
                AddDefaultRoute();
            foreach (var prefix in _network.Routes)
                AddRoute(Route.ToPrefix(prefix.Prefix, prefix.PrefixLength, _index));
            if (_settings.Ipcp.UsePeerDns && (up.Ipcp.Dns1 is not null || up.Ipcp.Dns2 is not null))
                WriteResolvConf(up.Ipcp);
        }
        catch (Exception e) when (e is NetlinkException or IOException or UnauthorizedAccessException)
        {
            _log.Error("{Link}: configuring IPv4 on {Interface} failed: {Reason}", Name, _interface, e.Message);
            UndoIpv4("configuration failed", runScript: false);
            Context.Parent.Tell(new RouteProtocol.ConfigurationFailed("IPv4", e.Message));
            return;
        }
        _upAt ??= Context.System.Scheduler.Now;
        int routes = _state.AddedRoutes.Count(r => r.PrefixLength != 0);
        var description = $"local {local}{(remote is null ? "" : $" peer {remote}")}" +
            $"{(_state.AddedRoutes.Any(r => r.PrefixLength == 0) ? $", default route{(_state.ReplacedRoutes.Count > 0 ? $" (replacing {_state.ReplacedRoutes.Count})" : "")}" : "")}" +
            $"{(routes > 0 ? $", {routes} routes" : "")}{(_state.ResolvConf is { } resolv ? $", DNS in {resolv.Path}" : "")}";
        _log.Info("{Link}: {Interface} IPv4 configured: {Description}", Name, _interface, description);
        Context.System.EventStream.Publish(new RouteProtocol.Configured(Name, _interface, "IPv4", description));
        _ipv4Scripts = RunScript(_ipv4Scripts, "ip-up", _network.IpUp, path =>
            PppdScriptArguments.Ipv4(path, ScriptLink(), local, remote, up.Ipcp.Dns1, up.Ipcp.Dns2, _settings.Ipcp.UsePeerDns, null));
    }

    private void AddDefaultRoute()
    {
        var ours = Route.DefaultVia(_index, _network.DefaultRouteMetric);
        if (_network.ReplaceDefaultRoute)
        {
            // Recorded before they are removed: a crash in between still knows what to add back.
            var existing = Netlink.GetDefaultRoutes();
            Record(added: [ours], replaced: existing);
            Netlink.ReplaceDefaultRoutes(ours);
            return;
        }
        Record(added: [ours]);
        try
        {
            Netlink.AddRoute(ours);
        }
        catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
        {
            // pppd: "not replacing existing default route" unless replacedefaultroute.
            _log.Warning("{Link}: not replacing the existing default route (metric {Metric}); set replacedefaultroute to", Name, _network.DefaultRouteMetric);
            Unrecord(ours);
        }
    }

    private void AddRoute(Route route)
    {
        Record(added: [route]);
        try
        {
            Netlink.AddRoute(route);
        }
        catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
        {
            _log.Warning("{Link}: route {Route} already exists; left as it is", Name, route);
            Unrecord(route);
        }
    }

    private void WriteResolvConf(Link.Negotiated.Ipcp ipcp)
    {
        var backup = ResolvConf.Capture(_network.UsePeerDnsFile);
        _state = _state with { ResolvConf = SavedResolvConf.From(backup) };
        _journal.Write(_state);
        ResolvConf.Write(backup.Path, ResolvConf.Render(ipcp.Dns1, ipcp.Dns2));
    }

    private void Ipv6Up(NetworkProtocol.Ipv6Up up)
    {
        UndoIpv6("IPv6CP renegotiated");
        _peerName = up.PeerName ?? _peerName;
        var local = RtNetlink.Ipv6LinkLocal(up.Ipv6cp.LocalInterfaceId);
        var remote = RtNetlink.Ipv6LinkLocal(up.Ipv6cp.PeerInterfaceId);
        try
        {
            Netlink.SetLinkUp(_index);
            Netlink.AddIpv6LinkLocal(_index, up.Ipv6cp.LocalInterfaceId, up.Ipv6cp.PeerInterfaceId);
        }
        catch (NetlinkException e)
        {
            _log.Error("{Link}: configuring IPv6 on {Interface} failed: {Reason}", Name, _interface, e.Message);
            Context.Parent.Tell(new RouteProtocol.ConfigurationFailed("IPv6", e.Message));
            return;
        }
        _ipv6 = new Ipv6Applied(local, remote);
        _upAt ??= Context.System.Scheduler.Now;
        _log.Info("{Link}: {Interface} IPv6 configured: local {Local} peer {Remote}", Name, _interface, local, remote);
        Context.System.EventStream.Publish(new RouteProtocol.Configured(Name, _interface, "IPv6", $"local {local} peer {remote}"));
        _ipv6Scripts = RunScript(_ipv6Scripts, "ipv6-up", _network.Ipv6Up, path => PppdScriptArguments.Ipv6(path, ScriptLink(), local, remote, null));
    }

    /// <returns>false when something could not be undone (it stays in the state file).</returns>
    private bool UndoIpv4(string reason, bool runScript = true)
    {
        if (_ipv4 is not { } applied)
            return true;
        _ipv4 = null;
        // Replayed from our own journal through the code the crash cleanup runs; what fails stays recorded.
        _state = HostUndo.Replay(_state, Netlink, deleteInterface: false, step =>
        {
            if (step.Failed)
                _log.Error("{Link}: cannot undo on {Interface}: {Step}", Name, _interface, step.Text);
        });
        var clean = _state.AddedRoutes.Count == 0 && _state.ReplacedRoutes.Count == 0 && _state.ResolvConf is null;
        if (applied.AddressAdded)
            clean &= Quietly($"delete address {applied.Local}", () => Netlink.DeleteAddress(_index, applied.Local, applied.Remote), Errno.EADDRNOTAVAIL, Errno.ENODEV);
        try
        {
            _journal.Write(_state);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stale state file only makes the next start retry undos the kernel has already forgotten.
            _log.Warning("{Link}: cannot update {Path}: {Reason}", Name, _journal.Path, e.Message);
        }
        if (_ipv6 is null)
            Quietly("set the interface down", () => Netlink.SetLinkDown(_index), Errno.ENODEV);
        _log.Info("{Link}: {Interface} IPv4 deconfigured ({Reason})", Name, _interface, reason);
        Context.System.EventStream.Publish(new RouteProtocol.Deconfigured(Name, _interface, "IPv4"));
        if (runScript)
            _ipv4Scripts = RunScript(_ipv4Scripts, "ip-down", _network.IpDown, path => PppdScriptArguments.Ipv4(path, ScriptLink(),
                applied.Local, applied.Remote, applied.Ipcp.Dns1, applied.Ipcp.Dns2, _settings.Ipcp.UsePeerDns, Totals()));
        return clean;
    }

    private bool UndoIpv6(string reason)
    {
        if (_ipv6 is not { } applied)
            return true;
        _ipv6 = null;
        var clean = Quietly($"delete address {applied.Local}", () => Netlink.DeleteAddress(_index, applied.Local, applied.Remote, 128), Errno.EADDRNOTAVAIL, Errno.ENODEV);
        if (_ipv4 is null)
            Quietly("set the interface down", () => Netlink.SetLinkDown(_index), Errno.ENODEV);
        _log.Info("{Link}: {Interface} IPv6 deconfigured ({Reason})", Name, _interface, reason);
        Context.System.EventStream.Publish(new RouteProtocol.Deconfigured(Name, _interface, "IPv6"));
        _ipv6Scripts = RunScript(_ipv6Scripts, "ipv6-down", _network.Ipv6Down, path => PppdScriptArguments.Ipv6(path, ScriptLink(), applied.Local, applied.Remote, Totals()));
        return clean;
    }

    private void Record(IReadOnlyList<Route> added, IReadOnlyList<Route>? replaced = null)
    {
        _state = _state with
        {
            AddedRoutes = [.. _state.AddedRoutes, .. added.Select(SavedRoute.From)],
            ReplacedRoutes = [.. _state.ReplacedRoutes, .. (replaced ?? []).Select(SavedRoute.From)],
        };
        _journal.Write(_state);
    }

    private void Unrecord(Route route)
    {
        var saved = SavedRoute.From(route);
        _state = _state with { AddedRoutes = _state.AddedRoutes.Where(r => r != saved).ToList() };
        _journal.Write(_state);
    }

    private bool Quietly(string what, Action step, params int[] alreadyDone)
    {
        try
        {
            step();
            return true;
        }
        catch (NetlinkException e) when (alreadyDone.Contains(e.Errno))
        {
            return true;
        }
        catch (NetlinkException e)
        {
            _log.Error("{Link}: cannot {What} on {Interface}: {Reason}", Name, what, _interface, e.Message);
            return false;
        }
    }

    private ScriptLink ScriptLink() => new(_interface, _settings.Device, _settings.Speed, Name, _network.IpParam, _peerName);

    private ScriptTotals Totals() => new(
        _upAt is { } up ? Context.System.Scheduler.Now - up : TimeSpan.Zero, _traffic.BytesSent, _traffic.BytesReceived);

    /// <summary>
    /// Starts a script after the previous one of its family has ended (pppd never runs ip-down while ip-up
    /// is still running). Its end is logged and published from the task: the actor may be gone by then.
    /// </summary>
    private Task RunScript(Task previous, string kind, string? path, Func<string, ScriptInvocation> build)
    {
        if (path is null)
            return previous;
        var invocation = build(path);
        var log = _log;
        var events = Context.System.EventStream;
        var link = Name;
        var timeout = _network.ScriptTimeout;
        log.Info("{Link}: running {Script} {Path}", link, kind, path);
        return previous
            .ContinueWith(_ => ScriptRunner.RunAsync(invocation, timeout), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)
            .Unwrap()
            .ContinueWith(done =>
            {
                if (done.IsFaulted)
                {
                    log.Error("{Link}: {Script} {Path} failed: {Reason}", link, kind, path, done.Exception?.GetBaseException().Message);
                    events.Publish(new RouteProtocol.ScriptFinished(link, kind, path, null, false, done.Exception?.GetBaseException().Message));
                    return;
                }
                var result = done.Result;
                foreach (var line in result.Output)
                    log.Info("{Link}: {Script}: {Line}", link, kind, line);
                if (result.StartError is { } error)
                    log.Error("{Link}: {Script} {Path} did not start: {Reason}", link, kind, path, error);
                else if (result.TimedOut)
                    log.Warning("{Link}: {Script} {Path} was killed after {Timeout}", link, kind, path, timeout);
                else
                    log.Info("{Link}: {Script} {Path} exited with {Code} after {Elapsed} ms", link, kind, path, result.ExitCode, (long)result.Elapsed.TotalMilliseconds);
                events.Publish(new RouteProtocol.ScriptFinished(link, kind, path, result.ExitCode, result.TimedOut, result.StartError));
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>What an IPCP up changed beyond the journal: the address (it goes with the interface after a crash).</summary>
    private sealed class Ipv4Applied(IPAddress local, IPAddress? remote, Link.Negotiated.Ipcp ipcp)
    {
        public IPAddress Local { get; } = local;

        public IPAddress? Remote { get; } = remote;

        public Link.Negotiated.Ipcp Ipcp { get; } = ipcp;

        public bool AddressAdded { get; set; }
    }

    private sealed record Ipv6Applied(IPAddress Local, IPAddress Remote);
}
