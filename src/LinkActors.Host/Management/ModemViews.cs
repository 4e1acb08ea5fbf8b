using LinkActors.Ppp.Chat;

namespace LinkActors.Host.Management;

/// <summary>A <see cref="ModemInfo"/> as the endpoint shows it.</summary>
public static class ModemViews
{
    public static ModemView From(ModemInfo modem)
    {
        ArgumentNullException.ThrowIfNull(modem);
        var registration = modem.Registration;
        return new ModemView(
            Rssi: modem.Rssi,
            SignalDbm: modem.SignalDbm,
            BitErrorRate: modem.BitErrorRate,
            Registration: registration is null ? null : ModemInfo.Describe(registration.Status),
            RegistrationStatus: registration?.Status.ToString(),
            Registered: registration?.IsRegistered,
            Roaming: registration is null ? null : IsRoaming(registration.Status),
            Operator: modem.Operator?.Operator,
            Technology: modem.Technology is { } technology ? ModemInfo.Describe(technology) : null,
            Sim: modem.SimStatus,
            Manufacturer: modem.Manufacturer,
            Model: modem.Model,
            Revision: modem.Revision,
            Imei: modem.Imei,
            Summary: modem.Describe())
        {
            RsrpDbm = modem.ExtendedSignal?.RsrpDbm,
            RsrqDb = modem.ExtendedSignal?.RsrqDb,
            Attached = modem.PacketAttached,
            PdpContexts = modem.PdpContexts?.Select(c => c.Describe()).ToList(),
        };
    }

    public static ModemCheckView From(Actors.Modem.ModemQueryProtocol.ModemAsked asked, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(asked);
        return new ModemCheckView(time, asked.Answers.Describe(), asked.Answered, asked.IpcpAddress?.ToString(),
            asked.Findings.Select(f => new ModemFindingView(f.Code, f.Text)).ToList());
    }

    public static bool IsRoaming(RegistrationStatus status) => status is RegistrationStatus.RegisteredRoaming
        or RegistrationStatus.RegisteredSmsOnlyRoaming or RegistrationStatus.RegisteredCsfbNotPreferredRoaming;
}
