using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Tests.Negotiation;
using static LinkActors.Ppp.Tests.Auth.AuthTestPackets;

namespace LinkActors.Ppp.Tests.Auth;

public class ChapTests
{
    private static readonly SecretsTable ServerSecrets = new([new SecretEntry("modem", "server", "s3cret")]);

    private static ChapServer NewServer(ChapServerSettings? settings = null) =>
        new(settings ?? new ChapServerSettings("server", ServerSecrets), new TestRandom(7));

    [Fact]
    public void Server_Start_SendsChallengeOfSixteenToTwentyFourOctetsWithOurName()
    {
        // First octet picks the identifier (0x41 + 1), the second the length (16 + 3 % 9), then the value.
        var server = new ChapServer(new ChapServerSettings("server", ServerSecrets), new ScriptedRandom([0x41, 3, .. Enumerable.Repeat((byte)0xAA, 19)]));

        var packet = Sent(server.Start()).Packet;

        Assert.Equal(ChapCode.Challenge, packet[0]);
        Assert.Equal(0x42, packet[1]);
        Assert.Equal(19, packet[4]);
        Assert.All(packet.AsSpan(5, 19).ToArray(), b => Assert.Equal(0xAA, b));
        Assert.Equal("server"u8.ToArray(), packet.AsSpan(5 + 19).ToArray());
    }

    [Fact]
    public void ClientAndServer_RightSecret_Succeed()
    {
        var server = NewServer();
        var client = new ChapClient(new ChapClientSettings("modem", SecretsTable.ForClient("modem", "s3cret")));
        client.Start();

        var response = client.Receive(Sent(server.Start()).Packet);
        var verdict = server.Receive(Sent(response).Packet);
        var result = client.Receive(Sent(verdict).Packet);

        Assert.Equal("modem", Assert.Single(verdict.OfType<AuthSucceeded>()).PeerName);
        Assert.Equal("server", Assert.Single(result.OfType<AuthSucceeded>()).PeerName);
        Assert.Equal(AuthProgress.Succeeded, client.State);
        Assert.Equal(AuthProgress.Succeeded, server.State);
    }

    [Fact]
    public void ClientAndServer_WrongSecret_FailWithClearReasons()
    {
        var server = NewServer();
        var client = new ChapClient(new ChapClientSettings("modem", SecretsTable.ForClient("modem", "guess")));
        client.Start();

        var response = client.Receive(Sent(server.Start()).Packet);
        var verdict = server.Receive(Sent(response).Packet);
        var result = client.Receive(Sent(verdict).Packet);

        Assert.Equal("peer 'modem' failed CHAP authentication (wrong secret)", Assert.Single(verdict.OfType<AuthFailed>()).Reason);
        Assert.Equal("CHAP authentication failed: Access denied", Assert.Single(result.OfType<AuthFailed>()).Reason);
    }

    [Fact]
    public void Client_ResponseIsMd5OfIdSecretChallenge()
    {
        var client = new ChapClient(new ChapClientSettings("modem", SecretsTable.ForClient("modem", "secret")));
        client.Start();
        byte[] challenge = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];

        var packet = Sent(client.Receive(Packet(ChapCode.Challenge, 1, [16, .. challenge, .. "server"u8]))).Packet;

        Assert.Equal(ChapCode.Response, packet[0]);
        Assert.Equal(1, packet[1]);
        Assert.Equal(16, packet[4]);
        Assert.Equal(Convert.FromHexString("740e86463bda3a4d7017d6e0fba0699d"), packet.AsSpan(5, 16).ToArray());
        Assert.Equal("modem"u8.ToArray(), packet.AsSpan(21).ToArray());
    }

    [Fact]
    public void Client_NoSecretForChallenger_FailsWithoutResponding()
    {
        var client = new ChapClient(new ChapClientSettings("modem", new SecretsTable([new SecretEntry("modem", "elsewhere", "x")])));
        client.Start();

        var outputs = client.Receive(Packet(ChapCode.Challenge, 1, [1, 0xFF, .. "server"u8]));

        Assert.Empty(outputs.OfType<SendControl>());
        Assert.Equal("no CHAP secret for 'modem' to authenticate to 'server'", Assert.Single(outputs.OfType<AuthFailed>()).Reason);
    }

    [Fact]
    public void Client_ValueSizeThatLies_IsIgnored()
    {
        var client = new ChapClient(new ChapClientSettings("modem", SecretsTable.ForClient("modem", "s")));
        client.Start();

        Assert.Empty(client.Receive(Packet(ChapCode.Challenge, 1, 40, 1, 2)));
        Assert.Empty(client.Receive(Packet(ChapCode.Challenge, 1)));
    }

    [Fact]
    public void Server_NoResponse_RetransmitsSameChallengeBoundedThenFails()
    {
        var server = NewServer(new ChapServerSettings("server", ServerSecrets) { MaxChallenges = 3 });
        var first = Sent(server.Start()).Packet;

        var second = Sent(server.Timeout()).Packet;
        var third = Sent(server.Timeout()).Packet;
        var last = server.Timeout();

        Assert.Equal(first, second);
        Assert.Equal(first, third);
        Assert.Equal("peer did not answer 3 CHAP Challenges", Assert.Single(last.OfType<AuthFailed>()).Reason);
    }

    [Fact]
    public void Server_ResponseWithOtherIdentifier_IsIgnored()
    {
        var server = NewServer();
        var challenge = Sent(server.Start()).Packet;

        var outputs = server.Receive(Packet(ChapCode.Response, unchecked((byte)(challenge[1] + 1)), [16, .. new byte[16], .. "modem"u8]));

        Assert.Empty(outputs);
        Assert.Equal(AuthProgress.Pending, server.State);
    }

    [Fact]
    public void Server_DuplicateResponseAfterSuccess_ResendsSuccessOnly()
    {
        var server = NewServer();
        var client = new ChapClient(new ChapClientSettings("modem", SecretsTable.ForClient("modem", "s3cret")));
        client.Start();
        var response = Sent(client.Receive(Sent(server.Start()).Packet)).Packet;
        server.Receive(response);

        var again = server.Receive(response);

        Assert.Equal(ChapCode.Success, Sent(again).Packet[0]);
        Assert.Empty(again.OfType<AuthSucceeded>());
    }

    [Fact]
    public void Server_Rechallenge_NewChallengeAfterIntervalAndFailureEndsIt()
    {
        var server = NewServer(new ChapServerSettings("server", ServerSecrets) { RechallengeInterval = TimeSpan.FromMinutes(5) });
        var client = new ChapClient(new ChapClientSettings("modem", SecretsTable.ForClient("modem", "s3cret")));
        client.Start();
        var firstChallenge = Sent(server.Start()).Packet;
        var verdict = server.Receive(Sent(client.Receive(firstChallenge)).Packet);
        Assert.Contains(verdict, o => o is StartRestartTimer { After.TotalMinutes: 5 });

        var rechallenge = Sent(server.Timeout()).Packet;
        Assert.NotEqual(firstChallenge[1], rechallenge[1]);
        var badResponse = Packet(ChapCode.Response, rechallenge[1], [16, .. new byte[16], .. "modem"u8]);
        var outputs = server.Receive(badResponse);

        Assert.Single(outputs.OfType<AuthFailed>());
        Assert.Equal(AuthProgress.Failed, server.State);
    }
}
