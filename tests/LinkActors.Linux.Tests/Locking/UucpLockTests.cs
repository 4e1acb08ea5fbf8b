using System.Buffers.Binary;
using System.Diagnostics;
using LinkActors.Linux.Locking;

namespace LinkActors.Linux.Tests.Locking;

public sealed class UucpLockTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("la-lock-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("/dev/ttyS0", "LCK..ttyS0")]
    [InlineData("/dev/ttyUSB2", "LCK..ttyUSB2")]
    [InlineData("/tmp/x/modem", "LCK..modem")]
    public void LockFileName_IsLastPathComponent(string device, string expected) =>
        Assert.Equal(expected, UucpLock.LockFileName(device));

    [Fact]
    public void Acquire_Free_WritesPidAsTenAsciiDigitsAndNewline()
    {
        using var held = UucpLock.Acquire("/dev/ttyS0", _directory);
        Assert.Equal(Path.Combine(_directory, "LCK..ttyS0"), held.Path);
        var content = File.ReadAllText(held.Path);
        Assert.Equal(11, content.Length);
        Assert.Equal($"{Environment.ProcessId,10}\n", content);
        Assert.Single(Directory.GetFiles(_directory));   // no temporary file left behind
    }

    [Fact]
    public void Dispose_RemovesLockFile()
    {
        var held = UucpLock.Acquire("/dev/ttyS0", _directory);
        held.Dispose();
        Assert.False(File.Exists(held.Path));
        using var again = UucpLock.Acquire("/dev/ttyS0", _directory);
    }

    [Fact]
    public void Acquire_HeldByThisProcess_Refused()
    {
        using var held = UucpLock.Acquire("/dev/ttyS0", _directory);
        var e = Assert.Throws<DeviceLockedException>(() => UucpLock.Acquire("/dev/ttyS0", _directory));
        Assert.Equal(Environment.ProcessId, e.OwnerPid);
        Assert.Contains("LCK..ttyS0", e.Message);
    }

    [Fact]
    public void Acquire_HeldByLiveProcess_RefusedNamingThePid()
    {
        using var other = Process.Start("sleep", "30");
        try
        {
            File.WriteAllText(Path.Combine(_directory, "LCK..ttyUSB0"), $"{other.Id,10}\n");
            var e = Assert.Throws<DeviceLockedException>(() => UucpLock.Acquire("/dev/ttyUSB0", _directory));
            Assert.Equal(other.Id, e.OwnerPid);
            Assert.Contains($"process {other.Id} is running", e.Message);
            Assert.Equal($"{other.Id,10}\n", File.ReadAllText(Path.Combine(_directory, "LCK..ttyUSB0")));
        }
        finally
        {
            other.Kill();
            other.WaitForExit();
        }
    }

    [Fact]
    public void Acquire_StaleLockOfDeadProcess_TakenOver()
    {
        var dead = DeadPid();
        var path = Path.Combine(_directory, "LCK..ttyUSB0");
        File.WriteAllText(path, $"{dead,10}\n");

        using var held = UucpLock.Acquire("/dev/ttyUSB0", _directory);

        Assert.Equal(Environment.ProcessId, UucpLock.ReadOwner(path));
    }

    [Fact]
    public void Acquire_StaleBinaryFormatLock_TakenOver()
    {
        var path = Path.Combine(_directory, "LCK..ttyS1");
        var binary = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(binary, DeadPid());
        File.WriteAllBytes(path, binary);

        using var held = UucpLock.Acquire("/dev/ttyS1", _directory);

        Assert.Equal(Environment.ProcessId, UucpLock.ReadOwner(path));
    }

    [Fact]
    public void Acquire_GarbageLock_TreatedAsStale()
    {
        File.WriteAllText(Path.Combine(_directory, "LCK..ttyS2"), "not a pid\n");
        using var held = UucpLock.Acquire("/dev/ttyS2", _directory);
    }

    [Fact]
    public void Dispose_LockTakenOverBySomeoneElse_LeavesTheirFile()
    {
        var held = UucpLock.Acquire("/dev/ttyS0", _directory);
        File.WriteAllText(held.Path, $"{1,10}\n");
        held.Dispose();
        Assert.True(File.Exists(held.Path));
    }

    [Fact]
    public void Acquire_MissingDirectory_ThrowsIOException()
    {
        var e = Assert.ThrowsAny<IOException>(() => UucpLock.Acquire("/dev/ttyS0", Path.Combine(_directory, "missing")));
        Assert.IsNotType<DeviceLockedException>(e);
    }

    private static int DeadPid()
    {
        using var process = Process.Start("true");
        process.WaitForExit();
        return process.Id;
    }
}
