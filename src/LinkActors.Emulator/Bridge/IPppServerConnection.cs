namespace LinkActors.Emulator.Bridge;

/// <summary>
/// The far end of one data call: after CONNECT the emulator copies what the client sends to
/// <see cref="ToServer"/> and what it reads from <see cref="FromServer"/> to the client. A read of zero
/// octets from <see cref="FromServer"/> means the server hung up, and the client sees NO CARRIER.
/// Disposed when the call ends, whichever side ends it.
/// </summary>
public interface IPppServerConnection : IAsyncDisposable
{
    Stream FromServer { get; }

    Stream ToServer { get; }
}

/// <summary>Opens the far end of a new call; called once per successful dial. Throwing makes the dial fail with NO CARRIER.</summary>
public delegate ValueTask<IPppServerConnection> PppServerConnector(CancellationToken cancellationToken);
