using System.Globalization;

namespace LinkActors.Actors.Serial;

/// <summary>What the link runs over, parsed from the `device` setting.</summary>
public abstract record LineDevice
{
    /// <summary>A serial device or a pty: "/dev/ttyUSB2", "/tmp/modem".</summary>
    public sealed record Serial(string Path) : LineDevice
    {
        public override string ToString() => Path;
    }

    /// <summary>A TCP connection, like pppd's `socket host:port`.</summary>
    public sealed record Tcp(string Host, int Port) : LineDevice
    {
        public override string ToString() => $"socket:{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
    }

    /// <summary>Our own stdin and stdout (pppd run as a pty program or over ssh).</summary>
    public sealed record Stdio : LineDevice
    {
        public static readonly Stdio Instance = new();

        private Stdio() { }

        public override string ToString() => "stdio";
    }

    /// <summary>"stdio", "socket:HOST:PORT" (or "HOST:PORT"; IPv6 hosts in brackets; "socket::PORT" waits for a connection, as pppd's `socket :PORT`), or a path.</summary>
    public static LineDevice Parse(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (spec == "stdio")
            return Stdio.Instance;
        if (spec.StartsWith('/'))
            return new Serial(spec);
        var address = spec.StartsWith("socket:", StringComparison.Ordinal) ? spec["socket:".Length..] : spec;
        var colon = address.LastIndexOf(':');
        bool listen = colon == 0 && spec.StartsWith("socket:", StringComparison.Ordinal);
        if ((colon <= 0 && !listen) || !int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new FormatException($"Device '{spec}' is neither a path, \"stdio\", nor socket:HOST:PORT.");
        var host = address[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        return new Tcp(host, port);
    }
}
