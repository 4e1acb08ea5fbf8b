using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LinkActors.Linux.Namespaces;

namespace LinkActors.Host.Demo;

/// <summary>
/// The demo's traffic when both links have kernel interfaces: what the client's namespace looks like
/// while the link is up, the real ping(8) from the client's namespace to the ISP, and a TCP transfer
/// between sockets opened inside the two namespaces, checked end to end with SHA-256.
/// </summary>
internal static partial class TunExercise
{
    private const int PingCount = 5;
    private const int TransferBytes = 2 * 1024 * 1024;
    private const int TransferPort = 5001;
    private static readonly TimeSpan TransferWithin = TimeSpan.FromSeconds(30);

    /// <param name="cancellation">Ends the ping and the transfer early (the demo was interrupted).</param>
    /// <returns>True when every ping was answered and the transfer arrived intact.</returns>
    public static async Task<bool> RunAsync(DemoNamespaces namespaces, IPAddress client, IPAddress isp, string resolvConf,
        TransferTrace transferTrace, TextWriter output, CancellationToken cancellation)
    {
        output.WriteLine();
        output.WriteLine($"Client namespace {namespaces.Client} while the link is up:");
        Show(output, "ip -br addr", await DemoNamespaces.IpAsync(namespaces.Client, "-br", "addr").ConfigureAwait(false));
        Show(output, "ip route", await DemoNamespaces.IpAsync(namespaces.Client, "route").ConfigureAwait(false));
        if (File.Exists(resolvConf))
            output.WriteLine($"  DNS from the ISP (RFC 1877), written to {resolvConf}: {string.Join(", ", File.ReadAllLines(resolvConf))}");

        output.WriteLine();
        output.WriteLine($"$ ip netns exec {namespaces.Client} ping -c {PingCount} -i 0.2 -W 2 {isp}");
        var ping = await DemoNamespaces.ExecAsync(namespaces.Client, TimeSpan.FromSeconds(20), cancellation,
            "ping", "-c", $"{PingCount}", "-i", "0.2", "-W", "2", isp.ToString()).ConfigureAwait(false);
        output.Write(ping.Output);
        if (ping.Error.Trim().Length > 0)
            output.WriteLine(ping.Error.TrimEnd());
        var summary = PingSummary().Match(ping.Output);
        bool pinged = summary.Success && int.Parse(summary.Groups["received"].Value, System.Globalization.CultureInfo.InvariantCulture) == PingCount;

        if (cancellation.IsCancellationRequested)
            return false;
        output.WriteLine();
        await transferTrace.BeginAsync().ConfigureAwait(false);
        bool transferred;
        try
        {
            transferred = await TransferAsync(namespaces, client, isp, output, cancellation).ConfigureAwait(false);
        }
        finally
        {
            await transferTrace.EndAsync(output).ConfigureAwait(false);
        }
        return pinged && transferred;
    }

    private static void Show(TextWriter output, string command, ChildResult result)
    {
        output.WriteLine($"  $ {command}");
        var text = result.Succeeded ? result.Output : $"failed: {result.Reason}\n";
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            output.WriteLine($"    {line.TrimEnd()}");
    }

    /// <summary>
    /// A socket's network namespace is the one its creating thread was in, for the socket's whole life
    /// (socket(7)); so each is created on a thread that joined its namespace, then used from anywhere.
    /// </summary>
    private static async Task<bool> TransferAsync(DemoNamespaces namespaces, IPAddress client, IPAddress isp, TextWriter output,
        CancellationToken cancellation)
    {
        var data = RandomNumberGenerator.GetBytes(TransferBytes);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(TransferWithin);
        Socket? listener = null, sender = null;
        try
        {
            listener = NetworkNamespaceThread.Run(namespaces.Isp, () =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(isp, TransferPort));
                socket.Listen(1);
                return socket;
            });
            sender = NetworkNamespaceThread.Run(namespaces.Client, () =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(client, 0));
                return socket;
            });
            var clock = Stopwatch.StartNew();
            var receiving = ReceiveAsync(listener, limit.Token);
            await sender.ConnectAsync(new IPEndPoint(isp, TransferPort), limit.Token).ConfigureAwait(false);
            var from = sender.LocalEndPoint;
            await using (var stream = new NetworkStream(sender, ownsSocket: false))
                await stream.WriteAsync(data, limit.Token).ConfigureAwait(false);
            sender.Shutdown(SocketShutdown.Send);
            var (received, receivedHash) = await receiving.ConfigureAwait(false);
            clock.Stop();
            var sentHash = Convert.ToHexStringLower(SHA256.HashData(data));
            double mebibytes = received / (1024.0 * 1024.0);
            bool intact = received == data.Length && sentHash == receivedHash;
            output.WriteLine($"transfer: {mebibytes:0.00} MiB over TCP from {from} ({namespaces.Client}) to {isp}:{TransferPort} ({namespaces.Isp}) " +
                $"in {clock.Elapsed.TotalSeconds:0.00} s ({mebibytes / clock.Elapsed.TotalSeconds:0.00} MiB/s)");
            output.WriteLine($"transfer: SHA-256 sent     {sentHash}");
            output.WriteLine($"transfer: SHA-256 received {receivedHash} ({(intact ? "match" : "MISMATCH")})");
            return intact;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            string why = e is not OperationCanceledException ? e.Message
                : cancellation.IsCancellationRequested ? "interrupted" : $"not done within {TransferWithin.TotalSeconds:0} s";
            output.WriteLine($"transfer: failed: {why}");
            return false;
        }
        finally
        {
            sender?.Dispose();
            listener?.Dispose();
        }
    }

    private static async Task<(long Bytes, string Sha256)> ReceiveAsync(Socket listener, CancellationToken cancellation)
    {
        using var connection = await listener.AcceptAsync(cancellation).ConfigureAwait(false);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }
        return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    [GeneratedRegex(@"(?<sent>\d+) packets transmitted, (?<received>\d+) received")]
    private static partial Regex PingSummary();
}
