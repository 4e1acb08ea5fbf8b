using LinkActors.Actors.Serial;
using LinkActors.Actors.Serial.Transports;
using LinkActors.Tests.Shared;

namespace LinkActors.Actors.Tests.Serial;

public sealed class LineDeviceTests
{
    [Theory]
    [InlineData("/dev/ttyUSB2")]
    [InlineData("/tmp/x/a")]
    public void Parse_Path_IsSerial(string spec) => Assert.Equal(new LineDevice.Serial(spec), LineDevice.Parse(spec));

    [Theory]
    [InlineData("socket:192.0.2.1:2000", "192.0.2.1", 2000)]
    [InlineData("localhost:3000", "localhost", 3000)]
    [InlineData("socket:[2001:db8::1]:4000", "2001:db8::1", 4000)]
    public void Parse_HostPort_IsTcp(string spec, string host, int port) =>
        Assert.Equal(new LineDevice.Tcp(host, port), LineDevice.Parse(spec));

    [Fact]
    public void IsPseudoTerminal_LinkToAPtySlave_True()
    {
        using var pty = new SocatPtyPair();
        Assert.True(PtyTransport.IsPseudoTerminal(pty.A));
    }

    [Theory]
    [InlineData("/dev/null")]
    [InlineData("/dev/ttyS0")]
    [InlineData("/dev/pts/")]
    [InlineData("/nonexistent/ttyUSB0")]
    public void IsPseudoTerminal_AnythingElse_False(string path) => Assert.False(PtyTransport.IsPseudoTerminal(path));

    [Fact]
    public void Parse_Stdio_IsStdio() => Assert.Same(LineDevice.Stdio.Instance, LineDevice.Parse("stdio"));

    [Theory]
    [InlineData("ttyS0")]
    [InlineData("socket:host")]
    [InlineData("socket:host:0")]
    [InlineData("socket:host:99999")]
    public void Parse_Nonsense_ThrowsFormatException(string spec) => Assert.Throws<FormatException>(() => LineDevice.Parse(spec));

    [Fact]
    public void Messages_ToString_ShowLengthsNotPayloads()
    {
        var secret = "password123"u8.ToArray();
        Assert.Equal("Received { Length = 11 }", new SerialPort.Received(secret).ToString());
        Assert.Equal("Write { Length = 11, Ack = ack }", new SerialPort.Write(secret, "ack").ToString());
        Assert.DoesNotContain("password", new SerialPort.CommandFailed(new SerialPort.Write(secret), new IOException("x")).ToString());
    }
}
