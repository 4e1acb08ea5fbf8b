using System.Diagnostics;
using System.Net.Sockets;

namespace LinkActors.Emulator.Bridge;

/// <summary>Ready-made far ends.</summary>
public static class PppServers
{
    /// <summary>
    /// A call that goes nowhere: CONNECT succeeds, what the client sends is discarded and nothing comes
    /// back. Enough to exercise a chat script.
    /// </summary>
    public static PppServerConnector Discard { get; } = _ =>
    {
        var (modemSide, serverSide) = MemoryDuplexStream.CreatePair();
        return ValueTask.FromResult<IPppServerConnection>(new StreamPppServerConnection(
            modemSide, Stream.Null, () =>
            {
                serverSide.Dispose();
                return ValueTask.CompletedTask;
            }));
    };

    /// <summary>A TCP connection per call, e.g. to a PPP server listening on loopback.</summary>
    public static PppServerConnector Tcp(string host, int port) => async ct =>
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(host, port, ct).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        NetworkStream stream = client.GetStream();
        return new StreamPppServerConnection(stream, stream, () =>
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        });
    };

    /// <summary>
    /// A process per call whose stdin and stdout are the line, as pppd runs with <c>notty</c>; it is killed
    /// when the call ends.
    /// </summary>
    public static PppServerConnector Process(string fileName, IEnumerable<string> arguments) => ct =>
    {
        ct.ThrowIfCancellationRequested();
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        var process = System.Diagnostics.Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        return ValueTask.FromResult<IPppServerConnection>(new StreamPppServerConnection(
            process.StandardOutput.BaseStream, process.StandardInput.BaseStream, async () =>
            {
                try
                {
                    if (!process.HasExited)
                        process.Kill(entireProcessTree: true);
                    using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                }
                catch (InvalidOperationException)
                {
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    process.Dispose();
                }
            }));
    };
}
