using LinkActors.Linux.Files;
using LinkActors.Linux.Locking;
using LinkActors.Linux.State;

namespace LinkActors.Linux.Tests.Files;

/// <summary>
/// A local attacker plants symbolic links where the (root) daemon writes: the file code is called
/// directly against them, so the tests hold whatever fs.protected_symlinks says.
/// </summary>
[global::System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SafeFileTests : IDisposable
{
    private const string Precious = "root's file: must stay as it is\n";
    private readonly string _directory = Directory.CreateTempSubdirectory("la-safefile-").FullName;
    private readonly string _victim;

    public SafeFileTests()
    {
        _victim = Path.Combine(_directory, "victim");
        File.WriteAllText(_victim, Precious);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void UucpLock_SymlinkPlantedAtItsTemporaryName_IsNotFollowed()
    {
        var locks = Directory.CreateDirectory(Path.Combine(_directory, "lock")).FullName;
        // UucpLock writes LTMP.<pid>.<thread> first; the attacker guesses the name.
        var planted = Path.Combine(locks, $"LTMP.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}");
        File.CreateSymbolicLink(planted, _victim);

        using var held = UucpLock.Acquire("/dev/ttyS0", locks);

        Assert.Equal(Precious, File.ReadAllText(_victim));
        Assert.Equal($"{Environment.ProcessId,10}\n", File.ReadAllText(held.Path));
        Assert.False(SafeFile.IsSymbolicLink(held.Path));
        Assert.False(SafeFile.Exists(planted));
        Assert.Equal(SafeFile.PublicRead, File.GetUnixFileMode(held.Path));
    }

    [Fact]
    public void StateJournal_SymlinkPlantedAtItsTemporaryName_IsNotFollowed_AndTheFileIs0600()
    {
        var state = Path.Combine(_directory, "run");
        var journal = new NetworkStateJournal(state, "wwan");
        Directory.CreateDirectory(state);
        File.CreateSymbolicLink($"{journal.Path}.{Environment.ProcessId}.tmp", _victim);

        journal.Write(new NetworkState { Link = "wwan" });

        Assert.Equal(Precious, File.ReadAllText(_victim));
        Assert.False(SafeFile.IsSymbolicLink(journal.Path));
        Assert.Equal(SafeFile.OwnerOnly, File.GetUnixFileMode(journal.Path));
        Assert.Equal("wwan", journal.Read()?.Link);
    }

    [Fact]
    public void StateJournal_InAWorldWritableDirectory_IsRefused()
    {
        var state = Directory.CreateDirectory(Path.Combine(_directory, "open")).FullName;
        File.SetUnixFileMode(state, (UnixFileMode)0x1FF);   // 0777, no sticky bit

        var error = Assert.Throws<IOException>(() => new NetworkStateJournal(state, "wwan").Write(new NetworkState { Link = "wwan" }));

        Assert.Contains("writable by others", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(state));
    }

    [Fact]
    public void StateJournal_DirectoryThatIsASymlink_IsRefused()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_directory, "elsewhere")).FullName;
        var state = Path.Combine(_directory, "state-link");
        File.CreateSymbolicLink(state, elsewhere);

        Assert.Throws<IOException>(() => new NetworkStateJournal(state, "wwan").Write(new NetworkState { Link = "wwan" }));

        Assert.Empty(Directory.GetFileSystemEntries(elsewhere));
    }

    [Fact]
    public void OpenAppend_Symlink_IsRefused()
    {
        var record = Path.Combine(_directory, "record");
        File.CreateSymbolicLink(record, _victim);

        Assert.Throws<IOException>(() => SafeFile.OpenAppend(record, SafeFile.OwnerOnly));

        Assert.Equal(Precious, File.ReadAllText(_victim));
    }

    [Fact]
    public void OpenAppend_CreatesWithTheMode_AndNarrowsAnExistingFile()
    {
        var fresh = Path.Combine(_directory, "fresh.log");
        SafeFile.OpenAppend(fresh, SafeFile.OwnerAndGroupRead).Dispose();
        Assert.Equal(SafeFile.OwnerAndGroupRead, File.GetUnixFileMode(fresh));

        var old = Path.Combine(_directory, "old.record");
        File.WriteAllText(old, "before\n");
        File.SetUnixFileMode(old, SafeFile.PublicRead | UnixFileMode.OtherWrite);
        using (var stream = SafeFile.OpenAppend(old, SafeFile.OwnerOnly))
            stream.Write("after\n"u8);
        Assert.Equal(SafeFile.OwnerOnly, File.GetUnixFileMode(old));
        Assert.Equal("before\nafter\n", File.ReadAllText(old));
    }

    [Fact]
    public void CreateNew_DanglingSymlink_FailsWithoutCreatingItsTarget()
    {
        var target = Path.Combine(_directory, "would-be-created");
        var link = Path.Combine(_directory, "dangling");
        File.CreateSymbolicLink(link, target);

        Assert.Throws<IOException>(() => SafeFile.CreateNew(link, SafeFile.OwnerOnly));

        Assert.False(File.Exists(target));
    }
}
