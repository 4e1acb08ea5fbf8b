using LinkActors.Fuzz;

namespace LinkActors.Fuzz.Tests;

/// <summary>
/// Every fuzz target on its seed corpus and on the inputs kept in fuzz/regressions/TARGET (a crash
/// afl-fuzz found, minimized with afl-tmin, goes there once fixed): none may throw.
/// </summary>
public sealed class CorpusTests
{
    private static string Fuzz([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "../../fuzz"));

    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Keys];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_OnItsSeedsAndRegressions_DoesNotThrow(string target)
    {
        var inputs = new[] { "corpus", "regressions" }
            .Select(folder => Path.Combine(Fuzz(), folder, target))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetFiles)
            .ToList();
        Assert.NotEmpty(inputs);
        foreach (var input in inputs)
            FuzzTargets.All[target](File.ReadAllBytes(input));
    }

    [Fact]
    public void Targets_CoverEveryParserTheIssueNames() =>
        Assert.Equal(["auth", "chat-input", "chat-script", "cmux", "control", "fleet-report", "hdlc", "hocon", "modem-answers", "negotiation", "pppd-options", "pppd-secrets"],
            FuzzTargets.All.Keys.Order().ToArray());
}
