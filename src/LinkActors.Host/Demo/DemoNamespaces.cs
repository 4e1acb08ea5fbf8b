using LinkActors.Linux.Namespaces;
using LinkActors.Linux.Tun;

namespace LinkActors.Host.Demo;

/// <summary>
/// The two network namespaces of the demo's TUN mode, one for the client link's interface and one for
/// the ISP's (`ip netns add`, so each is /run/netns/NAME and can be joined with setns(2)). A new
/// namespace has only a loopback and no route out, and the links add just their ppp interface: what
/// the demo sends across the link cannot reach the host's own networks. Disposing deletes both.
/// </summary>
internal sealed class DemoNamespaces : IAsyncDisposable
{
    private static readonly TimeSpan IpTimeout = TimeSpan.FromSeconds(10);
    private readonly List<string> _created = [];

    private DemoNamespaces(string id)
    {
        Client = $"la-demo-client-{id}";
        Isp = $"la-demo-isp-{id}";
    }

    public string Client { get; }

    public string Isp { get; }

    public IReadOnlyList<string> Names => [Client, Isp];

    /// <summary>
    /// Makes both namespaces when this process may: root, a TUN device the kernel will hand out inside a
    /// new namespace, and iproute2 and ping installed. Otherwise null and the reason, in a few words.
    /// </summary>
    public static async Task<(DemoNamespaces? Namespaces, string? WhyNot)> TryCreateAsync()
    {
        if (!Environment.IsPrivilegedProcess)
            return (null, "not root");
        if (!File.Exists("/dev/net/tun"))
            return (null, "no /dev/net/tun in this system");
        foreach (var program in new[] { "ip", "ping" })
        {
            if (!OnPath(program))
                return (null, $"`{program}` is not installed");
        }
        var namespaces = new DemoNamespaces(Guid.NewGuid().ToString("N")[..8]);
        var whyNot = await namespaces.CreateAsync().ConfigureAwait(false);
        if (whyNot is null)
            return (namespaces, null);
        await namespaces.DisposeAsync().ConfigureAwait(false);
        return (null, whyNot);
    }

    private async Task<string?> CreateAsync()
    {
        foreach (var name in Names)
        {
            var add = await ChildProcess.RunAsync("ip", ["netns", "add", name], IpTimeout).ConfigureAwait(false);
            if (!add.Succeeded)
                return $"cannot create a network namespace (ip netns add: {add.Reason})";
            _created.Add(name);
            var lo = await IpAsync(name, "link", "set", "lo", "up").ConfigureAwait(false);
            if (!lo.Succeeded)
                return $"cannot set up the loopback of namespace {name} ({lo.Reason})";
        }
        try
        {
            // Containers often have the device node but refuse TUNSETIFF: find out now, not mid-link.
            NetworkNamespaceThread.Run(Client, () => new TunDevice("la-probe%d")).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return $"cannot create a TUN interface in a network namespace ({e.Message})";
        }
        return null;
    }

    /// <summary>`ip -n NAMESPACE ARGS...`.</summary>
    public static Task<ChildResult> IpAsync(string name, params string[] arguments) =>
        ChildProcess.RunAsync("ip", ["-n", name, .. arguments], IpTimeout);

    /// <summary>Runs a program inside a namespace (`ip netns exec`) to its end.</summary>
    public static Task<ChildResult> ExecAsync(string name, TimeSpan timeout, CancellationToken cancellation, params string[] command) =>
        ChildProcess.RunAsync("ip", ["netns", "exec", name, .. command], timeout, cancellation);

    /// <summary>Which of the demo's namespaces `ip netns list` still shows.</summary>
    public async Task<IReadOnlyList<string>> RemainingAsync()
    {
        var list = await ChildProcess.RunAsync("ip", ["netns", "list"], IpTimeout).ConfigureAwait(false);
        // Each line is "NAME" or "NAME (id: N)".
        var listed = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0]);
        return listed.Intersect(Names).ToList();
    }

    /// <summary>Deletes the namespaces this instance made; returns the ones that could not be deleted, with why.</summary>
    public async Task<IReadOnlyList<string>> DeleteAsync()
    {
        var failures = new List<string>();
        foreach (var name in _created.ToList())
        {
            var delete = await ChildProcess.RunAsync("ip", ["netns", "del", name], IpTimeout).ConfigureAwait(false);
            if (delete.Succeeded)
                _created.Remove(name);
            else
                failures.Add($"{name}: {delete.Reason}");
        }
        return failures;
    }

    public async ValueTask DisposeAsync() => await DeleteAsync().ConfigureAwait(false);

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
