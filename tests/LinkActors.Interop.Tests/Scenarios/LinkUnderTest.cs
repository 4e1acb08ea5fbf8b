using LinkActors.Interop.Tests.Link;

namespace LinkActors.Interop.Tests.Scenarios;

/// <summary>
/// The implementations of our end the tests drive: "pure" (the library driven by a test-side loop,
/// <see cref="PureNegotiationLink"/>) and "actors" (the real `linkactors run` process,
/// <see cref="ActorsLink"/>). Every scenario runs against each implementation that
/// LINKACTORS_UNDER_TEST names (comma-separated), or against both when it is unset or "all".
/// </summary>
public static class LinkUnderTest
{
    public const string Pure = "pure";
    public const string Actors = "actors";

    /// <summary>The implementations this run covers, read once (at test discovery).</summary>
    public static IReadOnlyList<string> Selected { get; } = Parse(Environment.GetEnvironmentVariable("LINKACTORS_UNDER_TEST"));

    public static IReadOnlyList<string> Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim() == "all")
            return [Pure, Actors];
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (name is not (Pure or Actors))
                throw new NotSupportedException($"LINKACTORS_UNDER_TEST={value}: '{name}' is none of {Pure}, {Actors}, all");
        }
        return [.. names.Distinct()];
    }

    public static ILinkUnderTest Create(string implementation, LinkUnderTestOptions options, Action<string> log) => implementation switch
    {
        Pure => new PureNegotiationLink(options, log),
        Actors => new ActorsLink(options, log),
        _ => throw new NotSupportedException($"no implementation '{implementation}' (known: {Pure}, {Actors})"),
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
