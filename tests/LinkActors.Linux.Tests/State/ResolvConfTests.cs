using System.Net;
using LinkActors.Linux.Dns;

namespace LinkActors.Linux.Tests.State;

public sealed class ResolvConfTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("la-resolv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Render_BothServers_PppdFormat() =>
        Assert.Equal("nameserver 198.51.100.53\nnameserver 198.51.100.54\n",
            ResolvConf.Render(IPAddress.Parse("198.51.100.53"), IPAddress.Parse("198.51.100.54")));

    [Fact]
    public void Restore_FileExistedBefore_ContentPutBack()
    {
        var path = Path.Combine(_dir, "resolv.conf");
        File.WriteAllText(path, "nameserver 192.0.2.53\n");
        var backup = ResolvConf.Capture(path);
        ResolvConf.Write(path, "nameserver 198.51.100.53\n");

        ResolvConf.Restore(backup);

        Assert.Equal("nameserver 192.0.2.53\n", File.ReadAllText(path));
    }

    [Fact]
    public void Restore_NeitherFileNorDirectoryExisted_BothRemoved()
    {
        var path = Path.Combine(_dir, "ppp", "resolv.conf");
        var backup = ResolvConf.Capture(path);
        ResolvConf.Write(path, "nameserver 198.51.100.53\n");
        Assert.True(File.Exists(path));

        ResolvConf.Restore(backup);

        Assert.False(Directory.Exists(Path.Combine(_dir, "ppp")));
    }
}
