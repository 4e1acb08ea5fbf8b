using LinkActors.Interop.Tests.Link;

namespace LinkActors.Interop.Tests.Scenarios;

/// <summary>
/// Our end of every scenario: the real `linkactors run` process (<see cref="ActorsLink"/>), the code
/// path the daemon runs. There is no second, library-only implementation that could pass while the
/// daemon fails. LINKACTORS_UNDER_TEST may still say "actors" or "all" (both mean this one).
/// </summary>
public static class LinkUnderTest
{
    public const string Actors = "actors";

    /// <summary>The implementations this run covers, read once (at test discovery).</summary>
    public static IReadOnlyList<string> Selected { get; } = Parse(Environment.GetEnvironmentVariable("LINKACTORS_UNDER_TEST"));

    public static IReadOnlyList<string> Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim() == "all")
            return [Actors];
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (name is not Actors)
                throw new NotSupportedException($"LINKACTORS_UNDER_TEST={value}: '{name}' is not {Actors} (the interop suite runs the daemon itself)");
        }
        return [Actors];
    }

    public static ILinkUnderTest Create(string implementation, LinkUnderTestOptions options, Action<string> log) => implementation switch
    {
        Actors => new ActorsLink(options, log),
        _ => throw new NotSupportedException($"no implementation '{implementation}' (known: {Actors})"),
    };

    /// <summary>
    /// Theory rows: every row of <paramref name="rows"/> (one value, or an object[] of several) for
    /// every selected implementation, the implementation first.
    /// </summary>
    public static IEnumerable<object[]> Cases(params object[] rows)
    {
        foreach (var implementation in Selected)
        {
            if (rows.Length == 0)
                yield return [implementation];
            foreach (var row in rows)
                yield return [implementation, .. row is object[] values ? values : [row]];
        }
    }
}
