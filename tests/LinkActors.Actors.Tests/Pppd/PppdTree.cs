using System.Runtime.CompilerServices;
using LinkActors.Actors.Configuration.Pppd;

namespace LinkActors.Actors.Tests.Pppd;

/// <summary>
/// A fake root for pppd's files in a temp directory: a copy of a fixture tree from the source tree
/// (git keeps no file modes, so secrets files are made private here), plus files written by a test.
/// </summary>
internal sealed class PppdTree : IDisposable
{
    private PppdTree(string root)
    {
        Root = root;
        Environment = new PppdEnvironment(root, "/root");
    }

    public string Root { get; }

    public PppdEnvironment Environment { get; }

    /// <summary>An empty root with an empty /etc/ppp/options.</summary>
    public static PppdTree Empty()
    {
        var tree = new PppdTree(Directory.CreateTempSubdirectory("pppd-tree-").FullName);
        tree.Write("/etc/ppp/options", "");
        return tree;
    }

    /// <summary>A copy of Pppd/Fixtures/<paramref name="name"/>.</summary>
    public static PppdTree Fixture(string name)
    {
        var tree = new PppdTree(Directory.CreateTempSubdirectory("pppd-tree-").FullName);
        string source = Path.Combine(FixturesDirectory, name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(tree.Root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            bool secret = Path.GetFileName(file) is "pap-secrets" or "chap-secrets" || Path.GetFileName(file).StartsWith("secret-", StringComparison.Ordinal);
            SetMode(target, secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        return tree;
    }

    /// <summary>Writes a file at pppd's <paramref name="path"/>; secrets files are given <paramref name="mode"/> or 0600.</summary>
    public PppdTree Write(string path, string text, UnixFileMode? mode = null)
    {
        string target = Path.Join(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, text);
        if (mode is { } m)
            SetMode(target, m);
        else if (path.EndsWith("-secrets", StringComparison.Ordinal))
            SetMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return this;
    }

    // The project runs on Linux; on Windows the modes (and the tests of them) mean nothing.
    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, mode);
    }

    public PppdTree MakeDirectory(string path)
    {
        Directory.CreateDirectory(Path.Join(Root, path));
        return this;
    }

    public PppdImportResult Call(string name, params string[] more) => PppdImport.Call(name, Environment, more);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>
    /// Pppd/Fixtures in the source tree: found above the test output, or (when the build writes its
    /// output elsewhere, as with --artifacts-path) above the current directory or this source file.
    /// </summary>
    private static string FixturesDirectory => FindFixtures();

    private static string FindFixtures([CallerFilePath] string thisFile = "")
    {
        string[] starts = [AppContext.BaseDirectory, Directory.GetCurrentDirectory(), Path.GetDirectoryName(thisFile) ?? "/"];
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LinkActors.sln")))
                    return Path.Combine(dir.FullName, "tests", "LinkActors.Actors.Tests", "Pppd", "Fixtures");
            }
        }
        throw new DirectoryNotFoundException("LinkActors.sln not found above the test output, the current directory or the test source");
    }
}
