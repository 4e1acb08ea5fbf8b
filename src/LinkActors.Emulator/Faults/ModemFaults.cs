using System.Net;
using LinkActors.Emulator.DataPath;
using LinkActors.Emulator.Modem;

namespace LinkActors.Emulator.Faults;

/// <summary>
/// Faults to inject into a running emulator, from a test or the control channel. Data-path faults
/// (garbage, latency, baud, black hole) apply to both directions from the next chunk on and last until
/// changed or <see cref="Clear"/>ed; the others act at once.
/// </summary>
public sealed class ModemFaults
{
    private readonly ModemEmulator _modem;
    private double _garbageRate;
    private long _extraLatencyTicks;
    private int _baudRate;
    private volatile bool _blackHole;

    internal ModemFaults(ModemEmulator modem) => _modem = modem;

    /// <summary>Probability that an octet on the data path gets a bit flipped.</summary>
    public double GarbageRate => Volatile.Read(ref _garbageRate);

    /// <summary>Added to every chunk on the data path, each way.</summary>
    public TimeSpan ExtraLatency => TimeSpan.FromTicks(Interlocked.Read(ref _extraLatencyTicks));

    /// <summary>The line rate the data path is held to (10 bits per octet); 0 for no limit.</summary>
    public int BaudRate => Volatile.Read(ref _baudRate);

    public bool BlackHoleEnabled => _blackHole;

    public bool IsHung => _modem.IsHung;

    public bool IsDeregistered => _modem.IsDeregistered;

    /// <summary>Ends the call: bridging stops, the client reads NO CARRIER, the modem is back in command mode.</summary>
    public void DropCarrier() => _modem.DropCarrier("fault: carrier dropped");

    /// <summary>The modem stops answering anything, commands or data, until <see cref="Clear"/> (or a reboot).</summary>
    public void Hang() => _modem.SetHung(true, "fault: hang");

    /// <summary>A power cycle: everything dropped, RDY after the boot delay, PDP contexts lost, registration restarts.</summary>
    public void Reboot() => _modem.Reboot("fault: reboot");

    /// <summary>The network detaches the modem: stat 0 (with URCs where enabled), the call dropped, until <see cref="Clear"/>.</summary>
    public void Deregister() => _modem.Deregister();

    /// <summary>Deregistered while PPP is up: registration drops, the call and PPP stay (no NO CARRIER, no DV off).</summary>
    public void DeregisterKeepingCall() => _modem.DeregisterKeepingCall();

    /// <summary>
    /// A stale PDP context: the modem keeps its data context (the call's, else the last call's) active with
    /// <paramref name="address"/>, which AT+CGPADDR, AT+CGACT? and AT+CGCONTRDP report, while its PPP still hands
    /// the client the server's address: the modem's data context is not the one PPP uses. Until <see cref="Clear"/>.
    /// </summary>
    public void StalePdp(System.Net.IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _modem.SetStalePdp(address);
    }

    public void Garbage(double rate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1.0);
        Volatile.Write(ref _garbageRate, rate);
        _modem.Note($"fault: garbage rate {rate}");
    }

    public void Latency(TimeSpan extra)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(extra, TimeSpan.Zero);
        Interlocked.Exchange(ref _extraLatencyTicks, extra.Ticks);
        _modem.Note($"fault: latency {extra.TotalMilliseconds} ms");
    }

    public void Baud(int bitsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bitsPerSecond);
        Volatile.Write(ref _baudRate, bitsPerSecond);
        _modem.Note(bitsPerSecond == 0 ? "fault: baud limit off" : $"fault: baud {bitsPerSecond}");
    }

    /// <summary>PPP still negotiates, but no IP datagram crosses the modem in either direction.</summary>
    public void BlackHole(bool enabled = true)
    {
        _blackHole = enabled;
        _modem.Note(enabled ? "fault: black hole on" : "fault: black hole off");
    }

    /// <summary>The network beyond the modem: which addresses ignore ICMP, which DNS server answers, probe bytes seen.</summary>
    internal NetworkPeer Peer { get; } = new();

    /// <summary>
    /// The network's point-to-point peer address ignores ICMP echo (as many carriers' do), or null for
    /// none. Lasts until changed or <see cref="Clear"/>ed, like every data-path fault.
    /// </summary>
    public void PeerIgnoresIcmp(IPAddress? peer)
    {
        Peer.IgnoresIcmp = peer;
        _modem.Note(peer is null ? "fault: every address answers ICMP" : $"fault: {peer} ignores ICMP echo");
    }

    /// <summary>The network's DNS server at <paramref name="server"/> answers queries (the emulator answers for it); null: none.</summary>
    public void DnsServerAnswers(IPAddress? server)
    {
        Peer.DnsServer = server;
        _modem.Note(server is null ? "network: no DNS server answers" : $"network: DNS server {server} answers");
    }

    /// <summary>Ends every fault: answers again, clean fast line, registration restored.</summary>
    public void Clear()
    {
        Volatile.Write(ref _garbageRate, 0);
        Interlocked.Exchange(ref _extraLatencyTicks, 0);
        Volatile.Write(ref _baudRate, 0);
        _blackHole = false;
        Peer.IgnoresIcmp = null;
        _modem.SetStalePdp(null);
        _modem.ClearFaults();
    }

    public override string ToString() =>
        $"hung={IsHung} deregistered={IsDeregistered} garbage={GarbageRate} latency={ExtraLatency.TotalMilliseconds}ms "
        + $"baud={(BaudRate == 0 ? "unlimited" : BaudRate)} black-hole={(BlackHoleEnabled ? "on" : "off")}";
}
