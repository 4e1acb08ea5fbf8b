using LinkActors.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace LinkActors.Interop.Tests.Scenarios;

/// <summary>Sessions that pppd ends.</summary>
public sealed class SessionEndTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(PppdRole.Server)]
    [InlineData(PppdRole.Client)]
    public async Task PppdTerminatesMidSession_WeAckAndFinish(PppdRole role)
    {
        var actions = new PppdGuestActions { TerminatePppdAfterIpUp = TimeSpan.FromSeconds(4) };
        await using var run = await InteropRun.StartAsync(output, role, "noccp", InteropRun.OursFor(role), actions: actions);
        await run.WaitForNetworkAsync();
        await run.PingBothWaysAsync();
        await run.Link.WaitForFinishedAsync(InteropRun.StepTimeout);
        run.Step($"finished after pppd's Terminate-Request: {run.Link.Status.Phase}");
        // pppd ends on SIGTERM with EXIT_USER_REQUEST, after our Terminate-Ack.
        Assert.Equal(5, await run.Pppd.WaitForPppdExitAsync(InteropRun.StepTimeout));
        Assert.Contains(run.Pppd.LoggedPackets, p => p.Sent && p.Protocol == "LCP" && p.Code == "TermReq");
        Assert.Contains(run.Pppd.LoggedPackets, p => !p.Sent && p.Protocol == "LCP" && p.Code == "TermAck");
        await run.VerifyRecordAsync();
    }

    [Fact]
    public async Task PppdStopsAnswering_LcpEchoFailureEndsLink()
    {
        var actions = new PppdGuestActions { StopPppdAfterIpUp = TimeSpan.FromSeconds(4) };
        var ours = InteropRun.OursFor(PppdRole.Server) with { LcpEchoInterval = TimeSpan.FromSeconds(1), LcpEchoFailure = 3 };
        await using var run = await InteropRun.StartAsync(output, PppdRole.Server, "noccp", ours, actions: actions);
        await run.WaitForNetworkAsync();
        await run.PingBothWaysAsync();
        await run.Pppd.WaitForLogAsync("^LA-GUEST: pppd stopped", InteropRun.StepTimeout);
        // Three unanswered echoes, then Terminate-Requests nobody acks (Max-Terminate 2, 3 s apart).
        await run.Link.WaitForFinishedAsync(TimeSpan.FromSeconds(20));
        var status = run.Link.Status;
        run.Step($"finished: {status.FailureReason}");
        Assert.Contains("LCP echo", status.FailureReason, StringComparison.Ordinal);
        await run.VerifyRecordAsync();
    }
}
