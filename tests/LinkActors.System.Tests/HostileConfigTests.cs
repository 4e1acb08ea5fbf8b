using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinkActors.System.Tests;

/// <summary>
/// Configurations that used to end the process with a stack overflow (exit 134), an unhandled
/// exception, or a silent default: `check-config` and `run` each give one line naming the file and
/// the key, and exit 2, before anything is opened.
/// </summary>
[Collection("daemons")]
public sealed class HostileConfigTests : IDisposable
{
    private const int Depth = 100_000;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("linkactors-hostile-");

    public static TheoryData<string, string, string> Crashing()
    {
        var link = "linkactors.management.enabled = false\nlinkactors.links.w { device = \"/dev/ttyNOSUCH9\", lock = false }\n";
        return new TheoryData<string, string, string>
        {
            { "deep-objects", "a = " + Repeat("{ a = ", Depth) + "1" + Repeat(" }", Depth) + "\n" + link, "(syntax): line 1: nested deeper than 64 levels" },
            { "deep-lists", "a = " + Repeat("[", Depth) + Repeat("]", Depth) + "\n" + link, "(syntax): line 1: nested deeper than 64 levels" },
            { "deep-dotted-key", "a" + Repeat(".a", Depth) + " = 1\n" + link, "(syntax): line 1: nested deeper than 64 levels" },
            { "self-substitution", "linkactors.links.wwan.device = ${linkactors.links.wwan.device}\n", "linkactors.links.wwan.device: the substitution ${linkactors.links.wwan.device} leads back" },
            { "substitution-cycle", link + "a = ${b}\nb = ${a}\n", ": the substitution ${" },
            { "object-contains-itself", "linkactors.link-defaults.lcp = ${linkactors.link-defaults}\n" + link, "linkactors.link-defaults.lcp: the substitution ${linkactors.link-defaults} leads back" },
            { "root-not-object", "linkactors = 5\n", "linkactors: must be an object { ... }" },
            { "links-not-object", "linkactors.links = 5\n", "linkactors.links: must be an object" },
            { "leaf-is-object", link + "linkactors.links.w.lcp.mru { a = 1 }\n", "linkactors.links.w.lcp.mru: must be a single value, not an object" },
            { "leaf-is-list", link + "linkactors.links.w.lcp.mru = [1]\n", "linkactors.links.w.lcp.mru: must be a single value, not a list" },
            { "management-not-object", link + "linkactors.management = 5\n", "linkactors.management: must be an object" },
            { "management-port-type", link + "linkactors.management { enabled = true, port = many }\n", "linkactors.management.port: \"many\" is not a whole number" },
            { "include-missing", "include \"nothere.conf\"\n" + link, "include \"nothere.conf\": " },
            { "include-directory", "include \"/tmp\"\n" + link, "include \"/tmp\": /tmp is a directory" },
            { "include-dev-zero", "include \"/dev/zero\"\n" + link, "include \"/dev/zero\": " },
            { "include-itself", "include \"include-itself.conf\"\n" + link, "includes nest deeper than 8" },
            { "include-file-form", "include file(\"/nonexistent/x.conf\")\n" + link, "(syntax): line 1: write an include as include \"FILE\"" },
            { "management-off-loopback-without-token", "linkactors.links.w { device = \"/dev/ttyNOSUCH9\" }\nlinkactors.management.bind = \"0.0.0.0\"\n", "linkactors.management.token: the endpoint would listen on 0.0.0.0" },
            { "management-mapped-address", "linkactors.links.w { device = \"/dev/ttyNOSUCH9\" }\nlinkactors.management.bind = \"::ffff:127.0.0.1\"\n", "linkactors.management.bind: \"::ffff:127.0.0.1\" is an IPv4 address written as IPv6" },
        };
    }

    [Theory]
    [MemberData(nameof(Crashing))]
    public async Task CrashingConfig_CheckConfigAndRun_OneLineNamingFileAndKey_Exit2(string name, string hocon, string expected)
    {
        var path = Path.Combine(_directory.FullName, $"{name}.conf");
        await File.WriteAllTextAsync(path, hocon);
        foreach (var verb in new[] { "check-config", "run" })
        {
            using var daemon = Daemon.Start(verb, path);
            int status = await daemon.WaitForExitAsync(Within);
            var line = Assert.Single(daemon.Output.Trim().Split('\n'));
            Assert.Equal(2, status);
            Assert.StartsWith($"{path}: ", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TenMegabyteValue_IsRead()
    {
        var path = Path.Combine(_directory.FullName, "big.conf");
        await File.WriteAllTextAsync(path, "linkactors.management.enabled = false\nlinkactors.links.w { device = \"/dev/ttyNOSUCH9\"\n network.ipparam = \""
            + new string('x', 10 * 1024 * 1024) + "\" }\n");
        using var daemon = Daemon.Start("check-config", path);
        Assert.Equal(0, await daemon.WaitForExitAsync(Within));
        Assert.StartsWith("link w: client on /dev/ttyNOSUCH9", daemon.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncludeOfARegularFile_IsRead()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "links.conf"), "linkactors.links.w { device = \"/dev/ttyNOSUCH9\" }\n");
        var path = Path.Combine(_directory.FullName, "main.conf");
        await File.WriteAllTextAsync(path, "include \"links.conf\"\nlinkactors.management.enabled = false\n");
        using var daemon = Daemon.Start("check-config", path);
        Assert.Equal(0, await daemon.WaitForExitAsync(Within));
        Assert.Contains("link w: client on /dev/ttyNOSUCH9", daemon.Output, StringComparison.Ordinal);
        Assert.Contains("management: off", daemon.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagementPortTaken_OneLine_Exit1_BeforeAnyLinkDials()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        int port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var path = Path.Combine(_directory.FullName, "taken.conf");
        await File.WriteAllTextAsync(path, $"linkactors.management.port = {port}\nlinkactors.links.w {{ device = \"/dev/ttyNOSUCH9\", lock = false }}\n");
        using var daemon = Daemon.Start("run", path);
        // Status 1 (pppd's fatal error), documented in the README.
        Assert.Equal(1, await daemon.WaitForExitAsync(Within));
        var line = Assert.Single(daemon.Output.Trim().Split('\n'));
        Assert.Equal($"management endpoint: cannot listen on 127.0.0.1 port {port}: the address is already in use (another daemon, or another program, listens there)", line);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();
}
