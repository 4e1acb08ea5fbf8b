using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Framing;
using LinkActors.Actors.Link;
using LinkActors.Linux.Namespaces;
using LinkActors.Linux.Netlink;
using LinkActors.Linux.State;
using LinkActors.Linux.Tun;
using LinkActors.Ppp.Packets;

namespace LinkActors.Actors.Network;

/// <summary>
/// The network side of a link as a kernel interface: owns the TUN descriptor and carries IPv4 (0x0021)
/// and IPv6 (0x0057) packets both ways while their NCP is Opened (RFC 1661 §3.6). A dedicated thread
/// reads the interface and Tells each packet; sends are paced by the framing's Ack with at most
/// <see cref="Window"/> packets in flight, and the reader waits for a free slot (the kernel's own queue,
/// bounded by txqueuelen, holds or drops the rest). Packets made in the process (the ping probe's,
/// <see cref="NetworkProtocol.SendPacket"/>) share that window, and echo replies a subscriber asked for by
/// identifier go to it instead of the interface. Its child <see cref="RouteActor"/> configures
/// addresses, routes, DNS and scripts. Stopping deletes the interface; it refuses restart: the link
/// supervisor stops it and the link is rebuilt.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The TUN device, the window and the stop token end in PostStop, the end of an actor's life.")]
public sealed class TunActor : ReceiveActor
{
    /// <summary>Packets handed to the framing and not yet acknowledged, at most.</summary>
    public const int Window = 8;

    /// <summary>Packets made in the process that wait for a slot of the window, at most; more are dropped.</summary>
    public const int InjectedQueueLimit = 4;

    private static readonly TimeSpan ReaderJoinBound = TimeSpan.FromSeconds(2);

    private readonly IActorRef _framing;
    private readonly LinkSettings _settings;
    private readonly string? _namespace;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TrafficCounters _traffic = new();
    private readonly SemaphoreSlim _credits = new(Window, Window);
    private readonly CancellationTokenSource _stopping = new();
    private readonly PacketSubscribers _subscribers = new();
    private readonly Queue<ReadOnlyMemory<byte>> _injected = new();
    private TunDevice? _tun;
    private Thread? _reader;
    private IActorRef? _route;
    private bool _ipv4Up, _ipv6Up;
    private byte[] _localIpv4 = [];
    private int _inFlight;
    private long _droppedNoNcp, _sendFailed, _writeErrors, _injectedDropped, _echoRepliesTaken;

    public TunActor(IActorRef framing, LinkSettings settings, string? networkNamespace)
    {
        _framing = framing;
        _settings = settings;
        _namespace = networkNamespace;
        Receive<NetworkProtocol.Ipv4Up>(up =>
        {
            SetMtu(up.Lcp);
            _ipv4Up = true;
            _localIpv4 = up.Ipcp.Local?.GetAddressBytes() ?? [];
            _route!.Forward(up);
        });
        Receive<NetworkProtocol.Ipv6Up>(up =>
        {
            SetMtu(up.Lcp);
            _ipv6Up = true;
            _route!.Forward(up);
        });
        Receive<NetworkProtocol.Ipv4Down>(down =>
        {
            _ipv4Up = false;
            _localIpv4 = [];
            _route!.Forward(down);
        });
        Receive<NetworkProtocol.Ipv6Down>(down =>
        {
            _ipv6Up = false;
            _route!.Forward(down);
        });
        Receive<PacketRead>(read => Send(read.Packet));
        Receive<NetworkProtocol.SendPacket>(send => Inject(send.Packet));
        Receive<NetworkProtocol.Subscribe>(subscribe =>
        {
            _subscribers.Add(subscribe);
            Context.Watch(subscribe.Subscriber);
        });
        Receive<FramingProtocol.FrameSent>(_ => Release());
        Receive<FramingProtocol.SendFailed>(_ =>
        {
            _sendFailed++;
            Release();
        });
        Receive<FramingProtocol.FrameReceived>(frame => Write(frame));
        Receive<ReaderFailed>(failed =>
        {
            _log.Error("{Link}: reading {Interface} failed: {Reason}", Name, _tun?.Name, failed.Reason);
            Context.Stop(Self);
        });
        Receive<RouteProtocol.ConfigurationFailed>(failed =>
        {
            _log.Error("{Link}: {Family} configuration of {Interface} failed: {Reason}", Name, failed.Family, _tun?.Name, failed.Reason);
            Context.Stop(Self);
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_route), _ =>
        {
            _log.Error("{Link}: the route actor of {Interface} stopped", Name, _tun?.Name);
            Context.Stop(Self);
        });
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<NetworkProtocol.GetTraffic>(_ => Sender.Tell(new NetworkProtocol.Traffic(_traffic.PacketsSent, _traffic.BytesSent,
            _traffic.PacketsReceived, _traffic.BytesReceived)));
        Receive<TunProtocol.GetStats>(_ => Sender.Tell(new TunProtocol.Stats(_tun?.Name ?? "", _traffic.PacketsSent, _traffic.BytesSent,
            _traffic.PacketsReceived, _traffic.BytesReceived, _droppedNoNcp, _sendFailed, _writeErrors, _inFlight, _injected.Count, _injectedDropped, _echoRepliesTaken)));
    }

    private string Name => _settings.Name;

    public static Props Props(IActorRef framing, LinkSettings settings, string? networkNamespace = null) =>
        Akka.Actor.Props.Create(() => new TunActor(framing, settings, networkNamespace));

    // The route actor undoes the host changes in its own PostStop; a failure of it ends the interface too.
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    protected override void PreStart()
    {
        CleanLeftovers();
        _tun = NetworkNamespaceThread.Run(_namespace, () => new TunDevice(_settings.Network.Interface));
        _log.Info("{Link}: interface {Interface} created (index {Index})", Name, _tun.Name, _tun.Index);
        Context.System.EventStream.Publish(new TunProtocol.InterfaceCreated(Name, _tun.Name, _tun.Index));
        _route = Context.Watch(Context.ActorOf(RouteActor.Props(_settings, _tun.Name, _tun.Index, _namespace, _traffic), "route"));
        var tun = _tun;
        var self = Self;
        var credits = _credits;
        var stopping = _stopping.Token;
        _reader = new Thread(() => ReadLoop(tun, self, credits, stopping)) { IsBackground = true, Name = $"tun {tun.Name}" };
        _reader.Start();
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        if (_tun is { } tun)
        {
            tun.Dispose();
            if (_reader is { } reader && !reader.Join(ReaderJoinBound))
                _log.Warning("{Link}: the reader of {Interface} did not stop within {Bound}", Name, tun.Name, ReaderJoinBound);
            else
                _credits.Dispose();
            _log.Info("{Link}: interface {Interface} deleted ({Sent} packets sent, {Received} received)", Name, tun.Name,
                _traffic.PacketsSent, _traffic.PacketsReceived);
            Context.System.EventStream.Publish(new TunProtocol.InterfaceRemoved(Name, tun.Name));
        }
        _stopping.Dispose();
    }

    /// <summary>An actor owning a TUN descriptor is not restarted underneath the link (as Akka.IO connections are not).</summary>
    protected override void PostRestart(Exception reason) =>
        throw new InvalidOperationException("A TUN actor is not restarted: its link stops it and builds a new one.", reason);

    private void CleanLeftovers()
    {
        var journal = new NetworkStateJournal(_settings.Network.StateDirectory, Name);
        if (!File.Exists(journal.Path))
            return;
        using var netlink = NetworkNamespaceThread.Run(_namespace, () => new RtNetlink());
        var report = LeftoverCleanup.Run(journal, netlink);
        foreach (var line in report)
            _log.Warning("{Link}: cleaning after a previous instance: {Action}", Name, line);
        Context.System.EventStream.Publish(new RouteProtocol.LeftoversCleaned(Name, report));
    }

    private void SetMtu(Negotiated.Lcp? lcp)
    {
        if (lcp is null || _tun is null)
            return;
        // The rule is LCP's (LcpPolicy.InterfaceMtu, pppd's lcp_up): the least of the peer's MRU, ours and `mtu`.
        var mtu = Math.Clamp(lcp.InterfaceMtu, 68, TunDevice.MaxPacketSize);
        try
        {
            if (_tun.Mtu != mtu)
                _tun.Mtu = mtu;
        }
        catch (IOException e)
        {
            _log.Warning("{Link}: cannot set the MTU of {Interface} to {Mtu}: {Reason}", Name, _tun.Name, mtu, e.Message);
        }
    }

    /// <summary>A packet made in the process: it takes a free slot of the window, or waits (boundedly) for the next Ack.</summary>
    private void Inject(ReadOnlyMemory<byte> packet)
    {
        if (packet.IsEmpty)
            _droppedNoNcp++;
        else if (_injected.Count == 0 && _credits.Wait(0))
            Send(packet);
        else if (_injected.Count < InjectedQueueLimit)
            _injected.Enqueue(packet);
        else
            _injectedDropped++;
    }

    /// <summary>Sends a packet that holds a slot of the window; frees the slot when it cannot go.</summary>
    private void Send(ReadOnlyMemory<byte> packet)
    {
        // RFC 1661 §3.6: a network-layer packet is sent only while its NCP is Opened.
        ushort? protocol = (packet.Span[0] >> 4) switch
        {
            4 when _ipv4Up => PppProtocol.Ipv4,
            6 when _ipv6Up => PppProtocol.Ipv6,
            _ => null,
        };
        if (protocol is not { } p)
        {
            _droppedNoNcp++;
            FreeSlot();
            return;
        }
        _inFlight++;
        _traffic.Sent(packet.Length);
        _framing.Tell(new FramingProtocol.SendFrame(p, packet, FrameAck.Instance));
    }

    private void Release()
    {
        if (_inFlight == 0)
            return;
        _inFlight--;
        FreeSlot();
    }

    /// <summary>
    /// A slot of the window is free again. A waiting packet of the process takes it before the reader can: a busy
    /// interface does not starve the ping probe, and the window still bounds everything in flight.
    /// </summary>
    private void FreeSlot()
    {
        if (_injected.TryDequeue(out var next))
            Send(next);
        else
            _credits.Release();
    }

    private void Write(FramingProtocol.FrameReceived frame)
    {
        if (_tun is null || frame.Protocol is not (PppProtocol.Ipv4 or PppProtocol.Ipv6) || frame.Information.IsEmpty)
            return;
        if (!_subscribers.IsEmpty && _subscribers.Deliver(frame.Protocol, frame.Information, _localIpv4, Self))
        {
            // The reply to the probe's own request: counted as received, and kept from the kernel, which never asked.
            _traffic.Received(frame.Information.Length);
            _echoRepliesTaken++;
            return;
        }
        try
        {
            // Never waits inside Receive: a kernel with no room now drops the packet (counted), as a full queue would.
            if (_tun.TryWrite(frame.Information.Span))
                _traffic.Received(frame.Information.Length);
            else
                _writeErrors++;
        }
        catch (IOException)
        {
            // The kernel refuses packets while the interface is down; a lost packet is IP's to recover.
            _writeErrors++;
        }
    }

    /// <summary>The reader thread: wait for a slot in the window, read one packet, Tell it.</summary>
    private static void ReadLoop(TunDevice tun, IActorRef self, SemaphoreSlim credits, CancellationToken stopping)
    {
        var buffer = new byte[TunDevice.MaxPacketSize];
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                credits.Wait(stopping);
                var length = tun.Read(buffer);
                if (length <= 0)
                    return;
                self.Tell(new PacketRead(buffer.AsSpan(0, length).ToArray()));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (IOException e)
        {
            if (!stopping.IsCancellationRequested)
                self.Tell(new ReaderFailed(e.Message));
        }
    }

    /// <summary>One packet the kernel routed into the interface.</summary>
    private sealed record PacketRead(byte[] Packet)
    {
        public override string ToString() => $"PacketRead {{ Length = {Packet.Length} }}";
    }

    private sealed record ReaderFailed(string Reason);

    /// <summary>The Ack of every data frame: each one frees one slot of the window.</summary>
    private sealed record FrameAck
    {
        public static FrameAck Instance { get; } = new();
    }
}
