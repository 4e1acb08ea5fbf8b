using System.Diagnostics;
using System.Net;
using LinkActors.Emulator.Modem;
using LinkActors.Emulator.Tests.Support;
using LinkActors.Ppp.Packets;

namespace LinkActors.Emulator.Tests;

/// <summary>AT+CGPADDR / AT+CGCONTRDP (3GPP TS 27.007 §10.1.14, §10.1.23) and the stale-PDP fault.</summary>
public sealed class DataContextTests
{
    // IPCP Configure-Ack from the server: code 2, id 1, length 10, IP-Address 192.0.2.2 (RFC 1332 §3.3).
    private static readonly byte[] IpcpConfigureAck = [0x02, 0x01, 0x00, 0x0A, 0x03, 0x06, 192, 0, 2, 2];

    [Fact]
    public async Task Cgpaddr_InACall_IsTheAddressPppGaveTheClient_StalePdpReportsAnother()
    {
        await using var session = Session.Start();
        Stream server = await session.DialAsync();
        byte[] ack = Frames.Encode(PppProtocol.Ipcp, IpcpConfigureAck);
        await server.WriteAsync(ack);
        Assert.Equal(ack, await session.Client.ReadExactlyAsync(ack.Length));
        await EscapeAsync(session);

        Assert.Equal("AT+CGPADDR\r\r\n+CGPADDR: 1,\"192.0.2.2\"\r\n\r\nOK\r\n", await session.Client.CommandAsync("AT+CGPADDR"));
        Assert.Equal("AT+CGACT?\r\r\n+CGACT: 1,1\r\n\r\nOK\r\n", await session.Client.CommandAsync("AT+CGACT?"));

        session.Modem.Faults.StalePdp(IPAddress.Parse("198.51.100.99"));

        Assert.Equal("AT+CGPADDR=1\r\r\n+CGPADDR: 1,\"198.51.100.99\"\r\n\r\nOK\r\n", await session.Client.CommandAsync("AT+CGPADDR=1"));
        // After the hang-up the stale context stays active with its address.
        Assert.Equal("ATH\r\r\nOK\r\n", await session.Client.CommandAsync("ATH"));
        Assert.Equal("AT+CGACT?\r\r\n+CGACT: 1,1\r\n\r\nOK\r\n", await session.Client.CommandAsync("AT+CGACT?"));
        Assert.Equal("AT+CGCONTRDP\r\r\n+CGCONTRDP: 1,5,\"\",\"198.51.100.99.255.255.255.255\"\r\n\r\nOK\r\n",
            await session.Client.CommandAsync("AT+CGCONTRDP"));

        session.Modem.Faults.Clear();

        // No call and no context defined (ATD*99# used the default): no context left to report.
        Assert.Equal("AT+CGPADDR\r\r\nOK\r\n", await session.Client.CommandAsync("AT+CGPADDR"));
    }

    [Fact]
    public async Task Cgpaddr_BadCid_IsError()
    {
        await using var session = Session.Start();
        await session.Client.CommandAsync("ATE0");

        Assert.Equal("\r\nERROR\r\n", await session.Client.CommandAsync("AT+CGPADDR=x"));
    }

    private static async Task EscapeAsync(Session session)
    {
        var guard = TimeSpan.FromMilliseconds(250);
        // V.250 §6.2.12: the escape needs a guard time of silence before and after "+++".
        var quiet = Stopwatch.StartNew();
        while (quiet.Elapsed < guard)
            Assert.True(await session.Client.StaysSilentAsync(guard - quiet.Elapsed));
        session.Client.Write("+++");
        await session.Client.ExpectAsync("\r\nOK\r\n");
        Assert.Equal(ModemMode.OnlineCommand, session.Modem.Mode);
    }
}
