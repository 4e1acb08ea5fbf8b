using LinkActors.Emulator.Bridge;
using LinkActors.Emulator.Modem;

namespace LinkActors.Emulator.Tests.Support;

/// <summary>An emulator, a client on its pty, and an in-process server for its calls; all torn down together.</summary>
internal sealed class Session : IAsyncDisposable
{
    private readonly List<Stream> _serverStreams = [];

    private Session(ModemEmulator modem, PtyClient client, InProcessPppServer server)
    {
        Modem = modem;
        Client = client;
        Server = server;
    }

    public ModemEmulator Modem { get; }

    public PtyClient Client { get; }

    public InProcessPppServer Server { get; }

    public static Session Start(Func<ModemEmulatorOptions, ModemEmulatorOptions>? configure = null)
    {
        var server = new InProcessPppServer();
        var options = Fixture.FastOptions(server: server.Connector);
        if (configure is not null)
            options = configure(options);
        var modem = ModemEmulator.Start(options);
        try
        {
            return new Session(modem, new PtyClient(modem.PortPath), server);
        }
        catch
        {
            modem.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Waits for registration, dials, and returns the server side of the call.</summary>
    public async Task<Stream> DialAsync(string dial = "ATD*99#")
    {
        await Fixture.WaitForRegistrationAsync(Modem, Modem.Profile.RegisteredStatus);
        string answer = await Client.CommandAsync(dial);
        Assert.EndsWith("\r\nCONNECT\r\n", answer, StringComparison.Ordinal);
        return await AcceptAsync();
    }

    public async Task<Stream> AcceptAsync()
    {
        using var timeout = new CancellationTokenSource(PtyClient.DefaultTimeout);
        Stream stream = await Server.AcceptAsync(timeout.Token);
        _serverStreams.Add(stream);
        return stream;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Modem.DisposeAsync();
        foreach (var stream in _serverStreams)
            await stream.DisposeAsync();
    }

    /// <summary>Reads exactly <paramref name="count"/> octets from a server stream, or fails after the timeout.</summary>
    public static async Task<byte[]> ReadServerAsync(Stream stream, int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? PtyClient.DefaultTimeout);
        byte[] buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cts.Token);
        return buffer;
    }

    /// <summary>True when the server stream reaches end-of-stream (the call was closed) within the timeout.</summary>
    public static async Task<bool> ServerSeesHangUpAsync(Stream stream)
    {
        using var cts = new CancellationTokenSource(PtyClient.DefaultTimeout);
        byte[] buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
