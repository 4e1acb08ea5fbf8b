using LinkActors.Interop.Tests.Link;

namespace LinkActors.Interop.Tests.Scenarios;

/// <summary>
/// Which implementation of our end the tests drive. Only the pure library exists so far; the real
/// "linkactors run" process is meant to be added here, chosen by LINKACTORS_UNDER_TEST.
/// </summary>
public static class LinkUnderTest
{
    public static ILinkUnderTest Create(LinkUnderTestOptions options, Action<string> log) =>
        Environment.GetEnvironmentVariable("LINKACTORS_UNDER_TEST") switch
        {
            null or "" or "pure" => new PureNegotiationLink(options, log),
            var other => throw new NotSupportedException($"LINKACTORS_UNDER_TEST={other}: no such implementation yet"),
        };
}
