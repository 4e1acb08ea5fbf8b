using LinkActors.Ppp.Automaton;

namespace LinkActors.Ppp.Auth;

/// <summary>
/// One authentication exchange in one role (PAP or CHAP, client or server), as its owner drives
/// it: the same inputs and the same outputs as the control engine (SendControl, restart timer),
/// ending in <see cref="AuthSucceeded"/> or <see cref="AuthFailed"/>.
/// </summary>
public interface IAuthMachine
{
    ushort Protocol { get; }

    AuthRole Role { get; }

    AuthProgress State { get; }

    IReadOnlyList<EngineOutput> Start();

    IReadOnlyList<EngineOutput> Stop();

    IReadOnlyList<EngineOutput> Timeout();

    IReadOnlyList<EngineOutput> Receive(ReadOnlySpan<byte> information);
}
