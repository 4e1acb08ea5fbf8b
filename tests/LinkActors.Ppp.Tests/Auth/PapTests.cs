using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;
using static LinkActors.Ppp.Tests.Auth.AuthTestPackets;

namespace LinkActors.Ppp.Tests.Auth;

public class PapTests
{
    private static readonly SecretsTable Secrets = new([new SecretEntry("modem", "*", "pa55", AllowedAddresses.Parse(["192.0.2.2"]))]);

    [Fact]
    public void Start_SendsAuthenticateRequestWithUserAndPassword()
    {
        var client = new PapClient(new PapClientSettings("modem", "pa55"));

        var outputs = client.Start();

        var sent = Sent(outputs);
        Assert.Equal(PppProtocol.Pap, sent.Protocol);
        Assert.Equal(
            [
                0x01, 0x01, 0x00, 0x0F, // Authenticate-Request, id 1, length 15
                0x05, (byte)'m', (byte)'o', (byte)'d', (byte)'e', (byte)'m', // Peer-ID
                0x04, (byte)'p', (byte)'a', (byte)'5', (byte)'5', // Password
            ],
            sent.Packet);
        Assert.Contains(outputs, o => o is StartRestartTimer { After.TotalSeconds: 3 });
    }

    [Fact]
    public void Client_AckWithMessage_Succeeds()
    {
        var client = new PapClient(new PapClientSettings("modem", "pa55"));
        client.Start();

        var outputs = client.Receive(Packet(PapCode.AuthenticateAck, 1, Counted("Welcome")));

        Assert.Equal("Welcome", Assert.Single(outputs.OfType<AuthSucceeded>()).Message);
        Assert.Contains(outputs, o => o is StopRestartTimer);
        Assert.Equal(AuthProgress.Succeeded, client.State);
    }

    [Fact]
    public void Client_Nak_FailsWithPeersMessage()
    {
        var client = new PapClient(new PapClientSettings("modem", "pa55"));
        client.Start();

        var outputs = client.Receive(Packet(PapCode.AuthenticateNak, 1, Counted("Login incorrect")));

        Assert.Equal("PAP authentication failed: Login incorrect", Assert.Single(outputs.OfType<AuthFailed>()).Reason);
    }

    [Fact]
    public void Client_AnswerToOlderIdentifier_IsIgnored()
    {
        var client = new PapClient(new PapClientSettings("modem", "pa55"));
        client.Start();
        client.Timeout();

        Assert.Empty(client.Receive(Packet(PapCode.AuthenticateAck, 1, Counted(""))));
        Assert.Single(client.Receive(Packet(PapCode.AuthenticateAck, 2, Counted(""))).OfType<AuthSucceeded>());
    }

    [Fact]
    public void Client_NoAnswer_RetriesBoundedThenFails()
    {
        var client = new PapClient(new PapClientSettings("modem", "pa55") { MaxRequests = 3 });
        var ids = new List<byte> { Sent(client.Start()).Packet[1] };

        ids.Add(Sent(client.Timeout()).Packet[1]);
        ids.Add(Sent(client.Timeout()).Packet[1]);
        var last = client.Timeout();

        Assert.Equal([1, 2, 3], ids);
        Assert.Equal("no response to 3 PAP Authenticate-Requests", Assert.Single(last.OfType<AuthFailed>()).Reason);
        Assert.Empty(client.Timeout());
    }

    [Fact]
    public void Client_TruncatedOrLyingPackets_AreIgnored()
    {
        var client = new PapClient(new PapClientSettings("modem", "pa55"));
        client.Start();

        Assert.Empty(client.Receive([0x02, 0x01, 0x00]));
        Assert.Empty(client.Receive([0x02, 0x01, 0x00, 0x10, 0x00]));
        Assert.Equal(AuthProgress.Pending, client.State);
    }

    [Fact]
    public void ClientSettings_ToString_HidesPassword()
    {
        Assert.DoesNotContain("pa55", new PapClientSettings("modem", "pa55").ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("pa55", Secrets.Find("modem", "x")!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Server_RightPassword_AcksAndReportsPeerWithAddresses()
    {
        var server = new PapServer(new PapServerSettings("server", Secrets));
        server.Start();

        var outputs = server.Receive(Packet(PapCode.AuthenticateRequest, 9, [.. Counted("modem"), .. Counted("pa55")]));

        Assert.Equal(Packet(PapCode.AuthenticateAck, 9, Counted("Login ok")), Sent(outputs).Packet);
        var success = Assert.Single(outputs.OfType<AuthSucceeded>());
        Assert.Equal("modem", success.PeerName);
        Assert.Equal(0xC0000202u, success.Addresses!.SuggestedAddress);
    }

    [Fact]
    public void Server_WrongPassword_NaksAndFailsWithClearReason()
    {
        var server = new PapServer(new PapServerSettings("server", Secrets));
        server.Start();

        var outputs = server.Receive(Packet(PapCode.AuthenticateRequest, 9, [.. Counted("modem"), .. Counted("guess")]));

        Assert.Equal(Packet(PapCode.AuthenticateNak, 9, Counted("Login incorrect")), Sent(outputs).Packet);
        Assert.Equal("peer 'modem' gave a wrong PAP password", Assert.Single(outputs.OfType<AuthFailed>()).Reason);
        // The password tried is in no output.
        Assert.DoesNotContain(outputs, o => o.ToString()!.Contains("guess", StringComparison.Ordinal));
    }

    [Fact]
    public void Server_UnknownUser_Fails()
    {
        var server = new PapServer(new PapServerSettings("server", Secrets));
        server.Start();

        var outputs = server.Receive(Packet(PapCode.AuthenticateRequest, 1, [.. Counted("intruder"), .. Counted("pa55")]));

        Assert.Equal("no PAP secret for peer 'intruder' on 'server'", Assert.Single(outputs.OfType<AuthFailed>()).Reason);
    }

    [Fact]
    public void Server_EmptySecret_NeverMatches()
    {
        var server = new PapServer(new PapServerSettings("server", new SecretsTable([new SecretEntry("*", "*", "")])));
        server.Start();

        var outputs = server.Receive(Packet(PapCode.AuthenticateRequest, 1, [.. Counted("modem"), .. Counted("")]));

        Assert.Single(outputs.OfType<AuthFailed>());
    }

    [Fact]
    public void Server_RepeatedRequestAfterSuccess_IsAckedAgainWithoutSecondSuccess()
    {
        var server = new PapServer(new PapServerSettings("server", Secrets));
        server.Start();
        byte[] request = Packet(PapCode.AuthenticateRequest, 4, [.. Counted("modem"), .. Counted("pa55")]);
        server.Receive(request);

        var again = server.Receive(request);

        Assert.Equal(PapCode.AuthenticateAck, Sent(again).Packet[0]);
        Assert.Empty(again.OfType<AuthSucceeded>());
    }

    [Fact]
    public void Server_PeerIdLengthThatLies_IsIgnored()
    {
        var server = new PapServer(new PapServerSettings("server", Secrets));
        server.Start();

        Assert.Empty(server.Receive(Packet(PapCode.AuthenticateRequest, 1, 0x20, (byte)'m')));
        Assert.Empty(server.Receive(Packet(PapCode.AuthenticateRequest, 1, [.. Counted("modem"), 0x09, (byte)'p'])));
        Assert.Equal(AuthProgress.Pending, server.State);
    }

    [Fact]
    public void Server_NoRequestBeforeTimeout_Fails()
    {
        var server = new PapServer(new PapServerSettings("server", Secrets));
        Assert.Contains(server.Start(), o => o is StartRestartTimer { After.TotalSeconds: 30 });

        var outputs = server.Timeout();

        Assert.Equal("peer sent no PAP Authenticate-Request within 30 s", Assert.Single(outputs.OfType<AuthFailed>()).Reason);
    }
}
