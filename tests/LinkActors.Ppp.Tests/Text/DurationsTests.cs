using LinkActors.Ppp.Text;

namespace LinkActors.Ppp.Tests.Text;

public sealed class DurationsTests
{
    [Theory]
    [InlineData(0.25, "250 ms")]
    [InlineData(3, "3 s")]
    [InlineData(34.7881906, "34.8 s")]
    [InlineData(90, "1 min 30 s")]
    [InlineData(120, "2 min")]
    [InlineData(3780, "1 h 3 min")]
    [InlineData(7200, "2 h")]
    [InlineData(187200, "2 d 4 h")]
    [InlineData(-5, "-5 s")]
    public void Human_ReadsAsPeopleWriteIt(double seconds, string expected) =>
        Assert.Equal(expected, Durations.Human(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void LogFormat_WritesTimeSpansHumanAndNumbersInvariant()
    {
        Assert.Equal("dialing again in 3.2 s (attempt 2, 1.5)",
            string.Format(HumanLogFormat.Instance, "dialing again in {0} (attempt {1}, {2})", TimeSpan.FromSeconds(3.2), 2, 1.5));
        Assert.Equal("00:00:03", string.Format(HumanLogFormat.Instance, "{0:hh\\:mm\\:ss}", TimeSpan.FromSeconds(3)));
    }
}
