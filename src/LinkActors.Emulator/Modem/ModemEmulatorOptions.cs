using LinkActors.Emulator.Bridge;
using LinkActors.Emulator.Profiles;

namespace LinkActors.Emulator.Modem;

/// <summary>How an emulated modem behaves. The defaults are those of a real modem; tests shorten the delays.</summary>
public sealed record ModemEmulatorOptions
{
    public ModemProfile Profile { get; init; } = ModemProfile.Bc66;

    /// <summary>A symlink to create to the pty's slave (e.g. /tmp/x/modem), so that a configuration can name a fixed port.</summary>
    public string? LinkPath { get; init; }

    /// <summary>The far end of each data call. Null: calls connect to <see cref="PppServers.Discard"/>.</summary>
    public PppServerConnector? Server { get; init; }

    /// <summary>From power-up (or reset, or the end of a deregistration) to registered; stat 2 until then.</summary>
    public TimeSpan RegistrationDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>From reset to the unsolicited RDY; the modem ignores commands meanwhile.</summary>
    public TimeSpan BootDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>From ATD to CONNECT (or NO CARRIER).</summary>
    public TimeSpan ConnectDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Silence required before and after <c>+++</c> (S12; V.250 §6.3.9 escapes after a guard time).</summary>
    public TimeSpan GuardTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a server may take to accept a call before the dial fails.</summary>
    public TimeSpan ServerConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Send the ready lines (RDY) once the pty is open, as a modem powering up would.</summary>
    public bool AnnounceReadyOnStart { get; init; }

    /// <summary>Seed of the line noise, so that a run with garbage can be replayed.</summary>
    public int Seed { get; init; } = 1;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Receives one line per notable event (commands, calls, faults), for a person watching.</summary>
    public Action<string>? Log { get; init; }
}
