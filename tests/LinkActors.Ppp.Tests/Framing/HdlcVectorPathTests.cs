using System.Runtime.InteropServices;
using LinkActors.Ppp.Framing;

namespace LinkActors.Ppp.Tests.Framing;

/// <summary>
/// test.sh runs the framing tests four times: as is, and with DOTNET_EnableAVX512=0 (and the older
/// DOTNET_EnableAVX512F=0),
/// DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0. This checks that each run really took the path
/// it was meant to, from the environment and the CPU's own flags, so that no run silently repeats
/// another's path.
/// </summary>
public class HdlcVectorPathTests
{
    [Fact]
    public void VectorPath_MatchesTheRuntimeSwitchesAndTheCpu()
    {
        Assert.Equal(ExpectedPath(), Hdlc.VectorPath);
    }

    private static HdlcVectorPath ExpectedPath()
    {
        if (Disabled("DOTNET_EnableHWIntrinsic"))
            return HdlcVectorPath.Scalar;
        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.X86))
            return HdlcVectorPath.Vector128;
        var flags = CpuFlags();
        if (Disabled("DOTNET_EnableAVX2") || !flags.Contains("avx2"))
            return HdlcVectorPath.Vector128;
        // .NET 10 reads DOTNET_EnableAVX512 and ignores the older DOTNET_EnableAVX512F, so test.sh sets
        // both; expecting AVX2 from the old name alone would fail here, as it should.
        if (Disabled("DOTNET_EnableAVX512")
            || !(flags.Contains("avx512bw") && flags.Contains("avx512vbmi") && flags.Contains("avx512_vbmi2")))
            return HdlcVectorPath.Avx2;
        return HdlcVectorPath.Avx512;
    }

    private static bool Disabled(string variable) => Environment.GetEnvironmentVariable(variable) == "0";

    private static HashSet<string> CpuFlags()
    {
        string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
        Assert.NotNull(line);
        return [.. line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }
}
