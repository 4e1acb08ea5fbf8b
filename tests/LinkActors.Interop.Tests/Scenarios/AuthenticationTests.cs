using LinkActors.Interop.Tests.Harness;
using LinkActors.Interop.Tests.Link;
using LinkActors.Ppp.Protocols;
using Xunit.Abstractions;

namespace LinkActors.Interop.Tests.Scenarios;

/// <summary>
/// PAP and CHAP-MD5 against pppd in both directions, with the right secret (the network comes up)
/// and a wrong one (authentication fails, both ends give up, pppd exits with its auth status).
/// </summary>
public sealed class AuthenticationTests(ITestOutputHelper output)
{
    private const string Right = "right-secret";
    private const string Wrong = "wrong-secret";

    /// <summary>pppd's exit statuses: EXIT_PEER_AUTH_FAILED and EXIT_AUTH_TOPEER_FAILED.</summary>
    private const int PeerAuthFailed = 11;
    private const int AuthToPeerFailed = 19;

    public static IEnumerable<object[]> Methods => LinkUnderTest.Cases(
        new object[] { "pap", true },
        new object[] { "pap", false },
        new object[] { "chap", true },
        new object[] { "chap", false });

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task PppdRequiresAuthentication_FromUs(string under, string method, bool rightSecret)
    {
        // pppd's secrets say what it expects from us; we bring the right one or not.
        var secrets = PppdSecrets.Both(new PppdSecret("linkactors", "*", Right));
        var ours = InteropRun.OursFor(PppdRole.Server) with { User = "linkactors", Password = rightSecret ? Right : Wrong };
        await using var run = await InteropRun.StartAsync(output, under, PppdRole.Server, $"noccp name pppd-server require-{method}", ours, secrets);
        string methodName = method == "pap" ? "Pap" : "ChapMd5";
        if (rightSecret)
        {
            await run.WaitForNetworkAsync();
            Assert.Contains($"Client {methodName} ok", run.Link.Status.AuthenticationEvents.Single(), StringComparison.Ordinal);
            await run.PingBothWaysAsync();
            Assert.Equal(16, await run.CloseAsync());
        }
        else
        {
            await run.Link.WaitForFinishedAsync(InteropRun.NetworkTimeout);
            var status = run.Link.Status;
            Assert.Contains(status.AuthenticationEvents, e => e.StartsWith($"Client {methodName} failed", StringComparison.Ordinal));
            Assert.DoesNotContain(LinkPhase.Network, status.Phases);
            // pppd words the two differently (upap.c and chap-new.c).
            var failed = method == "pap" ? "^PAP peer authentication failed for linkactors" : "^Peer linkactors failed CHAP authentication";
            await run.Pppd.WaitForLogAsync(failed, InteropRun.StepTimeout);
            Assert.Equal(PeerAuthFailed, await run.Pppd.WaitForPppdExitAsync(InteropRun.StepTimeout));
            // The daemon gives up (no persist) and exits, as pppd does, with pppd's status for the failure.
            if (run.Daemon is { } daemon)
                Assert.Equal(AuthToPeerFailed, await daemon.WaitForExitAsync(InteropRun.StepTimeout));
        }
        await run.VerifyRecordAsync();
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task WeRequireAuthentication_FromPppd(string under, string method, bool rightSecret)
    {
        var secrets = PppdSecrets.Both(new PppdSecret("pppd-client", "*", rightSecret ? Right : Wrong));
        var ours = InteropRun.OursFor(PppdRole.Client) with
        {
            RequirePap = method == "pap",
            RequireChap = method == "chap",
            Secrets = [new LinkSecret("pppd-client", "*", Right)],
        };
        await using var run = await InteropRun.StartAsync(output, under, PppdRole.Client, "noccp user pppd-client", ours, secrets);
        string methodName = method == "pap" ? "Pap" : "ChapMd5";
        if (rightSecret)
        {
            await run.WaitForNetworkAsync();
            Assert.Equal($"Server {methodName} ok pppd-client", run.Link.Status.AuthenticationEvents.Single());
            await run.PingBothWaysAsync();
            Assert.Equal(16, await run.CloseAsync());
        }
        else
        {
            await run.Link.WaitForFinishedAsync(InteropRun.NetworkTimeout);
            var status = run.Link.Status;
            Assert.Contains(status.AuthenticationEvents, e => e.StartsWith($"Server {methodName} failed", StringComparison.Ordinal));
            Assert.DoesNotContain(LinkPhase.Network, status.Phases);
            Assert.Equal(AuthToPeerFailed, await run.Pppd.WaitForPppdExitAsync(InteropRun.StepTimeout));
            if (run.Daemon is { } daemon)
                Assert.Equal(PeerAuthFailed, await daemon.WaitForExitAsync(InteropRun.StepTimeout));
        }
        await run.VerifyRecordAsync();
    }
}
