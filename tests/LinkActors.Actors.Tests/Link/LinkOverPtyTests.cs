using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Actors.Configuration;
using Settings = LinkActors.Actors.Configuration.Settings;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using LinkActors.Tests.Shared;
using Xunit.Abstractions;

namespace LinkActors.Actors.Tests.Link;

/// <summary>
/// Two whole links, a client and a server, as actor trees over a real pty pair: they negotiate,
/// carry IP packets both ways through their packet endpoints, and end with a Terminate exchange.
/// </summary>
public sealed class LinkOverPtyTests : TestKit
{
    private static readonly TimeSpan UpWithin = TimeSpan.FromSeconds(20);

    public LinkOverPtyTests(ITestOutputHelper output) : base("akka.loglevel = INFO\nakka.stdout-loglevel = INFO", output: output)
    {
    }

    private static LinkSettings Link(string name, string device, string lockDirectory, string extra) =>
        Assert.Single(Settings.Create(Settings.Parse(
            $"linkactors.links.{name} {{\n device = \"{device}\"\n lock-directory = \"{lockDirectory}\"\n lcp.restart = 1s\n {extra}\n}}", "test"), "test"));

    private const string ServerBase = "role = server\n ipcp { local = 192.0.2.1, remote = 192.0.2.2, ms-dns = [198.51.100.53, 198.51.100.54] }";
    private const string ClientBase = "ipcp { noipdefault = true, usepeerdns = true }";

    private sealed record Endpoints(IActorRef ClientManager, IActorRef ServerManager);

    /// <summary>Starts both links under managers (no persist: an ended link stays ended).</summary>
    private (IActorRef Client, IActorRef Server) Start(SocatPtyPair pty, string clientExtra, string serverExtra)
    {
        var server = Link("server", pty.B, pty.LockDirectory, $"{ServerBase}\n {serverExtra}");
        var client = Link("client", pty.A, pty.LockDirectory, $"{ClientBase}\n {clientExtra}");
        var serverManager = Sys.ActorOf(LinkManager.Props([server], LinkDependencyFactory.Default), "server-links");
        var clientManager = Sys.ActorOf(LinkManager.Props([client], LinkDependencyFactory.Default), "client-links");
        return (clientManager, serverManager);
    }

    private async Task<IActorRef> EndpointOf(string managerName, string link)
    {
        // The network side exists once the link is in the Network phase.
        var side = await Sys.ActorSelection($"/user/{managerName}").Ask<LinkProtocol.NetworkSide>(
            new LinkManagement.ToLink(link, LinkProtocol.GetNetworkSide.Instance), TimeSpan.FromSeconds(3));
        return side.Actor ?? throw new InvalidOperationException($"{link} has no network side");
    }

    [Fact]
    public async Task ClientAndServer_ReachNetwork_PingBothWays_AndTerminateCleanly()
    {
        using var pty = new SocatPtyPair();
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(LinkProtocol.Up));
        Sys.EventStream.Subscribe(events, typeof(LinkProtocol.Ended));
        var (client, server) = Start(pty, "", "");

        var ups = new[] { events.ExpectMsg<LinkProtocol.Up>(UpWithin), events.ExpectMsg<LinkProtocol.Up>(UpWithin) };
        var clientUp = ups.Single(u => u.Link == "client");
        var serverUp = ups.Single(u => u.Link == "server");
        Assert.Equal(IPAddress.Parse("192.0.2.2"), clientUp.Local);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), clientUp.Remote);
        Assert.Equal(IPAddress.Parse("198.51.100.53"), clientUp.Dns1);
        Assert.Equal(IPAddress.Parse("198.51.100.54"), clientUp.Dns2);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), serverUp.Local);
        Assert.Equal(IPAddress.Parse("192.0.2.2"), serverUp.Remote);

        // Each side pings the other's address; the other's endpoint answers.
        await PingAsync(await EndpointOf("client-links", "client"), IPAddress.Parse("192.0.2.2"), IPAddress.Parse("192.0.2.1"));
        await PingAsync(await EndpointOf("server-links", "server"), IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.2"));

        // The client ends the link: LCP Terminate-Request, the server sees the peer terminate.
        client.Tell(new LinkManagement.StopAll("test done"));
        var ended = new[] { events.ExpectMsg<LinkProtocol.Ended>(UpWithin), events.ExpectMsg<LinkProtocol.Ended>(UpWithin) };
        Assert.Equal("user-request", ended.Single(e => e.Link == "client").Reason.Code);
        var serverEnd = ended.Single(e => e.Link == "server").Reason;
        Assert.Equal("hangup", serverEnd.Code);
        Assert.Contains("terminated", serverEnd.Message, StringComparison.OrdinalIgnoreCase);
        server.Tell(new LinkManagement.StopAll("test done"));
    }

    [Theory]
    [InlineData("pap")]
    [InlineData("chap")]
    public void Authentication_RightSecret_ReachesNetwork(string method)
    {
        using var pty = new SocatPtyPair();
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(LinkProtocol.Up));
        Sys.EventStream.Subscribe(events, typeof(LinkProtocol.Authenticated));
        var (client, server) = Start(pty, "auth { user = device-17, password = s3cret }",
            $"auth {{ require = {method}, secrets = [ {{ client = device-17, server = \"*\", secret = s3cret, addresses = [\"*\"] }} ] }}");
        var authenticated = events.ExpectMsg<LinkProtocol.Authenticated>(UpWithin);
        Assert.Equal(method.ToUpperInvariant(), authenticated.Protocol);
        events.FishForMessage(m => m is LinkProtocol.Up up && up.Link == "client", UpWithin);
        client.Tell(new LinkManagement.StopAll("test done"));
        server.Tell(new LinkManagement.StopAll("test done"));
    }

    [Theory]
    [InlineData("pap")]
    [InlineData("chap")]
    public void Authentication_WrongSecret_FailsWithAClearReason(string method)
    {
        using var pty = new SocatPtyPair();
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(LinkProtocol.Ended));
        var (client, server) = Start(pty, "auth { user = device-17, password = wrong }",
            $"auth {{ require = {method}, secrets = [ {{ client = device-17, server = \"*\", secret = s3cret, addresses = [\"*\"] }} ] }}");
        var ended = new[] { events.ExpectMsg<LinkProtocol.Ended>(UpWithin), events.ExpectMsg<LinkProtocol.Ended>(UpWithin) };
        var serverEnd = ended.Single(e => e.Link == "server").Reason;
        var clientEnd = ended.Single(e => e.Link == "client").Reason;
        Assert.Equal("peer-auth-failed", serverEnd.Code);
        Assert.Equal("auth-to-peer-failed", clientEnd.Code);
        Assert.DoesNotContain("s3cret", serverEnd.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", clientEnd.Message, StringComparison.Ordinal);
        client.Tell(new LinkManagement.StopAll("test done"));
        server.Tell(new LinkManagement.StopAll("test done"));
    }

    private async Task PingAsync(IActorRef endpoint, IPAddress from, IPAddress to)
    {
        var probe = CreateTestProbe();
        endpoint.Tell(new NetworkProtocol.Subscribe(probe));
        const ushort id = 0x4c41;
        for (ushort seq = 1; seq <= 3; seq++)
        {
            endpoint.Tell(new NetworkProtocol.SendPacket(Icmp.BuildEchoRequest(from, to, id, seq, "linkactors"u8)));
            var reply = probe.FishForMessage<NetworkProtocol.PacketReceived>(p =>
                Icmp.IsEchoReply(p.Packet.Span, id, out var s, out _) && s == seq, TimeSpan.FromSeconds(5));
            Assert.True(Icmp.IsEchoReply(reply.Packet.Span, id, out _, out var source));
            Assert.Equal(to, source);
        }
        var stats = await endpoint.Ask<PacketEndpoint.Stats>(PacketEndpoint.GetStats.Instance, TimeSpan.FromSeconds(3));
        Assert.True(stats.PacketsSent >= 3);
        Assert.True(stats.PacketsReceived >= 3);
    }
}
