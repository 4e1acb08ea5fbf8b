using System.Diagnostics;

namespace LinkActors.Interop.Tests.Harness;

/// <summary>
/// The user-mode-linux kernel and the initramfs with pppd, built by uml/build-uml.sh into a cache
/// outside the repository (LINKACTORS_UML_CACHE, default /var/cache/linkactors/uml) keyed by the
/// scripts' hash; built at most once per test run, and once per machine while the scripts stay the same.
/// </summary>
public static class UmlImage
{
    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    /// <summary>The folder of this test assembly's scripts (copied next to it by the project).</summary>
    public static string ScriptDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "uml");

    /// <summary>How long the first call took (near zero when the cache already held the image).</summary>
    public static TimeSpan BuildTime { get; private set; }

    /// <summary>The image directory, holding linux.uml and initrd-uml.gz.</summary>
    public static Task<string> EnsureBuiltAsync() => Built.Value;

    private static async Task<string> BuildAsync()
    {
        var started = Stopwatch.StartNew();
        var script = Path.Combine(ScriptDirectory, "build-uml.sh");
        var result = await ProcessRunner.RunAsync("bash", [script], TimeSpan.FromMinutes(15)).ConfigureAwait(false);
        BuildTime = started.Elapsed;
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed with {result.ExitCode}:\n{result.StandardError}");
        var directory = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        if (!File.Exists(Path.Combine(directory, "linux.uml")))
            throw new InvalidOperationException($"{script} printed {directory}, which holds no linux.uml");
        return directory;
    }
}
