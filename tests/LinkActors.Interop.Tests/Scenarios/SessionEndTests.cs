using LinkActors.Interop.Tests.Harness;
using LinkActors.Ppp.Packets;
using Xunit.Abstractions;

namespace LinkActors.Interop.Tests.Scenarios;

/// <summary>Sessions that pppd ends, or that end because pppd stops answering.</summary>
public sealed class SessionEndTests(ITestOutputHelper output)
{
    /// <summary>pppd's and the daemon's exit statuses (pppd(8) "EXIT STATUS").</summary>
    private const int UserRequest = 5;
    private const int Hangup = 16;

    public static IEnumerable<object[]> Roles => LinkUnderTest.Cases(PppdRole.Server, PppdRole.Client);

    public static IEnumerable<object[]> Implementations => LinkUnderTest.Cases();

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task PppdTerminatesMidSession_WeAckAndFinish(string under, PppdRole role)
    {
        var actions = new PppdGuestActions { TerminatePppdAfterIpUp = TimeSpan.FromSeconds(4) };
        await using var run = await InteropRun.StartAsync(output, under, role, "noccp", InteropRun.OursFor(role), actions: actions);
        await run.WaitForNetworkAsync();
        await run.PingBothWaysAsync();
        await run.Link.WaitForFinishedAsync(InteropRun.StepTimeout);
        run.Step($"finished after pppd's Terminate-Request: {run.Link.Status.Phase}, {run.Link.Status.FailureReason}");
        // pppd ends on SIGTERM with EXIT_USER_REQUEST, after our Terminate-Ack.
        Assert.Equal(UserRequest, await run.Pppd.WaitForPppdExitAsync(InteropRun.StepTimeout));
        Assert.Contains(run.Pppd.LoggedPackets, p => p.Sent && p.Protocol == "LCP" && p.Code == "TermReq");
        Assert.Contains(run.Pppd.LoggedPackets, p => !p.Sent && p.Protocol == "LCP" && p.Code == "TermAck");
        if (run.Daemon is { } daemon)
        {
            // The daemon says the peer ended it, and (no persist) exits with pppd's status for a hang-up.
            Assert.Contains("peer terminated", run.Link.Status.FailureReason, StringComparison.Ordinal);
            // pppd exits right after our Terminate-Ack, so the line vanishes before LCP's Stopping
            // timer runs out: the link ends there, with the peer's termination as its reason.
            await daemon.WaitForLogAsync(@"la: phase Dead \(the peer terminated the link", InteropRun.StepTimeout);
            Assert.Equal(Hangup, await daemon.WaitForExitAsync(InteropRun.StepTimeout));
        }
        var frames = await run.VerifyRecordAsync();
        // The record holds pppd's Terminate-Request as received and our Terminate-Ack as sent.
        Assert.Contains(frames, f => !f.SentByRecorder && f.Protocol == PppProtocol.Lcp && f.Code == 5);
        Assert.Contains(frames, f => f.SentByRecorder && f.Protocol == PppProtocol.Lcp && f.Code == 6);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public async Task PppdStopsAnswering_LcpEchoFailureEndsLink(string under)
    {
        var actions = new PppdGuestActions { StopPppdAfterIpUp = TimeSpan.FromSeconds(4) };
        // persist and holdoff: the daemon dials again.
        var ours = InteropRun.OursFor(PppdRole.Server) with
        {
            LcpEchoInterval = TimeSpan.FromSeconds(1),
            LcpEchoFailure = 3,
            Persist = true,
            Holdoff = TimeSpan.FromSeconds(1),
        };
        await using var run = await InteropRun.StartAsync(output, under, PppdRole.Server, "noccp", ours, actions: actions);
        await run.WaitForNetworkAsync();
        await run.PingBothWaysAsync();
        await run.Pppd.WaitForLogAsync("^LA-GUEST: pppd stopped", InteropRun.StepTimeout);
        // Three unanswered echoes, then Terminate-Requests nobody acks (Max-Terminate 2, 3 s apart).
        await run.Link.WaitForFinishedAsync(TimeSpan.FromSeconds(25));
        var status = run.Link.Status;
        run.Step($"finished: {status.FailureReason}");
        Assert.Contains("LCP echo", status.FailureReason, StringComparison.Ordinal);
        if (run.Daemon is { } daemon)
        {
            // persist: after holdoff the daemon dials again and starts a second LCP negotiation.
            var again = await daemon.WaitForLogAsync(@"la: dialing again in (?<delay>.+?) \(attempt 2\)", InteropRun.StepTimeout);
            run.Step($"redial scheduled: {again.Value}");
            await daemon.WaitForLogAsync(@"la: phase Establish", InteropRun.StepTimeout);
            var secondAttempt = await WaitForAttemptsAsync(daemon, 2, InteropRun.StepTimeout);
            Assert.Equal(2, secondAttempt);
            await WaitForConfReqAfterRedialAsync(daemon, InteropRun.StepTimeout);
            run.Step("second attempt started: LCP Configure-Request sent again");
            // pppd is stopped, so the second attempt cannot get anywhere: stop the daemon (SIGTERM).
            await run.Link.CloseAsync(InteropRun.NetworkTimeout);
            Assert.Equal(0, daemon.ExitCode);
        }
        await run.VerifyRecordAsync();
    }

    private static async Task<int> WaitForAttemptsAsync(Link.ActorsLink daemon, int attempts, TimeSpan timeout)
    {
        await daemon.WaitForLogAsync(@"la: phase Dial", timeout);
        var deadline = DateTime.UtcNow + timeout;
        while (daemon.Attempts < attempts && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        return daemon.Attempts;
    }

    /// <summary>An LCP Configure-Request sent after the "dialing again" line.</summary>
    private static async Task WaitForConfReqAfterRedialAsync(Link.ActorsLink daemon, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var lines = daemon.Lines;
            int redial = lines.ToList().FindIndex(l => l.Contains("la: dialing again", StringComparison.Ordinal));
            if (redial >= 0 && lines.Skip(redial).Any(l => l.Contains("sent [LCP ConfReq", StringComparison.Ordinal)))
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no LCP Configure-Request after the redial within {timeout}");
    }
}
