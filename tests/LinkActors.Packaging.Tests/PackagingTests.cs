using Xunit.Abstractions;

namespace LinkActors.Packaging.Tests;

/// <summary>
/// The Debian packages as a person installs them: built by ops/package.sh (cached under /var/cache/linkactors), checked
/// with dpkg-deb, lintian and systemd-analyze, installed in a clean debootstrap root, the arm64 build run under
/// qemu-user, and the Ansible role and rolling upgrade run against two clean roots. Each test runs one script of ops/test/ and asserts that every one of its checks passed. Needs root
/// (debootstrap, chroot), as test.sh and CI run.
/// </summary>
[Collection("packages")]
public sealed class PackagingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(25);

    private OpsScriptResult Run(string script)
    {
        Assert.True(Environment.UserName == "root", "the packaging checks need root (debootstrap, chroot); run test.sh as root");
        var result = OpsScript.Run(script, Deadline);
        output.WriteLine($"{script}: exit {result.ExitCode} after {result.Elapsed.TotalSeconds:F0} s");
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, $"{script} failed (exit {result.ExitCode}):\n{result.Output}");
        return result;
    }

    [Fact]
    public void Packages_InfoContentsLintianAndUnit_AllPass()
    {
        var result = Run("ops/test/check-packages.sh");
        Assert.Equal(3, result.OkLines.Count(l => l.Contains(" package: ", StringComparison.Ordinal)));
        Assert.Equal(3, result.OkLines.Count(l => l.StartsWith("ok: lintian ", StringComparison.Ordinal)));
        Assert.Contains(result.OkLines, l => l.StartsWith("ok: systemd-analyze verify", StringComparison.Ordinal));
        Assert.Contains(result.OkLines, l => l.Contains("CAP_NET_ADMIN only", StringComparison.Ordinal));
    }

    [Fact]
    public void Amd64Package_InCleanDebianRoot_RunsThenRemovesAndPurgesWithoutTrace()
    {
        var result = Run("ops/test/install.sh");
        foreach (var check in new[] { "linkactors --version", "check-config", "demo --endpoints", "keeps the edited links.conf",
                                      "token.env 0600", "remove and purge leave nothing behind" })
            Assert.Contains(result.OkLines, l => l.Contains(check, StringComparison.Ordinal));
    }

    [Fact]
    public void Arm64Build_UnderQemuUser_RunsVersionCheckConfigAndDemo()
    {
        var result = Run("ops/test/arm64-qemu.sh");
        Assert.Contains(result.OkLines, l => l.StartsWith("ok: arm64 --version", StringComparison.Ordinal) && l.Contains(" ms", StringComparison.Ordinal));
        Assert.Contains(result.OkLines, l => l.StartsWith("ok: arm64 check-config", StringComparison.Ordinal));
        Assert.Contains(result.OkLines, l => l.StartsWith("ok: arm64 demo --endpoints", StringComparison.Ordinal));
    }

    [Fact]
    public void AnsibleRole_TwoCleanRoots_IdempotentAndBrokenRolloutStopsAndRollsBack()
    {
        var result = Run("ops/test/ansible.sh");
        Assert.Contains(result.OkLines, l => l.StartsWith("ok: site.yml with --diff", StringComparison.Ordinal));
        Assert.Contains(result.OkLines, l => l.StartsWith("ok: second run of site.yml: changed=0", StringComparison.Ordinal));
        Assert.Contains(result.OkLines, l => l.Contains("stopped the rollout after the first batch", StringComparison.Ordinal)
                                             && l.Contains("rolled back", StringComparison.Ordinal));
    }
}

/// <summary>The packages are built once (ops/package.sh) before any test of the collection uses them.</summary>
public sealed class BuiltPackages
{
    public BuiltPackages()
    {
        if (Environment.UserName != "root")
            return;
        var result = OpsScript.Run("ops/package.sh", TimeSpan.FromMinutes(30));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"ops/package.sh failed (exit {result.ExitCode}):\n{result.Output}");
    }
}

[CollectionDefinition("packages")]
public sealed class PackagesCollection : ICollectionFixture<BuiltPackages>;
