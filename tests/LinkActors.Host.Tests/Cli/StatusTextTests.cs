using LinkActors.Host.Cli;
using LinkActors.Host.Management;

namespace LinkActors.Host.Tests.Cli;

public sealed class StatusTextTests
{
    private static LinkView Up(string? remote, IReadOnlyList<string> dns) => new(
        "wwan", Required: false, Running: true, Phase: "Network", Layers: new Dictionary<string, string> { ["LCP"] = "Opened", ["IPCP"] = "Opened" },
        Local: "10.64.1.2", Remote: remote, Dns: dns, Negotiated: null, UpSince: null, UptimeSeconds: 90.4, Attempts: 1, Redials: 0,
        ConsecutiveFailures: 0, NextAttempt: null, Failure: null, LastFailure: null, GaveUp: null, Traffic: null, Line: null, Errors: null,
        Modem: null, EchoRttMs: null);

    [Fact]
    public void Link_PeerWithoutAddress_ShowsNoEmptyField()
    {
        var text = StatusText.Link(Up(remote: null, dns: []));

        Assert.StartsWith("wwan: up for 1 min 30 s (phase Network)\n", text, StringComparison.Ordinal);
        Assert.Contains("  address  local 10.64.1.2\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("remote", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_EveryAddressKnown_ShowsThemAll() =>
        Assert.Contains("  address  local 10.64.1.2, remote 10.64.1.1, DNS 198.51.100.53 198.51.100.54\n",
            StatusText.Link(Up("10.64.1.1", ["198.51.100.53", "198.51.100.54"])), StringComparison.Ordinal);
}
