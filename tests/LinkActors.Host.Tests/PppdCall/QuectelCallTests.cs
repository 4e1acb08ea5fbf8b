using LinkActors.Actors.Configuration;
using LinkActors.Actors.Configuration.Pppd;
using Xunit.Abstractions;

namespace LinkActors.Host.Tests.PppdCall;

/// <summary>
/// Issue 9: a real user's pppd configuration (peers file quectel-ppp and Quectel's chat scripts),
/// run as `linkactors call quectel-ppp` does, against the emulated BC66 over a pty, brings the link
/// up exactly as configured; and the HOCON `linkactors import-pppd` writes for it does the same.
/// </summary>
/// <remarks>
/// In-process: the `call` verb reads PppdEnvironment.System (the machine's /etc), so the test does
/// what the verb does (PppdImport.Call, LinkToStart, a LinkHost with debug as `debug` asks) on a
/// fake root instead.
/// </remarks>
[Collection("pppd call")]
public sealed class QuectelCallTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Call_QuectelPeersOverEmulatedBc66_ComesUpAsConfigured()
    {
        await using var rig = QuectelCallRig.Create();
        var result = PppdImport.Call(QuectelCallRig.PeerName, rig.Environment);

        // ktune, dump, novj, noccp, the MS-CHAP refusals ... are accepted with notes: nothing stops the start.
        var link = result.LinkToStart(ignoreUnsupported: false);
        Assert.Empty(result.Unsupported);
        Assert.Equal(rig.DevicePath, link.Device);
        Assert.Equal(rig.RecordPath, link.Record);
        Assert.True(result.Extras.Dump);
        Assert.Contains($"{QuectelCallRig.PeersPath}:17 {rig.DevicePath}", PppdDump.Lines(result.Options));
        foreach (var note in result.Notes)
            output.WriteLine($"note: {note}");

        var run = await rig.RunAsync(rig.ToRun(link), requireChap: false, debug: result.Extras.DebugLevel > 0);

        output.WriteLine(await QuectelChecks.AssertUpAsConfiguredAsync(run));
    }

    [Fact]
    public async Task ImportedHocon_QuectelPeersOverEmulatedBc66_ComesUpTheSame()
    {
        await using var rig = QuectelCallRig.Create();
        var result = PppdImport.Call(QuectelCallRig.PeerName, rig.Environment);
        string hocon = PppdImport.ToHocon(result);
        output.WriteLine(hocon);

        var loaded = Assert.Single(Settings.Create(Settings.Parse(hocon, "quectel-ppp.conf"), "quectel-ppp.conf"));
        // Every key is written out: the loaded link writes back to the same HOCON as the imported one.
        Assert.Equal(PppdImport.ToHocon(result.Link), PppdImport.ToHocon(loaded));

        // pppd's `debug` has no HOCON key: `linkactors run --debug` is how the trace is asked for.
        var run = await rig.RunAsync(rig.ToRun(loaded), requireChap: false, debug: true);

        output.WriteLine(await QuectelChecks.AssertUpAsConfiguredAsync(run));
    }

    /// <summary>
    /// noipv6 against a network that offers IPv6: the user's link Protocol-Rejects IPV6CP, and IPv4
    /// stays up (pppd: np_finished closes LCP only when no network protocol is left open).
    /// </summary>
    [Fact]
    public async Task Call_QuectelPeersAgainstANetworkOfferingIpv6_RejectsIpv6cpAndStaysUp()
    {
        await using var rig = QuectelCallRig.Create();
        var result = PppdImport.Call(QuectelCallRig.PeerName, rig.Environment);

        var run = await rig.RunAsync(rig.ToRun(result.LinkToStart(ignoreUnsupported: false)), requireChap: false, debug: true, offerIpv6: true);

        output.WriteLine(await QuectelChecks.AssertUpAsConfiguredAsync(run));
        Assert.Contains(run.ClientTrace, l => l.StartsWith("sent [LCP ProtRej", StringComparison.Ordinal) && l.Contains("proto=0x8057", StringComparison.Ordinal));
        Assert.True(run.Ended is null, $"the link ended while it should stay up: {run.Ended}\n{run.Diagnostics}");
    }

    /// <summary>
    /// refuse-chap against a network that insists on CHAP: the user's link must not answer a CHAP
    /// challenge, so it cannot come up.
    /// </summary>
    [Fact]
    public async Task Call_QuectelPeersAgainstANetworkRequiringChap_RefusesChapAndFails()
    {
        await using var rig = QuectelCallRig.Create();
        var result = PppdImport.Call(QuectelCallRig.PeerName, rig.Environment);

        var run = await rig.RunAsync(rig.ToRun(result.LinkToStart(ignoreUnsupported: false)), requireChap: true, debug: true);

        string context = $"\n{run.Diagnostics}";
        output.WriteLine(string.Join("\n", run.ClientTrace));
        Assert.True(run.Up is null, $"the link came up although it refuses CHAP and the network requires it{context}");
        Assert.True(run.Ended is not null, $"the link neither came up nor ended within the bound{context}");
        var askedChap = run.ClientTrace.Where(l => l.StartsWith("rcvd [LCP ConfReq", StringComparison.Ordinal) && l.Contains("<auth chap", StringComparison.Ordinal)).ToList();
        Assert.True(askedChap.Count > 0, $"the network never asked for CHAP{context}");
        Assert.DoesNotContain(run.ClientTrace, l => l.StartsWith("sent [CHAP", StringComparison.Ordinal));
        Assert.DoesNotContain(run.ClientTrace, l => l.StartsWith("sent [LCP ConfAck", StringComparison.Ordinal) && l.Contains("<auth chap", StringComparison.Ordinal));
        // pppd's server closes LCP with "peer refused to authenticate" (its exit 11) once LCP is up
        // without any method the client agreed to; the client sees the peer terminate the link.
        output.WriteLine($"ended: {run.Ended}");
    }
}
