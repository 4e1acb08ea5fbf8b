namespace LinkActors.Actors.Configuration.Pppd;

/// <summary>
/// Where a pppd option was written: a file as pppd names it (under the real root, whatever root the
/// files were read from) and its 1-based line, or the command line (line 0).
/// </summary>
public sealed record PppdSource(string File, int Line)
{
    public const string CommandLineName = "command line";

    public static PppdSource CommandLine { get; } = new(CommandLineName, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
