using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
using Akka.Actor;
using LinkActors.Actors.Network;

namespace LinkActors.Host.Demo;

/// <summary>
/// The demo's traffic when the links have in-process packet endpoints instead of interfaces: ICMP echo
/// requests built here and sent through the client's endpoint, answered by the ISP's endpoint.
/// </summary>
internal static class EndpointExercise
{
    /// <returns>True when every ping and every transfer packet was answered.</returns>
    public static async Task<bool> RunAsync(ActorSystem system, IActorRef endpoint, IPAddress client, IPAddress isp, TransferTrace transferTrace,
        TextWriter output)
    {
        var replies = Channel.CreateUnbounded<NetworkProtocol.PacketReceived>();
        var subscriber = system.ActorOf(EventForwarder.Props(new TypedChannelWriter<NetworkProtocol.PacketReceived>(replies.Writer)), "demo-replies");
        endpoint.Tell(new NetworkProtocol.Subscribe(subscriber));

        const ushort pingId = 0x0d30;
        int answered = 0;
        for (ushort seq = 1; seq <= 5; seq++)
        {
            var sent = Stopwatch.StartNew();
            endpoint.Tell(new NetworkProtocol.SendPacket(Icmp.BuildEchoRequest(client, isp, pingId, seq, "linkactors demo"u8)));
            if (await WaitForReplyAsync(replies.Reader, pingId, seq, TimeSpan.FromSeconds(3)).ConfigureAwait(false))
            {
                answered++;
                output.WriteLine($"ping {isp}: seq={seq} time={sent.Elapsed.TotalMilliseconds:0.0} ms");
            }
            else
            {
                output.WriteLine($"ping {isp}: seq={seq} no reply");
            }
        }

        // A short transfer: 1 MiB as 1400-byte echo payloads, every one answered by the server's endpoint.
        const int payload = 1400, count = 750;
        var data = new byte[payload];
        Random.Shared.NextBytes(data);
        await transferTrace.BeginAsync().ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        int back = 0;
        for (ushort seq = 1; seq <= count; seq++)
        {
            endpoint.Tell(new NetworkProtocol.SendPacket(Icmp.BuildEchoRequest(client, isp, pingId + 1, seq, data)));
            if (seq % 16 == 0 || seq == count)
            {
                while (back < seq && await WaitForReplyAsync(replies.Reader, pingId + 1, null, TimeSpan.FromSeconds(3)).ConfigureAwait(false))
                    back++;
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        await transferTrace.EndAsync(output).ConfigureAwait(false);
        double megabytes = back * (double)payload * 2 / (1024 * 1024);
        output.WriteLine($"transfer: {count} packets of {payload} bytes out, {back} back, {megabytes:0.00} MiB across the link in {seconds:0.00} s ({megabytes / seconds:0.0} MiB/s, both directions)");
        return answered == 5 && back == count;
    }

    private static async Task<bool> WaitForReplyAsync(ChannelReader<NetworkProtocol.PacketReceived> reader, ushort id, ushort? seq, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var packet = await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                if (Icmp.IsEchoReply(packet.Packet.Span, id, out var got, out _) && (seq is null || got == seq))
                    return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
