using LinkActors.Ppp.Automaton;

namespace LinkActors.Ppp.Tests.Automaton;

public sealed class ReplyBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ConfigureReplies_AtTheRfcPace_AreAllAllowed()
    {
        // RFC 1661 §4.6 defaults: Max-Configure 10 per Restart interval of 3 s; a peer at that pace is always answered.
        var budget = ReplyBudget.ForReplies(ControlEngineSettings.Default, 1);
        for (int i = 0; i < 100; i++)
            Assert.True(budget.TryTake(T0 + TimeSpan.FromMilliseconds(300 * i)), $"request {i}");
        Assert.Equal(0, budget.Dropped);
    }

    [Fact]
    public void AStorm_IsAnsweredAtTheBurstThenAtTheRate_AndTheRestCounted()
    {
        var budget = ReplyBudget.ForReplies(ControlEngineSettings.Default, 1);
        // 10,000 requests at once: the burst of 10 is answered.
        int allowed = Enumerable.Range(0, 10_000).Count(_ => budget.TryTake(T0));
        Assert.Equal(10, allowed);
        Assert.Equal(9_990, budget.Dropped);
        // 10,000 more over the next 3 s: one answer per 0.3 s.
        allowed = Enumerable.Range(1, 10_000).Count(i => budget.TryTake(T0 + TimeSpan.FromTicks(i * 3000L)));
        Assert.InRange(allowed, 9, 10);
        Assert.True(budget.Allowed <= budget.MaxWithin(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void TerminateAcks_FollowMaxTerminate()
    {
        var budget = ReplyBudget.ForReplies(ControlEngineSettings.Default, 5);
        Assert.Equal(2, budget.Burst);
        Assert.Equal(TimeSpan.FromSeconds(1.5), budget.Every);
        Assert.True(budget.TryTake(T0));
        Assert.True(budget.TryTake(T0));
        Assert.False(budget.TryTake(T0));
        Assert.True(budget.TryTake(T0 + TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public void TimeGoingBackwards_EarnsNothing()
    {
        var budget = new ReplyBudget(1, TimeSpan.FromSeconds(1));
        Assert.True(budget.TryTake(T0 + TimeSpan.FromSeconds(10)));
        Assert.False(budget.TryTake(T0));
        Assert.False(budget.TryTake(T0 + TimeSpan.FromSeconds(10.5)));
        Assert.True(budget.TryTake(T0 + TimeSpan.FromSeconds(11)));
    }
}
