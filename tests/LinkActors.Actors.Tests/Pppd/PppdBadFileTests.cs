using LinkActors.Actors.Configuration.Pppd;

namespace LinkActors.Actors.Tests.Pppd;

/// <summary>Every broken file gives one line naming the file and line, as pppd does.</summary>
public class PppdBadFileTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly PppdTree _tree = PppdTree.Empty();

    public void Dispose() => _tree.Dispose();

    private string Error(string peers, params string[] more)
    {
        _tree.Write("/etc/ppp/peers/x", peers);
        var e = Assert.Throws<PppdConfigurationException>(() => _tree.Call("x", more));
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain(_tree.Root, e.Message, StringComparison.Ordinal);   // pppd's paths, not the test's root
        return e.Message;
    }

    [Fact]
    public void UnknownOption_NamesFileLineAndWord()
    {
        Assert.Equal("/etc/ppp/peers/x:3: unrecognized option 'foo'", Error("/dev/ttyS0\n# comment\nfoo\n"));
    }

    [Fact]
    public void UnknownOptionOnTheCommandLine_SaysCommandLine()
    {
        Assert.Equal("command line: unrecognized option 'bar'", Error("/dev/ttyS0\n", "bar"));
    }

    [Fact]
    public void MissingArgument_NamesTheOption()
    {
        Assert.Equal("/etc/ppp/peers/x:2: too few parameters for option 'user' (the file ends before its argument)",
            Error("/dev/ttyS0\nuser # nobody\n"));
    }

    [Fact]
    public void ArgumentOnTheNextLine_IsTaken()
    {
        _tree.Write("/etc/ppp/peers/x", "/dev/ttyS0\nuser\n  bob\n");
        Assert.Equal("bob", _tree.Call("x").Link.Auth.User);
    }

    [Fact]
    public void BadNumber_NamesTheOption()
    {
        Assert.Equal("/etc/ppp/peers/x:2: invalid numeric parameter 'big' for mru option", Error("/dev/ttyS0\nmru big\n"));
    }

    [Fact]
    public void OutOfRange_NamesTheOptionAndTheLimits()
    {
        Assert.Equal("/etc/ppp/peers/x:3: mru 64: 64 is out of range (128 to 16384)", Error("/dev/ttyS0\n\nmru 64\n"));
    }

    [Fact]
    public void BadAddress_NamesTheLine()
    {
        Assert.Equal("/etc/ppp/peers/x:2: 'gateway.example' is not an IPv4 address (LinkActors takes numeric addresses, not host names)",
            Error("/dev/ttyS0\n:gateway.example\n"));
    }

    [Fact]
    public void MissingPeersFile_SaysWhichCall()
    {
        var e = Assert.Throws<PppdConfigurationException>(() => _tree.Call("nope"));
        Assert.Equal("command line: call nope: cannot open options file /etc/ppp/peers/nope: no such file", e.Message);
    }

    [Fact]
    public void UnreadablePeersFile_SaysWhy()
    {
        _tree.MakeDirectory("/etc/ppp/peers/dir");
        var e = Assert.Throws<PppdConfigurationException>(() => _tree.Call("dir"));
        Assert.Equal("command line: call dir: cannot read options file /etc/ppp/peers/dir: it is a directory", e.Message);
    }

    [Fact]
    public void MissingIncludedFile_NamesTheFileOption()
    {
        Assert.Equal("/etc/ppp/peers/x:2: file /etc/ppp/more: cannot open options file /etc/ppp/more: no such file",
            Error("/dev/ttyS0\nfile /etc/ppp/more\n"));
    }

    [Fact]
    public void IncludeLoop_IsAnError()
    {
        Assert.StartsWith("/etc/ppp/peers/x:1: file /etc/ppp/peers/x: options files include one another more than", Error("file /etc/ppp/peers/x\n"));
    }

    [Theory]
    [InlineData("../../shadow")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    public void CallName_MayNotLeaveThePeersDirectory(string name)
    {
        var e = Assert.Throws<PppdConfigurationException>(() => _tree.Call(name));
        Assert.EndsWith("the name may not be empty, start with / or contain ..", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoDevice_IsAnError()
    {
        Assert.StartsWith("command line: no device given", Error("noauth\n"));
    }

    [Fact]
    public void MissingChatScript_NamesTheConnectLine()
    {
        Assert.Equal("/etc/ppp/peers/x:2: connect: cannot read the chat script /etc/chatscripts/none: no such file",
            Error("/dev/ttyS0\nconnect \"chat -f /etc/chatscripts/none\"\n"));
    }

    [Fact]
    public void BrokenChatScript_NamesTheScriptsLine()
    {
        _tree.Write("/etc/chatscripts/bad", "# dial\n'' AT\nOK ATD*99#\nABORT\n");
        Assert.Equal("/etc/chatscripts/bad:4: ABORT at the end of the script needs an argument",
            Error("/dev/ttyS0\nconnect \"chat -f /etc/chatscripts/bad\"\n"));
    }

    [Fact]
    public void UnknownChatFlag_NamesTheConnectLine()
    {
        Assert.StartsWith("/etc/ppp/peers/x:2: connect: chat ", Error("/dev/ttyS0\nconnect 'chat -Q -f /x'\n"));
    }

    [Fact]
    public void WorldReadableSecretsFile_IsRefused()
    {
        _tree.Write("/etc/ppp/pap-secrets", "bob * secret\n", Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal("/etc/ppp/pap-secrets: the secrets file is open to its group or others (mode 0644); allow its owner only: chmod 600 /etc/ppp/pap-secrets",
            Error("/dev/ttyS0\nuser bob\n"));
    }

    [Fact]
    public void GroupReadableSecretsFile_IsRefused()
    {
        _tree.Write("/etc/ppp/chap-secrets", "bob * secret\n", Private | UnixFileMode.GroupRead);
        Assert.StartsWith("/etc/ppp/chap-secrets: the secrets file is open to its group or others (mode 0640)",
            Error("/dev/ttyS0\nuser bob\nrefuse-pap\n"));
    }

    [Fact]
    public void UnreadableSecretsFile_SaysWhy()
    {
        // The tests may run as root, which reads any mode: a directory is unreadable for everyone.
        _tree.MakeDirectory("/etc/ppp/pap-secrets");
        Assert.Equal("/etc/ppp/pap-secrets: cannot read the secrets file: it is a directory", Error("/dev/ttyS0\nuser bob\n"));
    }

    [Fact]
    public void MissingIndirectSecret_NamesTheEntry()
    {
        _tree.Write("/etc/ppp/pap-secrets", "# who\nbob * @/etc/ppp/bob-secret\n");
        Assert.Equal("/etc/ppp/pap-secrets:2: secret file /etc/ppp/bob-secret: cannot read the secret file: no such file",
            Error("/dev/ttyS0\nuser bob\n"));
    }

    [Fact]
    public void WorldReadableIndirectSecret_IsRefused()
    {
        _tree.Write("/etc/ppp/pap-secrets", "bob * @/etc/ppp/bob-secret\n");
        _tree.Write("/etc/ppp/bob-secret", "s3cret\n", Private | UnixFileMode.OtherRead);
        Assert.StartsWith("/etc/ppp/pap-secrets:1: secret file /etc/ppp/bob-secret: the secret file is open to its group or others (mode 0604)",
            Error("/dev/ttyS0\nuser bob\n"));
    }

    [Fact]
    public void RequireAuthWithoutSecrets_IsAnError()
    {
        Assert.Equal("/etc/ppp/peers/x:2: require-pap: the peer must authenticate, but /etc/ppp/pap-secrets holds no secret to check it with",
            Error("/dev/ttyS0\nrequire-pap\n"));
    }

    [Fact]
    public void SecretsFilesAreNotReadWhenNotNeeded()
    {
        // A password is given: pppd never opens pap-secrets, so its mode does not matter.
        _tree.Write("/etc/ppp/pap-secrets", "bob * secret\n", Private | UnixFileMode.OtherRead);
        _tree.Write("/etc/ppp/peers/x", "/dev/ttyS0\nuser bob\npassword pw\n");
        Assert.Equal("pw", _tree.Call("x").Link.Auth.Password);
    }
}
