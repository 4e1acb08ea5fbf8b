using System.Net;
using LinkActors.Interop.Tests.Harness;
using LinkActors.Ppp.Packets;
using LinkActors.Ppp.Protocols;
using Xunit.Abstractions;

namespace LinkActors.Interop.Tests.Scenarios;

/// <summary>
/// Real pppd against our end, one pppd option set per test, both roles where the role matters, for
/// each implementation of our end (the first argument, see <see cref="LinkUnderTest"/>): the network
/// comes up, echoes pass both ways, our Terminate ends pppd, and the record file decodes cleanly and
/// agrees with pppd's own log.
/// </summary>
public sealed class NegotiationTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Roles => LinkUnderTest.Cases(PppdRole.Server, PppdRole.Client);

    public static IEnumerable<object[]> SmallMruOrMtu => LinkUnderTest.Cases(
        new object[] { PppdRole.Server, "mru 296" },
        new object[] { PppdRole.Client, "mru 296" },
        new object[] { PppdRole.Server, "mtu 296" });

    public static IEnumerable<object[]> Asyncmaps => LinkUnderTest.Cases(
        new object[] { PppdRole.Server, "asyncmap 0", 0u },
        new object[] { PppdRole.Server, "asyncmap 0x000a0000", 0x000A0000u },
        new object[] { PppdRole.Server, "default-asyncmap", 0xFFFFFFFFu },
        new object[] { PppdRole.Client, "default-asyncmap", 0xFFFFFFFFu });

    private async Task<InteropRun> UpAsync(string under, PppdRole role, string pppdOptions, Func<Link.LinkUnderTestOptions, Link.LinkUnderTestOptions>? ours = null)
    {
        var options = InteropRun.OursFor(role);
        var run = await InteropRun.StartAsync(output, under, role, pppdOptions, ours is null ? options : ours(options));
        try
        {
            await run.WaitForNetworkAsync();
            Assert.Equal(LinkPhase.Network, run.Link.Status.Phase);
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    private static async Task CloseAndVerifyAsync(InteropRun run)
    {
        Assert.Equal(16, await run.CloseAsync());
        await run.VerifyRecordAsync();
        Assert.Equal(0, run.Link.Status.BadFcsFrames);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task PppdDefaults_UnsupportedProtocolsRejected_NetworkUp(string under, PppdRole role)
    {
        await using var run = await UpAsync(under, role, "");
        await run.PingBothWaysAsync();
        var log = run.Pppd.LoggedPackets;
        // Debian's pppd offers CCP; we do not compress, so it gets Protocol-Reject (RFC 1661 §5.7).
        Assert.Contains(log, p => p.Sent && p.Protocol == "CCP" && p.Code == "ConfReq");
        Assert.Contains(PppProtocol.Ccp, run.Link.Status.ProtocolsRejected);
        Assert.Contains(log, p => !p.Sent && p.Protocol == "LCP" && p.Code == "ProtRej");
        await run.Pppd.WaitForLogAsync(@"^Protocol-Reject for 'Compression Control Protocol' \(0x80fd\) received", InteropRun.StepTimeout);
        if (log.Any(p => p.Sent && p.Protocol == "IPV6CP" && p.Code == "ConfReq"))
            Assert.Contains(PppProtocol.Ipv6cp, run.Link.Status.ProtocolsRejected);
        // VJ header compression is not implemented: our IPCP rejects it.
        if (log.Any(p => p.Sent && p.Protocol == "IPCP" && p.Code == "ConfReq" && p.Option("compress") is not null))
            Assert.Contains(log, p => !p.Sent && p.Protocol == "IPCP" && p.Code == "ConfRej" && p.Option("compress") is not null);
        await CloseAndVerifyAsync(run);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task NoCcpNoVjNoIpv6_NothingRejected(string under, PppdRole role)
    {
        await using var run = await UpAsync(under, role, "noccp novj noipv6");
        await run.PingBothWaysAsync();
        Assert.Empty(run.Link.Status.ProtocolsRejected);
        Assert.DoesNotContain(run.Pppd.LoggedPackets, p => p.Code is "ConfRej" or "ProtRej");
        await CloseAndVerifyAsync(run);
    }

    [Theory]
    [MemberData(nameof(SmallMruOrMtu))]
    public async Task SmallMruOrMtu_FullSizeEchoesPass(string under, PppdRole role, string option)
    {
        await using var run = await UpAsync(under, role, $"noccp {option}");
        if (option.StartsWith("mru", StringComparison.Ordinal))
        {
            Assert.Equal(296, run.Link.Status.PeerMru);
            Assert.Equal(296, run.Link.Status.InterfaceMtu);
            Assert.Contains(run.Pppd.LoggedPackets, p => p.Sent && p.Protocol == "LCP" && p.Code == "ConfReq" && p.Option("mru") == "296");
        }
        // pppd's "mtu" caps only what pppd sends: echo with packets its replies can carry whole.
        await run.PingBothWaysAsync(fullSize: 296);
        await CloseAndVerifyAsync(run);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task NoAccompNoPcomp_FullHeadersBothWays(string under, PppdRole role)
    {
        await using var run = await UpAsync(under, role, "noccp noaccomp nopcomp");
        Assert.False(run.Link.Status.PeerAcceptsAcfc);
        Assert.False(run.Link.Status.PeerAcceptsPfc);
        await run.PingBothWaysAsync();
        await CloseAndVerifyAsync(run);
    }

    [Theory]
    [MemberData(nameof(Asyncmaps))]
    public async Task Asyncmap_PeerAccmHonoured(string under, PppdRole role, string option, uint expectedAccm)
    {
        await using var run = await UpAsync(under, role, $"noccp {option}");
        Assert.Equal(expectedAccm, run.Link.Status.PeerAccm);
        // The echo payload holds every octet value, so each escaped control character is exercised.
        await run.PingBothWaysAsync();
        await CloseAndVerifyAsync(run);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task MsDns_UsePeerDns(string under, PppdRole role)
    {
        if (role == PppdRole.Server)
        {
            await using var run = await UpAsync(under, role, "noccp ms-dns 10.0.0.53 ms-dns 10.0.0.54", o => o with { UsePeerDns = true });
            Assert.Equal(IPAddress.Parse("10.0.0.53"), run.Link.Status.Dns1);
            Assert.Equal(IPAddress.Parse("10.0.0.54"), run.Link.Status.Dns2);
            if (run.Daemon is { } daemon)
                await daemon.WaitForLogAsync(@"la: IPCP up: local 10\.0\.0\.2, remote 10\.0\.0\.1, dns 10\.0\.0\.53 10\.0\.0\.54", InteropRun.StepTimeout);
            await run.PingBothWaysAsync();
            await CloseAndVerifyAsync(run);
        }
        else
        {
            await using var run = await UpAsync(under, role, "noccp usepeerdns", o => o with
            {
                PrimaryDns = IPAddress.Parse("10.0.0.53"),
                SecondaryDns = IPAddress.Parse("10.0.0.54"),
            });
            await run.Pppd.WaitForLogAsync(@"^primary\s+DNS address 10\.0\.0\.53", InteropRun.StepTimeout);
            await run.Pppd.WaitForLogAsync(@"^secondary\s+DNS address 10\.0\.0\.54", InteropRun.StepTimeout);
            await run.PingBothWaysAsync();
            await CloseAndVerifyAsync(run);
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task PlusIpv6_LinkLocalEchoesBothWays(string under, PppdRole role)
    {
        await using var run = await UpAsync(under, role, "noccp +ipv6", o => o with { Ipv6 = true });
        var status = run.Link.Status;
        Assert.NotEqual(0UL, status.LocalInterfaceId);
        Assert.NotEqual(0UL, status.PeerInterfaceId);
        var ours = LinkLocal(status.LocalInterfaceId);
        var peer = LinkLocal(status.PeerInterfaceId);
        // pppd names the same two addresses (its local is our remote).
        var pppdUp = await run.Pppd.WaitForLogAsync(@"^LA-GUEST: ipv6-up \S+ local=(?<local>\S+) remote=(?<remote>\S+)", InteropRun.StepTimeout);
        Assert.Equal(peer, IPAddress.Parse(pppdUp.Groups["local"].Value));
        Assert.Equal(ours, IPAddress.Parse(pppdUp.Groups["remote"].Value));
        await run.PingBothWaysAsync();
        // pppd writes each group with four digits ("0e52"): compare addresses, not text.
        var guestPing = await run.Pppd.WaitForLogAsync(@"^LA-GUEST: ping6 (?<addr>\S+) (?<result>ok|failed)", InteropRun.NetworkTimeout);
        Assert.Equal(ours, IPAddress.Parse(guestPing.Groups["addr"].Value));
        // The daemon's in-process endpoint answers ICMP (IPv4) echo only, and the daemon sends no
        // echo of its own: IPV6CP up on both ends, with the addresses pppd names, is what this proves.
        run.Step($"guest's ping6 to our link-local {ours}: {guestPing.Groups["result"].Value} (the in-process endpoint answers IPv4 echo only)");
        await CloseAndVerifyAsync(run);
    }

    /// <summary>fe80::/64 with the interface identifier IPV6CP agreed on (RFC 5072 §5).</summary>
    private static IPAddress LinkLocal(ulong interfaceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes[0] = 0xFE;
        bytes[1] = 0x80;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], interfaceId);
        return new IPAddress(bytes);
    }
}
